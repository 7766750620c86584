import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { formatDiagnosticWithSource } from '../../src/spec/diagnostic.js';
import { parseProfile } from '../../src/spec/profile.js';
import { messages, value, yaml } from './helpers.js';

const fixture = (name: string) => readFileSync(`test/fixtures/spec/project/profiles/${name}`, 'utf8');

describe('profile diagnostics (exact text, known lines)', () => {
  test('the DESIGN example: a string where a number belongs', () => {
    const text = yaml(
      'profile:',
      '  id: x',
      '  demographics:',
      '    age:',
      '      type: normal',
      '      mean: seventy',
      '      std_dev: 8',
    );
    expect(messages(parseProfile(text, 'profiles/x.yaml'))).toEqual([
      'profiles/x.yaml:6:13 demographics.age.mean must be a number (got "seventy")',
    ]);
  });

  test('unknown key suggests the nearest known key, and the implied missing key is not repeated', () => {
    const text = yaml('profile:', '  id: x', '  demographics:', '    age: {type: normal, mean: 70, stddev: 8}');
    expect(messages(parseProfile(text, 'profiles/x.yaml'))).toEqual([
      'profiles/x.yaml:4:35 demographics.age has unknown key "stddev" (did you mean std_dev?)',
    ]);
  });

  test('enum errors list the allowed values and suggest the closest', () => {
    const text = yaml('profile:', '  id: x', '  product: patiensim');
    expect(messages(parseProfile(text, 'p.yaml'))).toEqual([
      'p.yaml:3:12 product must be one of patientsim, membersim, rxmembersim, trialsim (got "patiensim") (did you mean patientsim?)',
    ]);
  });

  test('a distribution type typo is judged against the object branch, not the number branch', () => {
    const text = yaml('profile:', '  id: x', '  utilization:', '    er_visits_per_year: {type: poison, mean: 1}', '    pcp_visits_per_year: lots');
    expect(messages(parseProfile(text, 'p.yaml'))).toEqual([
      'p.yaml:4:32 utilization.er_visits_per_year.type must be one of constant, normal, log_normal, uniform, poisson, categorical (got "poison") (did you mean poisson?)',
      'p.yaml:5:26 utilization.pcp_visits_per_year must be a number or a mapping (got "lots")',
    ]);
  });

  test('missing required keys point at the parent key', () => {
    const text = yaml('profile:', '  id: x', '  demographics:', '    gender: {male: 0.5}', '    age: {type: uniform, min: 20}');
    expect(messages(parseProfile(text, 'p.yaml'))).toEqual([
      'p.yaml:5:5 demographics.age is missing required key "max"',
    ]);
  });

  test('gender: one fraction implies the other; none, or more than 1, is an error', () => {
    const gender = (g: string) => parseProfile(yaml('profile:', '  id: x', '  demographics:', `    gender: ${g}`), 'p.yaml');
    expect(value(gender('{female: 1}')).normalized.demographics.gender).toEqual({ female: 1, male: 0 });
    expect(value(gender('{male: 0.3}')).normalized.demographics.gender).toEqual({ female: 0.7, male: 0.3 });
    expect(value(gender('{male: 0.48, female: 0.52}')).normalized.demographics.gender).toEqual({ female: 0.52, male: 0.48 });
    expect(messages(gender('{}'))).toEqual(['p.yaml:4:13 demographics.gender must have at least 1 key']);
    expect(messages(gender('{male: 1.2}'))[0]).toMatch(/^p\.yaml:4:\d+ demographics\.gender\.male must be (<=|at most) 1/);
  });

  test('a missing id points at the profile key; a missing wrapper at line 1', () => {
    expect(messages(parseProfile(yaml('profile:', '  product: membersim'), 'p.yaml'))).toEqual([
      'p.yaml:1:1 profile is missing required key "id"',
    ]);
    expect(messages(parseProfile(yaml('id: x'), 'p.yaml'))).toEqual([
      'p.yaml:1:1 missing required top-level key "profile"',
      'p.yaml:1:1 unknown top-level key "id" (expected one of profile)',
    ]);
  });

  test('semantic checks: min > max, negative std_dev, weights, prevalence, count, expressions', () => {
    const text = yaml(
      'profile:',
      '  id: x',
      '  generation: {count: 0}',
      '  demographics:',
      '    age: {type: normal, mean: 70, std_dev: -2, min: 90, max: 65}',
      '    gender: {male: 0.5, female: 0.4}',
      '  clinical:',
      '    primary_condition: {code: E11, prevalence: 1.2}',
      '    comorbidities:',
      '      - {code: I10, prevalence: 0.5, severity: {mild: 0.5, severe: 0.6}}',
      '    medications:',
      '      - {name: metformin, if: "age >= 65 and sex = \'F\'"}',
      '      - {name: insulin, if: "has_condtion(\'E11\')"}',
      "      - {name: statin, if: 'age + 1'}",
      '  coverage: {plan_distribution: {HMO: 0.5, PPO: 0.3}}',
    );
    expect(messages(parseProfile(text, 'profiles/x.yaml'))).toEqual([
      'profiles/x.yaml:3:23 generation.count must be a positive whole number (got 0)',
      'profiles/x.yaml:5:44 demographics.age.std_dev must not be negative (got -2)',
      'profiles/x.yaml:5:53 demographics.age.min is greater than max (90 > 65) (swap min and max)',
      'profiles/x.yaml:6:13 demographics.gender weights sum to 0.9; they must sum to 1 (weights are fractions of the population, e.g. 0.48 and 0.52)',
      'profiles/x.yaml:8:48 clinical.primary_condition.prevalence must be <= 1 (got 1.2) (a rate or prevalence is a fraction between 0 and 1)',
      'profiles/x.yaml:10:48 clinical.comorbidities[0].severity weights sum to 1.1; they must sum to 1 (weights are fractions of the population, e.g. 0.48 and 0.52)',
      "profiles/x.yaml:12:50 clinical.medications[0].if: '=' is not a comparison (use '==')",
      'profiles/x.yaml:13:30 clinical.medications[1].if: unknown function "has_condtion" (did you mean has_condition?)',
      'profiles/x.yaml:14:29 clinical.medications[2].if: a condition must be true or false, but this is a number (compare it, e.g. age >= 65)',
      'profiles/x.yaml:15:33 coverage.plan_distribution weights sum to 0.8; they must sum to 1 (weights are fractions of the population, e.g. 0.48 and 0.52)',
    ]);
  });

  test('expression errors point into the string (caret under the bad operator)', () => {
    const text = yaml('profile:', '  id: x', '  clinical:', '    medications:', '      - {name: m, if: "age >= 65 && bmi > 30"}');
    const r = parseProfile(text, 'p.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatDiagnosticWithSource(r.errors[0]!, text)).toBe(
      [
        "p.yaml:5:34 clinical.medications[0].if: '&&' is not an operator (use 'and')",
        '  5 |       - {name: m, if: "age >= 65 && bmi > 30"}',
        '    |                                  ^^',
      ].join('\n'),
    );
  });

  test('count beyond one build, and age outside 0–120', () => {
    const text = yaml('profile:', '  id: big', '  generation: {count: 1e12}', '  demographics:', '    age: {type: uniform, min: 10, max: 130}');
    expect(messages(parseProfile(text, 'profiles/big.yaml'))).toEqual([
      'profiles/big.yaml:3:23 count 1e12 is beyond what one build can hold; use --shard or a smaller count (at most 10,000,000 per build)',
      'profiles/big.yaml:5:40 demographics.age.max must be between 0 and 120 (got 130)',
    ]);
  });

  test('ICD-10 codes must be dotted; states must exist; geography takes one form', () => {
    const text = yaml(
      'profile:',
      '  id: x',
      '  demographics:',
      '    geography: {state: CX, county: "48201"}',
      '  clinical:',
      '    primary_condition: {code: E119}',
      '  providers: {reference: {state: TQ}}',
    );
    expect(messages(parseProfile(text, 'p.yaml'))).toEqual([
      'p.yaml:4:16 demographics.geography must use exactly one of state, county, states, counties, weights, national (got state, county)',
      'p.yaml:6:31 clinical.primary_condition.code must be an ICD-10-CM code like E11 or E11.65 (got "E119")',
      'p.yaml:7:34 providers.reference.state "TQ" is not a US state code (did you mean TN?)',
    ]);
  });

  test('trial checks: phase words, duplicate arm codes', () => {
    const text = yaml(
      'profile:',
      '  id: t',
      '  product: trialsim',
      '  trial:',
      '    phase: "phase five"',
      '    arms: [{name: A, code: X}, {name: B, code: X}]',
    );
    expect(messages(parseProfile(text, 'p.yaml'))).toEqual([
      'p.yaml:5:12 trial.phase must be a trial phase like 3, "PHASE III" or "PHASE II/III" (got "phase five")',
      'p.yaml:6:32 trial.arms[1] repeats arm code "X" (give each arm its own code)',
    ]);
  });
});

describe('profile normalization', () => {
  test('seed 003 elderly-diabetic: defaults filled, weights sorted, utilization added for patientsim', () => {
    const p = value(parseProfile(fixture('elderly-diabetic.yaml'), 'profiles/elderly-diabetic.yaml')).normalized;
    expect(p.id).toBe('elderly-diabetic');
    expect(p.products).toEqual(['patientsim']);
    expect(p.generation).toEqual({ count: 100, seed: 42, batch_size: 50 });
    expect(p.demographics.age).toEqual({ type: 'normal', mean: 72, std_dev: 8, min: 65, max: 95 });
    expect(p.demographics.geography).toEqual({ kind: 'state', states: ['CA'] });
    expect(p.clinical.primary_condition).toEqual({
      code: 'E11',
      description: 'Type 2 diabetes mellitus',
      prevalence: 1,
      severity: { controlled: 0.6, uncontrolled: 0.4 },
    });
    expect(p.clinical.comorbidities.map((c) => c.code)).toEqual(['I10', 'E78', 'N18.3']);
    expect(p.clinical.medications[1]).toEqual({ name: 'insulin_glargine', prevalence: 0.3, if: "severity == 'uncontrolled'" });
    expect(p.clinical.derived_conditions).toBe(false);
    expect(p.utilization?.pcp_visits_per_year).toEqual({ type: 'poisson', mean: 3, min: 0, max: 24 });
    expect(p.coverage).toBeUndefined();
    expect(p.trial).toBeUndefined();
  });

  test('membersim Medicare Advantage CA 65+: coverage, weighted counties, bare number → constant', () => {
    const p = value(parseProfile(fixture('medicare-advantage-ca.yaml'), 'x.yaml')).normalized;
    expect(p.product).toBe('membersim');
    expect(p.demographics.age).toEqual({ type: 'uniform', min: 65, max: 89 });
    expect(p.demographics.geography).toEqual({ kind: 'weighted', weights: { '06037': 0.5, '06059': 0.2, '06073': 0.3 } });
    expect(p.utilization?.er_visits_per_year).toEqual({ type: 'constant', value: 0.4 });
    expect(p.coverage).toEqual({
      plan_distribution: { HMO: 0.4, PFFS: 0.25, PPO: 0.35 },
      line_of_business: 'medicare_advantage',
      payers: [],
      part_d_rate: 0.9,
      lis_rate: 0.2,
      risk_score: { type: 'log_normal', mean: 1.4, std_dev: 0.6, min: 0.4, max: 4.5 },
      claims_months: 12,
    });
  });

  test('trialsim NSCLC: phase 3 → PHASE III, arm defaults', () => {
    const p = value(parseProfile(fixture('nsclc-phase3.yaml'), 'x.yaml')).normalized;
    expect(p.trial).toMatchObject({ protocol: 'ONCO-2025-001', phase: 'PHASE III', sites: 8, visits: 12, visit_interval_days: 21, indication_code: 'C34.90' });
    expect(p.trial?.arms).toEqual([
      { code: 'ACTIVE', name: 'Active (Drug A + SOC)', type: 'EXPERIMENTAL', ratio: 1, treatment: 'Active (Drug A + SOC)', ae_rate_multiplier: 1.3 },
      { code: 'CONTROL', name: 'Control (SOC only)', type: 'ACTIVE COMPARATOR', ratio: 1, treatment: 'Control (SOC only)', ae_rate_multiplier: 1 },
    ]);
    expect(p.utilization).toBeUndefined();
  });

  test('an empty trial section gets the documented defaults', () => {
    const p = value(parseProfile(yaml('profile:', '  id: onc', '  product: trialsim'), 'x.yaml')).normalized;
    expect(p.trial).toMatchObject({
      protocol: 'ONC-001',
      phase: 'PHASE III',
      sites: 8,
      visits: 12,
      visit_interval_days: 21,
      missed_visit_rate: 0.13,
    });
    expect(p.trial?.arms.map((a) => [a.code, a.ratio])).toEqual([
      ['ACTIVE', 1],
      ['CONTROL', 1],
    ]);
  });

  test('prior_auth defaults: 10 payers, 10 GLP-1/diabetes/obesity drugs, coverage 0.85, PA 0.65', () => {
    const p = value(parseProfile(yaml('profile:', '  id: pa', '  prior_auth: {payers: 10}'), 'x.yaml')).normalized;
    expect(p.prior_auth?.payers).toBe(10);
    expect(p.prior_auth?.drugs).toHaveLength(10);
    expect(p.prior_auth?.coverage_rate).toBe(0.85);
    expect(p.prior_auth?.pa_rate).toBe(0.65);
  });

  test('seed 003 populationsim reference resolves the geography', () => {
    const p = value(parseProfile(fixture('harris-diabetic.yaml'), 'x.yaml')).normalized;
    expect(p.demographics.source).toBe('populationsim');
    expect(p.demographics.geography).toEqual({ kind: 'county', county_fips: ['48201'] });
    expect(p.providers).toEqual({ source: 'networksim', state: 'TX', specialty: 'endocrinology' });
  });

  test('phase spellings', async () => {
    const { normalizePhase } = await import('../../src/spec/profile-defaults.js');
    expect([3, '2', 'Phase 3', 'PHASE III', 'phase ii/iii', '1/2', 'IV', 'five'].map((x) => normalizePhase(x))).toEqual([
      'PHASE III',
      'PHASE II',
      'PHASE III',
      'PHASE III',
      'PHASE II/III',
      'PHASE I/II',
      'PHASE IV',
      undefined,
    ]);
  });
});
