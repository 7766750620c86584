/** Building blocks shared by the default history and the journey: visits, lab orders, vitals. */
import type { Person, PersonCondition } from '../../person.js';
import type { Skill, SkillRegistry } from '../../../reference/skills.js';
import { expandPanel } from '../../../reference/loinc.js';
import { labValue } from '../../clinical/labs.js';
import type { Rng } from '../../rng.js';
import { PRIMARY_CARE, SKILL_SPECIALTY, pickFacility, pickProvider, primaryCareFor, type CareNetwork } from '../../network/network.js';
import type { EncounterDraft, PatientRecord } from './record.js';
import { DEFAULT_VISIT_CODE, visitLabel } from './visitTypes.js';

export const VITALS = ['systolic_bp', 'diastolic_bp', 'heart_rate', 'weight', 'bmi'];

export interface VisitSpec {
  day: number;
  lengthDays?: number;
  encounterClass?: string;
  code?: string;
  codeSystem?: string;
  description?: string;
  skill?: Skill;
  reason?: { code: string; description: string } | null;
  journeyEvent?: string | null;
  specialty?: string;
}

export function conditionFor(person: Person, skill: Skill | undefined): PersonCondition | undefined {
  if (skill) {
    const c = person.conditions.find((x) => x.skill === skill.id);
    if (c) return c;
  }
  return person.conditions.find((x) => x.is_primary) ?? person.conditions[0];
}

export function addVisit(rec: PatientRecord, person: Person, net: CareNetwork, rng: Rng, v: VisitSpec): EncounterDraft {
  const cls = v.encounterClass ?? v.skill?.visits.encounter.class ?? 'AMB';
  const code = v.code ?? (v.skill && cls === 'AMB' ? v.skill.visits.encounter.code : DEFAULT_VISIT_CODE[cls] ?? '99213');
  const reason = v.reason === undefined ? conditionFor(person, v.skill) : v.reason;
  const specialty = primaryCareFor(person.age, v.specialty ?? (cls === 'EMER' ? 'emergency_medicine' : (v.skill && SKILL_SPECIALTY[v.skill.id]) || PRIMARY_CARE[rng.next() < 0.5 ? 0 : 1]));
  return rec.encounter({
    day: v.day,
    endDay: v.day + Math.max(0, (v.lengthDays ?? 1) - 1),
    encounterClass: cls,
    code,
    codeSystem: v.codeSystem ?? 'CPT',
    description: v.description ?? (v.skill && code === v.skill.visits.encounter.code ? v.skill.visits.encounter.description : visitLabel(code)),
    reasonCode: reason ? reason.code : null,
    reasonDescription: reason ? reason.description : null,
    providerId: pickProvider(net, specialty, person.state, rng),
    facilityId: pickFacility(net, cls === 'EMER' || cls === 'IMP' ? 'hospital' : 'clinic', person.state, rng),
    journeyEvent: v.journeyEvent ?? null,
  });
}

/**
 * The tests of the order being written are its first `n` entries, reused by every call: an order
 * has a few dozen at most, and a new Set per order was garbage for every visit.
 */
const seen: string[] = [];

/** Results for panels/tests/LOINC codes ordered on `day` (each test once per order). */
export function orderLabs(rec: PatientRecord, person: Person, reg: SkillRegistry, day: number, panels: readonly string[], rng: Rng, enc?: EncounterDraft): void {
  // one panel lists each test once; only several panels can repeat a test
  const several = panels.length > 1;
  let n = 0;
  const cache: Record<string, number> = {};
  for (const panel of panels) {
    tests: for (const key of expandPanel(panel)) {
      if (several) {
        for (let i = 0; i < n; i++) if (seen[i] === key) continue tests;
        seen[n++] = key;
      }
      const v = labValue(person, key, rng, reg, cache);
      if (v) rec.lab(day, panel, v, enc);
    }
  }
}
