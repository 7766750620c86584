/**
 * One patient's clinical record while it is being built: encounters, results, orders and
 * procedures as drafts keyed by day. `finish` sorts each list chronologically (stable, so ties
 * keep creation order) and assigns the child IDs, so IDs follow dates, not draw order.
 */
import type { Row } from '../../../model/types.js';
import { isoOfDay } from '../../dates.js';
import { childId } from '../../ids.js';
import type { LabValue } from '../../clinical/labs.js';
import type { MedOrder } from '../../clinical/medications.js';

export interface EncounterDraft {
  day: number;
  endDay: number;
  encounterClass: string;
  code: string;
  codeSystem: string;
  description: string;
  reasonCode: string | null;
  reasonDescription: string | null;
  providerId: string | null;
  facilityId: string | null;
  journeyEvent: string | null;
  id?: string;
}

interface MedDraft { order: MedOrder; enc?: EncounterDraft }
interface ProcDraft { day: number; enc?: EncounterDraft; code: string; codeSystem: string; description: string }

/** `-L0001`, `-L0002`, …: a lab result ID's suffix, made once per sequence number. */
const LAB_SUFFIXES: string[] = [];
function labSuffix(seq: number): string {
  return (LAB_SUFFIXES[seq] ??= `-L${String(seq).padStart(4, '0')}`);
}

/** The order of the stable sort of `n` numbers by `keyOf`, in a buffer reused by the next call. */
let orderBuf = new Int32Array(256);
/** the keys, read once each (the sort compares them many times) */
let keyBuf = new Float64Array(256);
function stableOrder(n: number, keyOf: (i: number) => number): Int32Array {
  if (orderBuf.length < n) {
    orderBuf = new Int32Array(Math.max(n, orderBuf.length * 2));
    keyBuf = new Float64Array(orderBuf.length);
  }
  const order = orderBuf;
  const keys = keyBuf;
  for (let i = 0; i < n; i++) keys[i] = keyOf(i);
  if (n > 256) {
    // a long record: the built-in sort (insertion sort is quadratic)
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    for (let i = 0; i < n; i++) order[i] = idx[i];
    return order;
  }
  // insertion sort: stable, no allocation, and a patient's lists are short and mostly in order
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    let j = i;
    while (j > 0 && keys[order[j - 1]] > k) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  return order;
}

export class PatientRecord {
  readonly encounters: EncounterDraft[] = [];
  /** result rows (ids and encounter ids are filled in by finish), their days and encounters */
  readonly labRows: Row[] = [];
  private readonly labDays: number[] = [];
  private readonly labEncs: (EncounterDraft | undefined)[] = [];
  readonly meds: MedDraft[] = [];
  readonly procedures: ProcDraft[] = [];

  constructor(readonly patientId: string) {}

  encounter(e: EncounterDraft): EncounterDraft {
    this.encounters.push(e);
    return e;
  }

  lab(day: number, panel: string, lab: LabValue, enc?: EncounterDraft): void {
    const t = lab.test;
    this.labRows.push({
      lab_result_id: '', patient_id: this.patientId, encounter_id: null, effective_date: isoOfDay(day), panel,
      code: t.code, code_system: 'LOINC', description: t.name, value: lab.value, unit: t.unit,
      reference_low: t.low ?? null, reference_high: t.high ?? null, interpretation: lab.interpretation,
    });
    this.labDays.push(day);
    this.labEncs.push(enc);
  }

  med(order: MedOrder, enc?: EncounterDraft): void {
    this.meds.push({ order, enc });
  }

  procedure(day: number, code: string, codeSystem: string, description: string, enc?: EncounterDraft): void {
    this.procedures.push({ day, code, codeSystem, description, enc });
  }

  /** The latest encounter on `day` or up to `windowDays` before it. */
  encounterNear(day: number, windowDays: number): EncounterDraft | undefined {
    let best: EncounterDraft | undefined;
    for (const e of this.encounters) {
      if (e.day <= day && e.day >= day - windowDays && (!best || e.day >= best.day)) best = e;
    }
    return best;
  }

  activeMeds(): MedOrder[] {
    return this.meds.filter((m) => m.order.status === 'active').map((m) => m.order);
  }

  finish(out: { encounters: Row[]; lab_results: Row[]; medications: Row[]; procedures: Row[] }): void {
    const pid = this.patientId;
    const encounters = this.encounters;
    const encOrder = stableOrder(encounters.length, (i) => encounters[i].day);
    for (let k = 0; k < encounters.length; k++) {
      const e = encounters[encOrder[k]];
      e.id = childId(pid, 'E', k + 1);
      out.encounters.push({
        encounter_id: e.id, patient_id: pid, start_date: isoOfDay(e.day), end_date: isoOfDay(e.endDay),
        encounter_class: e.encounterClass, code: e.code, code_system: e.codeSystem, description: e.description,
        reason_code: e.reasonCode, reason_description: e.reasonDescription, provider_id: e.providerId,
        facility_id: e.facilityId, journey_event: e.journeyEvent,
      });
    }
    const days = this.labDays;
    const order = stableOrder(days.length, (i) => days[i]);
    for (let k = 0; k < days.length; k++) {
      const j = order[k];
      const row = this.labRows[j];
      row.lab_result_id = pid + labSuffix(k + 1);
      row.encounter_id = this.labEncs[j]?.id ?? null;
      out.lab_results.push(row);
    }
    const meds = this.meds;
    const medOrder = stableOrder(meds.length, (i) => meds[i].order.startDay);
    for (let k = 0; k < meds.length; k++) {
      const m = meds[medOrder[k]];
      const o = m.order;
      const strength = `${o.drug.name} ${o.dose} ${o.drug.doseUnit === '[iU]' ? 'units' : o.drug.doseUnit}`;
      out.medications.push({
        medication_id: childId(pid, 'M', k + 1), patient_id: pid, encounter_id: m.enc?.id ?? null,
        code: o.drug.rxcui, code_system: 'RxNorm', description: strength, therapeutic_class: o.drug.therapeuticClass,
        dose_value: o.dose, dose_unit: o.drug.doseUnit, frequency: o.frequency, route: o.drug.route,
        start_date: isoOfDay(o.startDay), end_date: o.endDay === undefined ? null : isoOfDay(o.endDay),
        status: o.status, line_of_therapy: o.line ?? null, outcome: o.outcome,
      });
    }
    const procedures = this.procedures;
    const procOrder = stableOrder(procedures.length, (i) => procedures[i].day);
    for (let k = 0; k < procedures.length; k++) {
      const p = procedures[procOrder[k]];
      out.procedures.push({
        procedure_id: childId(pid, 'P', k + 1), patient_id: pid, encounter_id: p.enc?.id ?? null,
        performed_date: isoOfDay(p.day), code: p.code, code_system: p.codeSystem, description: p.description,
      });
    }
  }
}
