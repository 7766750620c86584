/** journey.schema.json: what happens to people over time (seed 003's JourneyDefinition). */
import { bool, duration, expression, icd10Code, int, list, num, obj, probability, rootSchema, str, type JsonSchema } from './common.js';

export const EVENT_TYPES = ['encounter', 'lab_order', 'medication', 'procedure', 'claim', 'visit', 'adverse_event'] as const;
export const TIMING_TYPES = ['fixed', 'recurring', 'after'] as const;

const eventId = (): JsonSchema =>
  str({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', 'x-expected': 'an id of letters, digits, ., - or _' });

function timingBranch(type: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: obj({ type: {}, ...properties }, required),
  };
}

const timing = (): JsonSchema => ({
  type: 'object',
  required: ['type'],
  properties: { type: { enum: [...TIMING_TYPES] } },
  allOf: [
    timingBranch('fixed', { day: num({ minimum: 0 }), jitter_days: num({ minimum: 0 }) }, ['day']),
    timingBranch(
      'recurring',
      {
        interval_days: num({ exclusiveMinimum: 0 }),
        jitter_days: num({ minimum: 0 }),
        start_day: num({ minimum: 0 }),
      },
      ['interval_days'],
    ),
    timingBranch(
      'after',
      {
        event: eventId(),
        delay_days: num({ minimum: 0 }),
        delay_days_min: num({ minimum: 0 }),
        delay_days_max: num({ minimum: 0 }),
      },
      ['event'],
    ),
  ],
});

const parameters = (): JsonSchema => ({
  type: 'object',
  description: 'event parameters: the keys below are read (another key is a warning: it is ignored)',
  properties: {
    skill_ref: obj({ skill: str({ minLength: 1 }), lookup: str({ minLength: 1 }) }, ['skill']),
    panels: list(str({ minLength: 1 }), { description: 'lab panels (bmp, cmp, lipid, cbc …), test keys or LOINC codes' }),
    tests: list(str({ minLength: 1 }), { description: 'lab tests: test keys (hba1c) or LOINC codes' }),
    vitals: bool(),
    class_code: { enum: ['AMB', 'EMER', 'IMP', 'OBSENC', 'HH', 'VR', 'SS'] },
    encounter_class: { enum: ['AMB', 'EMER', 'IMP', 'OBSENC', 'HH', 'VR', 'SS'] },
    setting: { enum: ['office', 'specialist', 'emergency', 'inpatient', 'outpatient_surgery', 'lab'], description: 'membersim: where the claim happens' },
    code: str({ minLength: 1, description: 'the CPT/HCPCS code of the visit or procedure (another system with code_system)' }),
    code_system: str({ minLength: 1 }),
    description: str(),
    length_days: { type: 'integer', minimum: 1 },
    drug: str({ minLength: 1, description: 'a drug, brand, RxCUI or drug class' }),
    dose: { type: 'number', exclusiveMinimum: 0 },
    frequency: str({ minLength: 1 }),
    monitoring: { type: 'boolean', description: "patientsim encounter: false leaves out the conditions' monitoring panels the journey does not order" },
  },
});

const event = (): JsonSchema =>
  obj(
    {
      id: eventId(),
      name: str(),
      description: str(),
      event_type: { enum: [...EVENT_TYPES] },
      timing: timing(),
      condition: str({ minLength: 1 }),
      probability: probability(),
      if: expression(),
      parameters: parameters(),
      depends_on: eventId(),
      delay: obj({
        days: num({ minimum: 0 }),
        days_min: num({ minimum: 0 }),
        days_max: num({ minimum: 0 }),
        distribution: { enum: ['uniform', 'fixed'] },
      }),
      icd10: icd10Code(),
      cpt: str({ pattern: '^[0-9A-Z][0-9]{3}[0-9A-Z]$', 'x-expected': 'a 5-character CPT/HCPCS code like 99213' }),
      loinc: str({ pattern: '^[0-9]{1,7}-[0-9]$', 'x-expected': 'a LOINC code like 4548-4' }),
      rxnorm: str({ pattern: '^[0-9]{1,10}$', 'x-expected': 'a numeric RxNorm CUI like 860975' }),
    },
    ['id', 'event_type'],
  );

const phase = (): JsonSchema =>
  obj(
    {
      name: str({ minLength: 1 }),
      description: str(),
      start: duration(),
      variance: duration(),
      events: list({ $ref: '#/$defs/Event' }, { minItems: 1 }),
    },
    ['name', 'events'],
  );

export const journeySchema: JsonSchema = rootSchema(
  'journey',
  'healthsim journey',
  'journey',
  obj(
    {
      id: eventId(),
      name: str(),
      description: str(),
      version: { type: ['string', 'number'] },
      duration_days: int({ minimum: 1, maximum: 36500 }),
      events: list({ $ref: '#/$defs/Event' }),
      phases: list(phase()),
    },
    ['id'],
  ),
  { Event: event() },
);
