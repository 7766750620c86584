/** Small hand-made rows for store tests (no dependency on the generation engine). */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Row } from '../../src/model/types.js';
import { tableByName } from '../../src/model/registry.js';
import type { TableDef } from '../../src/model/types.js';

export type Rows = Record<string, Row[]>;

export function tables(...names: string[]): TableDef[] {
  return names.map((n) => {
    const t = tableByName(n);
    if (!t) throw new Error(`no table ${n}`);
    return t;
  });
}

export const PATIENT_TABLES = ['providers', 'facilities', 'patients', 'encounters', 'diagnoses', 'lab_results', 'medications', 'procedures', 'allergies'];
export const MEMBER_TABLES = ['providers', 'facilities', 'payers', 'plans', 'members', 'claims', 'claim_lines'];
export const TRIAL_TABLES = ['studies', 'sites', 'arms', 'subjects', 'visits', 'adverse_events', 'disposition_events'];

const pad = (i: number, w = 6) => String(i).padStart(w, '0');
const day = (base: string, add: number) => {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + add);
  return d.toISOString().slice(0, 10);
};
const SEXES = ['F', 'M'];
const RACES = ['White', 'Black or African American', 'Asian'];
const CITIES: [string, string, string, string][] = [
  ['Fresno', 'CA', '06019', 'Fresno County'], ['Los Angeles', 'CA', '06037', 'Los Angeles County'],
  ['San Diego', 'CA', '06073', 'San Diego County'], ['Sacramento', 'CA', '06067', 'Sacramento County'],
];

/** A patientsim dataset of n patients with IDs `<tok>-P000001` etc. */
export function patientRows(tok: string, n: number): Rows {
  const r: Rows = { providers: [], facilities: [], patients: [], encounters: [], diagnoses: [], lab_results: [], medications: [], procedures: [], allergies: [] };
  r.providers.push({ provider_id: `${tok}-PR1`, npi: '1234567893', first_name: 'Ada', last_name: 'Lovel', taxonomy_code: '207R00000X', specialty: 'Internal Medicine', city: 'Fresno', state: 'CA', zip: '93701', county_fips: '06019' });
  r.facilities.push({ facility_id: `${tok}-F1`, npi: '1987654321', name: 'Valley Clinic', facility_type: 'clinic', bed_count: null, city: 'Fresno', state: 'CA', zip: '93701', county_fips: '06019' });
  for (let i = 1; i <= n; i++) {
    const pid = `${tok}-P${pad(i)}`;
    const [city, state, fips, county] = CITIES[i % CITIES.length];
    r.patients.push({
      patient_id: pid, person_id: `${tok}-H${pad(i)}`, mrn: `MRN${pad(i, 8)}`, first_name: `Name${i}`, last_name: `Family${i % 7}`,
      sex: SEXES[i % 2], birth_date: day('1950-01-01', i * 37), age: 65 + (i % 30), race: RACES[i % 3],
      ethnicity: i % 4 === 0 ? 'Hispanic or Latino' : 'Not Hispanic or Latino', address_line: `${i} Main St`, city, state,
      zip: '93701', county_fips: fips, county_name: county, phone: '555-0100', email: `p${i}@example.com`, plan_id: null,
      primary_provider_id: `${tok}-PR1`,
    });
    for (let e = 1; e <= 2; e++) {
      const eid = `${pid}-E${e}`;
      r.encounters.push({ encounter_id: eid, patient_id: pid, start_date: day('2024-01-01', i + e * 90), end_date: day('2024-01-01', i + e * 90), encounter_class: 'AMB', code: '99214', code_system: 'CPT', description: 'Office visit, established', reason_code: 'E11.9', reason_description: 'Type 2 diabetes mellitus without complications', provider_id: `${tok}-PR1`, facility_id: `${tok}-F1`, journey_event: e === 1 ? 'initial' : null });
      r.lab_results.push({ lab_result_id: `${eid}-L1`, patient_id: pid, encounter_id: eid, effective_date: day('2024-01-01', i + e * 90), panel: 'hba1c', code: '4548-4', code_system: 'LOINC', description: 'Hemoglobin A1c/Hemoglobin.total in Blood', value: 6 + ((i * 7 + e) % 40) / 10, unit: '%', reference_low: 4, reference_high: 5.6, interpretation: 'H' });
    }
    r.diagnoses.push({ diagnosis_id: `${pid}-D1`, patient_id: pid, encounter_id: `${pid}-E1`, code: i % 5 === 0 ? 'E11.22' : 'E11.9', code_system: 'ICD-10-CM', description: i % 5 === 0 ? 'Type 2 diabetes mellitus with diabetic chronic kidney disease' : 'Type 2 diabetes mellitus without complications', onset_date: day('2020-01-01', i), is_primary: true, severity: 'controlled', status: 'active' });
    if (i % 3 !== 0) r.diagnoses.push({ diagnosis_id: `${pid}-D2`, patient_id: pid, encounter_id: null, code: 'I10', code_system: 'ICD-10-CM', description: 'Essential (primary) hypertension', onset_date: day('2019-01-01', i), is_primary: false, severity: null, status: 'active' });
    r.medications.push({ medication_id: `${pid}-M1`, patient_id: pid, encounter_id: `${pid}-E1`, code: '860975', code_system: 'RxNorm', description: 'metformin 500 MG Oral Tablet', therapeutic_class: 'biguanide', dose_value: 500, dose_unit: 'mg', frequency: 'BID', route: 'oral', start_date: day('2020-02-01', i), end_date: null, status: 'active', line_of_therapy: 1, outcome: 'ongoing' });
    if (i % 4 === 1) r.medications.push({ medication_id: `${pid}-M2`, patient_id: pid, encounter_id: `${pid}-E2`, code: '274783', code_system: 'RxNorm', description: 'insulin glargine 100 UNT/ML Injectable Solution', therapeutic_class: 'basal insulin', dose_value: 20, dose_unit: '[iU]', frequency: 'qHS', route: 'subcutaneous', start_date: day('2023-02-01', i), end_date: null, status: 'active', line_of_therapy: 2, outcome: 'partial response' });
    if (i % 2 === 0) r.procedures.push({ procedure_id: `${pid}-X1`, patient_id: pid, encounter_id: `${pid}-E2`, performed_date: day('2024-06-01', i), code: '92250', code_system: 'CPT', description: 'Retinal photography' });
  }
  return r;
}

export function memberRows(tok: string, n: number): Rows {
  const r: Rows = { providers: [], facilities: [], payers: [], plans: [], members: [], claims: [], claim_lines: [] };
  r.providers.push({ provider_id: `${tok}-PR1`, npi: '1234567893', first_name: 'Ada', last_name: 'Lovel', specialty: 'Internal Medicine', state: 'CA' });
  r.facilities.push({ facility_id: `${tok}-F1`, name: 'Valley Hospital', facility_type: 'hospital', bed_count: 120, state: 'CA' });
  r.payers.push({ payer_id: `${tok}-PY1`, name: 'Golden Health', payer_type: 'Medicare Advantage', state: 'CA' });
  r.plans.push({ plan_id: `${tok}-PL1`, payer_id: `${tok}-PY1`, plan_name: 'Golden HMO', plan_type: 'HMO', line_of_business: 'Medicare Advantage', monthly_premium: 0 });
  r.plans.push({ plan_id: `${tok}-PL2`, payer_id: `${tok}-PY1`, plan_name: 'Golden PPO', plan_type: 'PPO', line_of_business: 'Medicare Advantage', monthly_premium: 49.5 });
  for (let i = 1; i <= n; i++) {
    const mid = `${tok}-M${pad(i)}`;
    const [city, state, fips, county] = CITIES[i % CITIES.length];
    const plan = i % 3 === 0 ? 2 : 1;
    r.members.push({ member_id: mid, person_id: `${tok}-H${pad(i)}`, subscriber_id: `S${pad(i)}`, first_name: `Mem${i}`, last_name: `Ber${i % 5}`, sex: SEXES[i % 2], birth_date: day('1945-01-01', i * 41), age: 66 + (i % 20), race: RACES[i % 3], ethnicity: 'Not Hispanic or Latino', address_line: `${i} Oak Ave`, city, state, zip: '93701', county_fips: fips, county_name: county, payer_id: `${tok}-PY1`, plan_id: `${tok}-PL${plan}`, plan_type: plan === 1 ? 'HMO' : 'PPO', enrollment_start_date: '2024-01-01', enrollment_end_date: null, part_d: true, low_income_subsidy: i % 6 === 0, risk_score: 0.8 + (i % 10) / 10, chronic_conditions: i % 2 ? 'E11.9,I10' : 'I10' });
    for (let c = 1; c <= 2; c++) {
      const cid = `${mid}-C${c}`;
      const billed = c === 2 && i % 4 === 0 ? 12500.5 : 180.25 + i;
      r.claims.push({ claim_id: cid, member_id: mid, claim_type: 'professional', setting: 'office', service_date: day('2024-02-01', i + c * 30), end_date: day('2024-02-01', i + c * 30), place_of_service: '11', provider_id: `${tok}-PR1`, facility_id: c === 2 ? `${tok}-F1` : null, diagnosis_code_1: 'E11.9', billed_amount: billed, allowed_amount: Math.round(billed * 60) / 100, paid_amount: Math.round(billed * 48) / 100, member_responsibility: Math.round(billed * 12) / 100, status: 'paid' });
      r.claim_lines.push({ claim_line_id: `${cid}-1`, claim_id: cid, line_number: 1, service_date: day('2024-02-01', i + c * 30), code: '99214', code_system: 'CPT', description: 'Office visit', diagnosis_pointers: '1', units: 1, billed_amount: billed, allowed_amount: Math.round(billed * 60) / 100, paid_amount: Math.round(billed * 48) / 100 });
    }
  }
  return r;
}

export function trialRows(tok: string, n: number): Rows {
  const r: Rows = { studies: [], sites: [], arms: [], subjects: [], visits: [], adverse_events: [], disposition_events: [] };
  r.studies.push({ study_id: `${tok}-ST1`, protocol: 'ONC-001', title: 'A study', phase: 'PHASE III', indication: 'NSCLC', indication_code: 'C34.90', sponsor: 'Acme', start_date: '2024-01-01', planned_subjects: n, visits_per_subject: 3 });
  r.sites.push({ site_id: `${tok}-S1`, study_id: `${tok}-ST1`, site_number: '001', name: 'Site One', city: 'Boston', state: 'MA', principal_investigator: 'Dr X' });
  r.arms.push({ arm_id: `${tok}-A1`, study_id: `${tok}-ST1`, arm_code: 'TRT', name: 'Treatment', arm_type: 'EXPERIMENTAL', ratio: 1, treatment: 'Drug X' });
  r.arms.push({ arm_id: `${tok}-A2`, study_id: `${tok}-ST1`, arm_code: 'PBO', name: 'Placebo', arm_type: 'PLACEBO COMPARATOR', ratio: 1, treatment: 'Placebo' });
  for (let i = 1; i <= n; i++) {
    const sid = `${tok}-SU${pad(i)}`;
    const sf = i % 10 === 0;
    r.subjects.push({ subject_id: sid, person_id: `${tok}-H${pad(i)}`, study_id: `${tok}-ST1`, site_id: `${tok}-S1`, arm_id: sf ? null : `${tok}-A${1 + (i % 2)}`, subject_number: pad(i, 4), usubjid: `ONC-001-001-${pad(i, 4)}`, sex: SEXES[i % 2], birth_date: day('1960-01-01', i * 50), age: 50 + (i % 20), race: 'WHITE', ethnicity: 'NOT HISPANIC OR LATINO', screening_date: day('2024-01-01', i), consent_date: day('2024-01-01', i), randomization_date: sf ? null : day('2024-01-08', i), status: sf ? 'SCREEN FAILURE' : 'COMPLETED' });
    if (sf) continue;
    for (let v = 1; v <= 3; v++) r.visits.push({ visit_id: `${sid}-V${v}`, subject_id: sid, visit_number: v, visit_name: `VISIT ${v}`, scheduled_date: day('2024-01-08', i + v * 21), actual_date: v === 3 && i % 3 === 0 ? null : day('2024-01-08', i + v * 21), status: v === 3 && i % 3 === 0 ? 'MISSED' : 'COMPLETED' });
    if (i % 2 === 0) r.adverse_events.push({ adverse_event_id: `${sid}-AE1`, subject_id: sid, term: 'Nausea', system_organ_class: 'Gastrointestinal disorders', onset_date: day('2024-02-01', i), end_date: null, ctcae_grade: 1 + (i % 3), serious: i % 8 === 0, relatedness: 'POSSIBLY RELATED', outcome: 'RECOVERED/RESOLVED', action_taken: 'DOSE NOT CHANGED' });
    r.disposition_events.push({ disposition_event_id: `${sid}-DS1`, subject_id: sid, category: 'DISPOSITION EVENT', event: 'COMPLETED', event_date: day('2024-06-01', i) });
  }
  return r;
}

/** Splits rows into batches of `size` entities-worth of rows per table (order kept). */
export function* inBatches(rows: Rows, size: number): Generator<Rows> {
  const max = Math.max(0, ...Object.values(rows).map((r) => r.length));
  for (let off = 0; off < max; off += size) {
    const b: Rows = {};
    for (const [t, r] of Object.entries(rows)) {
      const part = r.slice(off, off + size);
      if (part.length) b[t] = part;
    }
    yield b;
  }
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `hs-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
