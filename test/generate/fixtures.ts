import type { GenerateRequest } from '../../src/generate/types.js';
import type { NormalizedJourney, NormalizedProfile } from '../../src/spec/types.js';

export function diabetesProfile(over: Partial<NormalizedProfile> = {}): NormalizedProfile {
  return {
    id: 'elderly-diabetic',
    product: 'patientsim',
    products: ['patientsim'],
    generation: { count: 100, seed: 42, batch_size: 50 },
    demographics: {
      age: { type: 'normal', mean: 72, std_dev: 8, min: 65, max: 95 },
      gender: { male: 0.48, female: 0.52 },
      geography: { kind: 'state', states: ['CA'] },
    },
    clinical: {
      primary_condition: { code: 'E11', description: 'Type 2 diabetes mellitus', prevalence: 1.0 },
      comorbidities: [
        { code: 'I10', prevalence: 0.7 },
        { code: 'E78', prevalence: 0.5 },
      ],
      medications: [],
      derived_conditions: false,
      allergies_rate: 0.2,
    },
    ...over,
  };
}

export function diabeticYear(): NormalizedJourney {
  return {
    id: 'diabetic-year-one',
    duration_days: 365,
    events: [
      { id: 'quarterly-visit', event_type: 'encounter', timing: { type: 'recurring', interval_days: 90, jitter_days: 7, start_day: 0 }, condition: 'diabetes', probability: 1, parameters: { class_code: 'AMB' }, codes: {} },
      { id: 'annual-labs', event_type: 'lab_order', timing: { type: 'fixed', day: 30 }, probability: 1, parameters: { panels: ['cmp', 'lipid', 'hba1c'] }, codes: {} },
      { id: 'a1c-check', event_type: 'lab_order', timing: { type: 'after', event: 'quarterly-visit', delay_days: 0 }, probability: 0.9, parameters: { skill_ref: { skill: 'diabetes-management', lookup: 'monitoring.labs.hba1c' } }, codes: {} },
      { id: 'intensify', event_type: 'medication', timing: { type: 'fixed', day: 200 }, condition: 'diabetes', probability: 0.3, parameters: {}, codes: {} },
      { id: 'eye-exam', event_type: 'procedure', timing: { type: 'fixed', day: 120 }, condition: 'diabetes', probability: 0.5, parameters: {}, codes: { cpt: '92250' } },
    ],
  };
}

export function request(over: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    profile: diabetesProfile(),
    journey: diabeticYear(),
    seed: 42,
    count: 100,
    namespace: 'elderly-diabetic',
    referenceDate: '2025-01-01',
    ...over,
  };
}
