/**
 * Allergies and intolerances: drug allergens coded in RxNorm (ingredients from the curated
 * table), food/environment as SNOMED CT findings (codes written by hand, not verified against a
 * SNOMED release here). Weights roughly follow how often each is recorded in US records
 * (penicillins most common).
 */
import type { Row } from '../../../model/types.js';
import type { Person } from '../../person.js';
import { isoOfDay, yearsBefore } from '../../dates.js';
import { birthDayFromIso } from '../../clinical/util.js';
import { pickByWeight } from '../../distributions.js';
import { childId } from '../../ids.js';
import type { Rng } from '../../rng.js';

interface Allergen { code: string; system: string; description: string; category: string; weight: number; reactions: string[] }

const ALLERGENS: readonly Allergen[] = [
  { code: '723', system: 'RxNorm', description: 'amoxicillin', category: 'medication', weight: 30, reactions: ['Hives', 'Rash', 'Anaphylaxis'] },
  { code: '10180', system: 'RxNorm', description: 'sulfamethoxazole', category: 'medication', weight: 15, reactions: ['Rash', 'Hives'] },
  { code: '2670', system: 'RxNorm', description: 'codeine', category: 'medication', weight: 10, reactions: ['Nausea', 'Itching'] },
  { code: '1191', system: 'RxNorm', description: 'aspirin', category: 'medication', weight: 6, reactions: ['Hives', 'Wheezing'] },
  { code: '29046', system: 'RxNorm', description: 'lisinopril', category: 'medication', weight: 4, reactions: ['Cough', 'Angioedema'] },
  { code: '91935009', system: 'SNOMED CT', description: 'Allergy to peanuts', category: 'food', weight: 8, reactions: ['Hives', 'Anaphylaxis'] },
  { code: '300913006', system: 'SNOMED CT', description: 'Shellfish allergy', category: 'food', weight: 8, reactions: ['Hives', 'Swelling'] },
  { code: '300916003', system: 'SNOMED CT', description: 'Latex allergy', category: 'environment', weight: 5, reactions: ['Contact dermatitis', 'Hives'] },
];

export function allergiesFor(person: Person, patientId: string, rate: number, refDay: number, rng: Rng): Row[] {
  if (!(rng.next() < rate)) return [];
  const n = rng.next() < 0.8 ? 1 : 2;
  const chosen: Allergen[] = [];
  for (let k = 0; k < n; k++) {
    const a = pickByWeight(ALLERGENS, (x) => (chosen.includes(x) ? 0 : x.weight), rng);
    if (!chosen.includes(a)) chosen.push(a);
  }
  // recorded within the last years of life, never before birth
  const earliest = Math.max(yearsBefore(refDay, Math.max(1, person.age - 5)), birthDayFromIso(person.birth_date) + 1);
  return chosen.map((a, k) => {
    const severe = a.reactions[Math.floor(rng.next() * a.reactions.length)];
    return {
      allergy_id: childId(patientId, 'A', k + 1), patient_id: patientId, code: a.code, code_system: a.system,
      description: a.description, category: a.category, reaction: severe,
      severity: severe === 'Anaphylaxis' || severe === 'Angioedema' ? 'severe' : rng.next() < 0.6 ? 'mild' : 'moderate',
      onset_date: isoOfDay(earliest + Math.floor(rng.next() * Math.max(1, refDay - earliest))),
    };
  });
}
