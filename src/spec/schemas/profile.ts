/** profile.schema.json: who the people are (seed 003's profile spec, as YAML). */
import {
  bool,
  count,
  countyFips,
  distribution,
  distributionDef,
  expression,
  icd10Code,
  int,
  list,
  num,
  obj,
  probability,
  rootSchema,
  seed,
  str,
  usState,
  weights,
  type JsonSchema,
} from './common.js';

export const PRODUCTS = ['patientsim', 'membersim', 'rxmembersim', 'trialsim'] as const;
export const LINES_OF_BUSINESS = ['commercial', 'medicare_advantage', 'medicare', 'medicaid', 'exchange'] as const;
export const ARM_TYPES = ['EXPERIMENTAL', 'ACTIVE COMPARATOR', 'PLACEBO COMPARATOR'] as const;

const condition = (): JsonSchema =>
  obj(
    {
      code: icd10Code(),
      description: str(),
      prevalence: probability('share of people with this condition (default 1)'),
      severity: weights('e.g. {controlled: 0.6, uncontrolled: 0.4}'),
      onset_years_ago: distribution('years before reference_date the condition began'),
    },
    ['code'],
  );

const medication = (): JsonSchema =>
  obj(
    {
      name: str({ minLength: 1 }),
      description: str(),
      prevalence: probability('share of people on this drug (default 1)'),
      if: expression(),
    },
    ['name'],
  );

const geography = (): JsonSchema => ({
  description: 'national | {state} | {county} | {states} | {counties} | {weights}',
  oneOf: [
    { enum: ['national'] },
    obj(
      {
        state: usState(),
        county: countyFips(),
        states: list(usState(), { minItems: 1, uniqueItems: true }),
        counties: list(countyFips(), { minItems: 1, uniqueItems: true }),
        weights: weights('state codes or 5-digit county FIPS → weight'),
        national: bool(),
      },
      [],
      { minProperties: 1 },
    ),
  ],
});

const demographics = (): JsonSchema =>
  obj({
    age: distribution('age in years at reference_date; left out (or a bound left out), it follows an age-specific primary condition (O24.4: 12–55, Z00.1: 0–17)'),
    gender: obj({ male: probability(), female: probability() }, [], {
      minProperties: 1,
      description: 'fractions of males and females (one alone implies the other: { female: 1 }); left out, it follows a sex-specific primary condition (C61: males, O24.4: females), else 0.49 / 0.51',
    }),
    geography: geography(),
    race: weights(),
    ethnicity: weights(),
    source: { enum: ['manual', 'populationsim'] },
    reference: obj(
      {
        type: { enum: ['county', 'state', 'national'] },
        fips: countyFips(),
        state: usState(),
      },
      ['type'],
    ),
  });

const clinical = (): JsonSchema =>
  obj({
    primary_condition: condition(),
    comorbidities: list(condition()),
    medications: list(medication()),
    derived_conditions: bool(),
    allergies_rate: probability(),
  });

const utilization = (): JsonSchema =>
  obj({
    pcp_visits_per_year: distribution(),
    specialist_visits_per_year: distribution(),
    er_visits_per_year: distribution(),
    inpatient_admits_per_year: distribution(),
    monthly_fills: distribution(),
  });

const coverage = (): JsonSchema =>
  obj({
    plan_distribution: weights('plan types (HMO, PPO, PFFS …) → weight'),
    line_of_business: { enum: [...LINES_OF_BUSINESS] },
    payers: list(str({ minLength: 1 })),
    part_d_rate: probability(),
    lis_rate: probability(),
    risk_score: distribution(),
    claims_months: int({ minimum: 1, maximum: 120 }),
  });

const pharmacy = (): JsonSchema =>
  obj({
    adherence: distribution('proportion of days covered, 0..1'),
    ninety_day_rate: probability(),
    drugs: list({ $ref: '#/$defs/Medication' }),
    tier_copays: { type: 'object', additionalProperties: num({ minimum: 0 }) },
    months: int({ minimum: 1, maximum: 120 }),
  });

const arm = (): JsonSchema =>
  obj(
    {
      code: str({ pattern: '^[A-Za-z0-9_-]{1,20}$', 'x-expected': 'a short code of letters, digits, - or _' }),
      name: str({ minLength: 1 }),
      type: { enum: [...ARM_TYPES] },
      ratio: num({ exclusiveMinimum: 0 }),
      treatment: str(),
      ae_rate_multiplier: num({ minimum: 0 }),
    },
    ['name'],
  );

const trial = (): JsonSchema =>
  obj({
    protocol: str({ minLength: 1 }),
    title: str(),
    phase: {
      description: '1-4, "PHASE III", "Phase 2/3" …',
      oneOf: [int({ minimum: 1, maximum: 4 }), str({ minLength: 1 })],
    },
    indication: str(),
    indication_code: icd10Code(),
    sponsor: str(),
    sites: int({ minimum: 1, maximum: 10000 }),
    arms: list(arm(), { minItems: 1 }),
    visits: int({ minimum: 1, maximum: 1000 }),
    visit_interval_days: int({ minimum: 1 }),
    missed_visit_rate: probability(),
    screen_failure_rate: probability(),
    discontinuation_rate: probability(),
    ae_rate: num({ minimum: 0, description: 'expected adverse events per subject' }),
    enrollment_months: int({ minimum: 1, maximum: 240 }),
  });

const priorAuth = (): JsonSchema =>
  obj({
    payers: int({ minimum: 1, maximum: 10000 }),
    drugs: list(str({ minLength: 1 }), { minItems: 1 }),
    coverage_rate: probability(),
    pa_rate: probability(),
    step_therapy_rate: probability(),
    policies: int({ minimum: 0, maximum: 10000 }),
  });

const providers = (): JsonSchema =>
  obj({
    source: { enum: ['networksim', 'generated'] },
    reference: obj({ state: usState(), specialty: str() }),
    state: usState(),
    specialty: str(),
  });

export const profileSchema: JsonSchema = rootSchema(
  'profile',
  'healthsim profile',
  'profile',
  obj(
    {
      id: str({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', 'x-expected': 'an id of letters, digits, ., - or _' }),
      name: str(),
      description: str(),
      version: { type: ['string', 'number'] },
      tags: list(str()),
      product: { enum: [...PRODUCTS] },
      generation: obj({
        count: count(),
        seed: seed(),
        batch_size: int({ minimum: 1, maximum: 1000000 }),
        products: list({ enum: [...PRODUCTS] }, { minItems: 1, uniqueItems: true }),
      }),
      demographics: demographics(),
      clinical: clinical(),
      utilization: utilization(),
      coverage: coverage(),
      pharmacy: pharmacy(),
      trial: trial(),
      prior_auth: priorAuth(),
      providers: providers(),
    },
    ['id'],
  ),
  { Distribution: distributionDef(), Condition: condition(), Medication: medication() },
);
