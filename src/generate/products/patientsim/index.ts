/**
 * patientsim: clinical records. Per person: the patient row, problem-list diagnoses, treatment
 * history from skills and the profile's medication rules, allergies, and encounters with lab
 * results and procedures — from the journey when there is one (plus profile utilization), else
 * a default year of care from the person's skills. Shared rows: the care network.
 */
import { purposeKey2 } from '../../ids.js';
import type { Row, TableDef } from '../../../model/types.js';
import { tableByName } from '../../../model/registry.js';
import type { ProductGenerator } from '../../product.js';
import type { Person } from '../../person.js';
import type { GenerateContext, TableRows } from '../../types.js';
import { childId } from '../../ids.js';
import { datasetPlan } from '../../plan.js';
import { careNetwork, pickProvider, PRIMARY_CARE, primaryCareFor } from '../../network/network.js';
import { skillTreatmentHistory, doseFor, doseWho, type MedOrder } from '../../clinical/medications.js';
import { compileWhen } from '../../clinical/when.js';
import { personScope } from '../../clinical/scope.js';
import { findDrug, drugsInClass } from '../../../reference/rxnorm.js';
import { scheduleJourney } from '../../journeys/schedule.js';
import { birthDayFromIso } from '../../clinical/util.js';
import { PatientRecord } from './record.js';
import { defaultHistory } from './history.js';
import { materializeEvents } from './journey.js';
import { allergiesFor } from './allergies.js';
import { duplicatesTherapy } from '../../clinical/duplicateTherapy.js';
import { assignPlan, priorAuthShared, priorAuthTables, type PriorAuthState } from '../pa/index.js';

export const PATIENTSIM_TABLES = ['providers', 'facilities', 'patients', 'encounters', 'diagnoses', 'lab_results', 'medications', 'procedures', 'allergies'] as const;

export function patientIdFor(person: Person): string {
  return `PAT-${person.person_id}`;
}

export function patientRows(person: Person, ctx: GenerateContext): Row {
  const net = careNetwork(ctx);
  const rng = ctx.streams.entity(person.index, 'care_team');
  return {
    patient_id: patientIdFor(person), person_id: person.person_id, mrn: `MRN${person.person_id.replace(/[^0-9A-Z]/g, '')}`,
    first_name: person.first_name, last_name: person.last_name, sex: person.sex, birth_date: person.birth_date,
    age: person.age, race: person.race, ethnicity: person.ethnicity, address_line: person.address_line,
    city: person.city, state: person.state, zip: person.zip, county_fips: person.county_fips,
    county_name: person.county_name, phone: person.phone, email: person.email, plan_id: null,
    primary_provider_id: pickProvider(net, primaryCareFor(person.age, PRIMARY_CARE[Math.floor(rng.next() * PRIMARY_CARE.length)]), person.state, rng),
  };
}

export function diagnosisRows(person: Person): Row[] {
  const pid = patientIdFor(person);
  return person.conditions.map((c, k) => ({
    diagnosis_id: childId(pid, 'D', k + 1), patient_id: pid, encounter_id: null, code: c.code, code_system: 'ICD-10-CM',
    description: c.description, onset_date: c.onset_date, is_primary: c.is_primary, severity: c.severity ?? null, status: 'active',
  }));
}

function medicationHistory(ctx: GenerateContext, person: Person, rec: PatientRecord): void {
  const reg = datasetPlan(ctx).skills;
  const rng = ctx.streams.entity(person.index, 'medications');
  const have = (rxcui: string) => rec.meds.some((m) => m.order.drug.rxcui === rxcui && m.order.status === 'active');
  const activeClasses = () => rec.meds.filter((m) => m.order.status === 'active').map((m) => m.order.drug.therapeuticClass);
  const duplicate = (drug: { rxcui: string; therapeuticClass: string }) => have(drug.rxcui) || duplicatesTherapy(drug.therapeuticClass, activeClasses());
  for (const id of person.clinical.skills) {
    const cond = person.conditions.find((c) => c.skill === id);
    if (!cond) continue;
    for (const order of skillTreatmentHistory(reg.get(id)!, cond.onset_date, ctx.refDay, rng.fork(purposeKey2('skill:', id)), doseWho(person))) {
      if (order.status === 'active' && duplicate(order.drug)) continue;
      rec.med(order);
    }
  }
  const rules = ctx.req.profile.clinical?.medications ?? [];
  for (const rule of rules) {
    const r = rng.fork(purposeKey2('rule:', rule.name));
    if (!(r.next() < rule.prevalence)) continue;
    if (rule.if && !compileWhen(rule.if)(personScope(person, ctx))) continue;
    const drug = findDrug(rule.name) ?? pickFromClass(rule.name, r);
    if (!drug || duplicate(drug)) continue;
    // started in the last two years, and not before birth (a 1-year-old's started within their life)
    const drawn = ctx.refDay - 30 - Math.floor(r.next() * 700);
    const born = birthDayFromIso(person.birth_date);
    const onset = drawn > born ? drawn : Math.min(ctx.refDay, born + 1 + Math.floor((ctx.refDay - born) * r.next()));
    const order: MedOrder = { drug, dose: doseFor(drug, undefined, r, doseWho(person)), frequency: drug.frequency, startDay: onset, status: 'active', outcome: 'ongoing' };
    rec.med(order);
  }
}

function pickFromClass(name: string, r: { next(): number }) {
  const list = drugsInClass(name.replace(/_/g, ' '));
  return list.length > 0 ? list[Math.floor(r.next() * list.length)] : undefined;
}

/** Dataset-level state: the prior-authorization formulary when the profile asks for one (seed 002). */
interface PatientsimState {
  priorAuth: PriorAuthState | null;
}

export const patientsim: ProductGenerator<PatientsimState> = {
  product: 'patientsim',
  tables(ctx): TableDef[] {
    const own = PATIENTSIM_TABLES.map((n) => tableByName(n)!);
    return ctx.req.profile.prior_auth ? [...own, ...priorAuthTables(ctx)] : own;
  },
  shared(ctx) {
    const net = careNetwork(ctx);
    const rows: TableRows = { providers: net.providers, facilities: net.facilities };
    let priorAuth: PriorAuthState | null = null;
    if (ctx.req.profile.prior_auth) {
      const pa = priorAuthShared(ctx);
      priorAuth = pa.state;
      Object.assign(rows, pa.rows);
    }
    return { state: { priorAuth }, rows };
  },
  entity(ctx, person, state): TableRows {
    const net = careNetwork(ctx);
    const pid = patientIdFor(person);
    const rec = new PatientRecord(pid);
    medicationHistory(ctx, person, rec);
    const journey = ctx.req.journey;
    if (journey) {
      materializeEvents(ctx, person, rec, net, scheduleJourney(ctx, person, journey));
      if (ctx.req.profile.utilization) defaultHistory(ctx, person, rec, net, false);
    } else {
      defaultHistory(ctx, person, rec, net, true);
    }
    // PATIENTSIM_TABLES after the two shared ones, in that order
    const out: TableRows = { patients: [], encounters: [], diagnoses: [], lab_results: [], medications: [], procedures: [], allergies: [] };
    const patient = patientRows(person, ctx);
    if (state.priorAuth) patient.plan_id = assignPlan(ctx, person, state.priorAuth);
    out.patients.push(patient);
    out.diagnoses.push(...diagnosisRows(person));
    rec.finish(out as { encounters: Row[]; lab_results: Row[]; medications: Row[]; procedures: Row[] });
    const rate = ctx.req.profile.clinical?.allergies_rate ?? 0.2;
    out.allergies.push(...allergiesFor(person, pid, rate, ctx.refDay, ctx.streams.entity(person.index, 'allergies')));
    return out;
  },
};
