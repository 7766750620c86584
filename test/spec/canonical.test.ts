import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../src/spec/canonical.js';
import { parseConfig } from '../../src/spec/config.js';
import { parseJourney } from '../../src/spec/journey.js';
import { parseProfile } from '../../src/spec/profile.js';
import { value, yaml } from './helpers.js';

describe('canonicalJson', () => {
  test('sorted keys, no whitespace, undefined dropped', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: undefined, c: 'x' }], é: null, B: true })).toBe('{"B":true,"a":[3,{"c":"x"}],"b":1,"é":null}');
    expect(canonicalJson([undefined, NaN, -0, 1.5])).toBe('[null,null,0,1.5]');
  });

  test('same profile meaning → same canonical JSON (key order, comments, flow vs block, defaults written or omitted)', () => {
    const a = yaml(
      'profile:',
      '  id: x',
      '  product: membersim',
      '  demographics:',
      '    age: {type: normal, mean: 70, std_dev: 5}',
      '    gender: {male: 0.5, female: 0.5}',
      '  clinical:',
      '    comorbidities: [{code: I10, prevalence: 0.5}]',
    );
    const b = yaml(
      '# comment',
      'profile:',
      '  clinical:',
      '    comorbidities:',
      '      - prevalence: 0.5',
      '        code: I10',
      '    medications: []',
      '    allergies_rate: 0.1   # the default',
      '  demographics:',
      '    gender: {female: 0.5, male: 0.5}',
      '    geography: national',
      '    age:',
      '      std_dev: 5',
      '      mean: 70',
      '      type: normal',
      '      min: 0',
      '      max: 120',
      '  generation: {count: 100, products: [membersim]}',
      '  coverage: {plan_distribution: {PPO: 0.35, HMO: 0.4, PFFS: 0.25}, claims_months: 12}',
      '  product: membersim',
      '  id: x',
    );
    const ca = canonicalJson(value(parseProfile(a, 'a.yaml')).normalized);
    const cb = canonicalJson(value(parseProfile(b, 'b.yaml')).normalized);
    expect(cb).toBe(ca);
    const c = a.replace('mean: 70', 'mean: 71');
    expect(canonicalJson(value(parseProfile(c, 'c.yaml')).normalized)).not.toBe(ca);
  });

  test('same journey meaning: depends_on+delay equals timing after; omitted probability equals 1', () => {
    const a = yaml('journey:', '  id: j', '  events:', '    - {id: a, event_type: encounter}', '    - {id: b, event_type: lab_order, depends_on: a, delay: {days: 3}}');
    const b = yaml(
      'journey:',
      '  duration_days: 365',
      '  id: j',
      '  events:',
      '    - {id: a, event_type: encounter, timing: {type: fixed, day: 0}, probability: 1}',
      '    - {id: b, event_type: lab_order, timing: {type: after, event: a, delay_days: 3}}',
    );
    expect(canonicalJson(value(parseJourney(b, 'b.yaml')).normalized)).toBe(canonicalJson(value(parseJourney(a, 'a.yaml')).normalized));
  });

  test('same config meaning: seed/reference_date defaults and dataset order', () => {
    const a = yaml('version: 1', 'datasets:', '  b: {profile: p.yaml}', '  a: {profile: ./p.yaml}');
    const b = yaml('datasets:', '  a: {profile: p.yaml}', '  b: {profile: p.yaml, tags: []}', 'seed: 42', 'reference_date: 2025-01-01', 'version: 1', 'output_dir: outputs/');
    expect(canonicalJson(value(parseConfig(b, 'b')).normalized)).toBe(canonicalJson(value(parseConfig(a, 'a')).normalized));
  });
});
