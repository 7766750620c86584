/**
 * Treatment history from skills: for each of the person's condition skills, line 1 starts soon
 * after onset and each later line is reached with its probability. When a skill's lines replace
 * each other (diabetes), the earlier line stops with an outcome (inadequate response,
 * intolerance - GI side effects, partial response); add-on skills (heart failure pillars,
 * antihypertensives) keep earlier lines active. Every line starts before the reference date.
 */
import type { Skill, SkillDrugDose } from '../../reference/skills.js';
import { findDrug, type RxDrug } from '../../reference/rxnorm.js';
import { pickByWeight, pickWeighted } from '../distributions.js';
import { dayOfIso } from '../dates.js';
import type { Rng } from '../rng.js';
import type { Person } from '../person.js';
import { childDose } from './pediatrics.js';

export interface MedOrder {
  drug: RxDrug;
  dose: number;
  frequency: string;
  startDay: number;
  endDay?: number;
  status: 'active' | 'stopped' | 'completed';
  line?: number;
  outcome: string;
  skill?: string;
}

/** Whom a dose is for: a child's is adjusted for age and weight (pediatrics.ts childDose). */
export interface DoseFor {
  age: number;
  weightKg: number;
}

export function doseFor(drug: RxDrug, spec: SkillDrugDose | undefined, rng: Rng, who?: DoseFor): number {
  const doses = spec?.doses && spec.doses.length > 0 ? spec.doses : drug.doses;
  const dose = doses[Math.floor(rng.next() * doses.length)];
  return who ? childDose(drug.key, drug.doseUnit, dose, who.age, who.weightKg) : dose;
}

/** The dose a person gets: `who` of doseFor. */
export const doseWho = (person: Person): DoseFor => ({ age: person.age, weightKg: person.clinical.weight_kg });

export function skillTreatmentHistory(skill: Skill, onsetIso: string, refDay: number, rng: Rng, who?: DoseFor): MedOrder[] {
  const out: MedOrder[] = [];
  let day = dayOfIso(onsetIso) + Math.floor(rng.next() * 60);
  let previous: MedOrder[] = [];
  for (const line of skill.medications.lines) {
    if (day >= refDay) break;
    if (!(rng.next() < line.probability)) break;
    if (line.options.length === 0) continue;
    const option = pickByWeight(line.options, (o) => o.weight, rng);
    if (!skill.medications.add_on) {
      const outcome = pickWeighted(skill.medications.outcomes, rng);
      for (const p of previous) {
        p.endDay = day;
        p.status = 'stopped';
        p.outcome = outcome;
      }
    }
    const current: MedOrder[] = [];
    for (const part of [option, ...(option.also ?? [])]) {
      const drug = findDrug(part.drug);
      if (!drug) continue;
      current.push({
        drug, dose: doseFor(drug, part, rng, who), frequency: part.frequency ?? drug.frequency,
        startDay: day, status: 'active', line: line.line, outcome: 'ongoing', skill: skill.id,
      });
    }
    out.push(...current);
    previous = current;
    // the next line, if reached, starts 6 months to 3 years later
    day += 180 + Math.floor(rng.next() * 900);
  }
  return out;
}
