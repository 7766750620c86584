import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openProjectDb, type ProjectDb } from '../../src/store/projectDb.js';
import { getSummary } from '../../src/store/catalog.js';
import { summaryLine } from '../../src/store/summary.js';
import { sampleEntities } from '../../src/store/sample.js';
import { MEMBER_TABLES, PATIENT_TABLES, TRIAL_TABLES, memberRows, patientRows, tempDir, trialRows } from './fixtures.js';
import { persistFiles, writeDataset } from './helpers.js';

const tmp = tempDir('sum');
let db: ProjectDb;

beforeAll(async () => {
  db = await openProjectDb(path.join(tmp.dir, 'healthsim.duckdb'));
  await persistFiles(db, 'diabetes-cohort', await writeDataset(tmp.dir, 'p', patientRows('p1', 20), PATIENT_TABLES), { products: ['patientsim'] });
  await persistFiles(db, 'ma-members', await writeDataset(tmp.dir, 'm', memberRows('m1', 12), MEMBER_TABLES), { products: ['membersim'] });
  await persistFiles(db, 'onc-trial', await writeDataset(tmp.dir, 't', trialRows('t1', 20), TRIAL_TABLES), { products: ['trialsim'] });
});
afterAll(() => { db.close(); tmp.cleanup(); });

describe('summary', () => {
  it('describes a patientsim dataset', async () => {
    const s = await getSummary(db, 'diabetes-cohort');
    expect(s.counts).toEqual({ providers: 1, facilities: 1, patients: 20, encounters: 40, diagnoses: 34, lab_results: 40, medications: 25, procedures: 10, allergies: 0 });
    expect(s.population).toEqual([{
      table: 'patients', n: 20, age: { min: 66, max: 85, mean: 75.5 },
      sex: { F: 0.5, M: 0.5 },
      race: { Asian: 0.35, 'Black or African American': 0.35, White: 0.3 },
      ethnicity: { 'Hispanic or Latino': 0.25, 'Not Hispanic or Latino': 0.75 },
    }]);
    expect(s.geography?.states).toEqual([{ name: 'CA', n: 20 }]);
    expect(s.geography?.counties[0]).toEqual({ name: 'Fresno County, CA', n: 5 });
    expect(s.conditions?.top).toEqual([
      { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications', n: 16, share: 0.8 },
      { code: 'I10', description: 'Essential (primary) hypertension', n: 14, share: 0.7 },
      { code: 'E11.22', description: 'Type 2 diabetes mellitus with diabetic chronic kidney disease', n: 4, share: 0.2 },
    ]);
    expect(s.patientsim).toEqual({
      hba1c: { results: 40, patients: 20, mean: 7.9, min: 6, max: 9.9 },
      complicationShare: 0.2, comorbidityShare: 0.7, insulinShare: 0.25, encountersPerPatient: 2,
    });
    expect(s.line).toBe('diabetes-cohort: 20 patients, 40 encounters, 40 lab results · age 76 (66–85) · 50% F · HbA1c 7.9 · insulin 25%');
  });

  it('leaves the insulin share out of the line of a cohort with neither HbA1c results nor insulin (an asthma cohort)', async () => {
    const s = await getSummary(db, 'diabetes-cohort');
    const asthma = { ...s, patientsim: { ...s.patientsim!, hba1c: { results: 0, patients: 0, mean: null, min: null, max: null }, insulinShare: 0 } };
    expect(summaryLine(asthma)).toBe('diabetes-cohort: 20 patients, 40 encounters, 40 lab results · age 76 (66–85) · 50% F');
    expect(summaryLine({ ...asthma, patientsim: { ...asthma.patientsim, insulinShare: 0.1 } })).toMatch(/ · insulin 10%$/);
  });

  it('describes membersim and trialsim datasets', async () => {
    const m = await getSummary(db, 'ma-members');
    expect(m.membersim).toEqual({
      planTypes: { HMO: 0.667, PPO: 0.333 },
      riskScore: { min: 0.8, max: 1.7, mean: 1.2 },
      claims: { count: 24, billedTotal: 41418.75, paidTotal: 19881, over10kShare: 0.125, membersOver10kPaidShare: 0 },
    });
    expect(m.conditions?.top).toEqual([{ code: 'I10', description: null, n: 12, share: 1 }, { code: 'E11.9', description: null, n: 6, share: 0.5 }]);
    const t = await getSummary(db, 'onc-trial');
    expect(t.trialsim).toEqual({
      arms: [{ name: 'Placebo', n: 10 }, { name: 'Treatment', n: 8 }],
      screenFailures: 2,
      visits: { scheduled: 54, completed: 48, completedShare: 0.889 },
      adverseEvents: { count: 8, subjects: 8, serious: 2 },
      disposition: { COMPLETED: 18 },
    });
  });

  it('stays compact for 10,000 patients', async () => {
    const files = await writeDataset(tmp.dir, 'big', patientRows('b1', 10_000), PATIENT_TABLES);
    await persistFiles(db, 'big-cohort', files, { products: ['patientsim'] });
    const s = await getSummary(db, 'big-cohort');
    expect(s.counts.patients).toBe(10_000);
    expect(JSON.stringify(s).length).toBeLessThan(6 * 1024);
    expect(s.line.startsWith('big-cohort: 10,000 patients, 20,000 encounters, 20,000 lab results · ')).toBe(true);
  });
});

describe('sampleEntities', () => {
  it('renders patients with diagnosis, HbA1c, medications and last visit, deterministically', async () => {
    const a = await sampleEntities(db, 'diabetes-cohort');
    const b = await sampleEntities(db, 'diabetes-cohort');
    expect(a).toEqual(b);
    expect(a.table).toBe('patients');
    expect(a.entities).toHaveLength(3);
    const p = a.entities[0] as Record<string, unknown>;
    expect(Object.keys(p)).toEqual(['patient_id', 'name', 'mrn', 'sex', 'age', 'birth_date', 'location', 'primary_diagnosis', 'latest_hba1c', 'medications', 'comorbidities', 'last_visit']);
    const i = Number(String(p.patient_id).slice(-6));
    expect(p.mrn).toBe(`MRN${String(i).padStart(8, '0')}`);
    expect(p.primary_diagnosis).toEqual(i % 5 === 0 ? { code: 'E11.22', description: 'Type 2 diabetes mellitus with diabetic chronic kidney disease' } : { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' });
    expect((p.medications as unknown[])[0]).toBe('metformin 500 MG Oral Tablet BID');
    expect((p.latest_hba1c as { unit: string }).unit).toBe('%');
    expect(new Set(a.entities.map((e) => e.patient_id)).size).toBe(3);
  });

  it('renders members, subjects and plain tables', async () => {
    const m = await sampleEntities(db, 'ma-members', undefined, 2);
    expect(m.entities).toHaveLength(2);
    expect(Object.keys(m.entities[0])).toEqual(['member_id', 'name', 'sex', 'age', 'location', 'plan', 'plan_type', 'risk_score', 'conditions', 'claims', 'paid_total', 'last_claim']);
    const s = await sampleEntities(db, 'onc-trial', 'subjects', 1);
    expect(Object.keys(s.entities[0])).toEqual(['subject_id', 'usubjid', 'sex', 'age', 'arm', 'status', 'randomized', 'visits', 'adverse_events']);
    const e = await sampleEntities(db, 'diabetes-cohort', 'encounters', 2);
    expect(e.entities.map((x) => typeof x.encounter_id)).toEqual(['string', 'string']);
    await expect(sampleEntities(db, 'diabetes-cohort', 'claims')).rejects.toThrow('table "claims" is not in dataset diabetes-cohort');
  });
});
