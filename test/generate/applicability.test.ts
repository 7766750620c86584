import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { appliesTo } from '../../src/reference/icd10Edits.js';
import { diabetesProfile, request } from './fixtures.js';

/** A mixed cohort of all ages whose conditions include sex- and age-specific ones. */
const out = generate(
  request({
    namespace: 'mixed',
    count: 1200,
    journey: undefined,
    profile: diabetesProfile({
      id: 'mixed',
      demographics: { age: { type: 'uniform', min: 0, max: 80 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['OH'] } },
      clinical: {
        primary_condition: { code: 'C50', description: 'Breast cancer', prevalence: 1 },
        comorbidities: [
          { code: 'N40', prevalence: 0.5 },
          { code: 'O24.4', prevalence: 0.3 },
          { code: 'Z00.1', prevalence: 1 },
          { code: 'I10', prevalence: 0.4 },
        ],
        medications: [],
        derived_conditions: false,
        allergies_rate: 0,
      },
    }),
  }),
);
const people = new Map(out.patients.map((p) => [p.patient_id as string, { sex: p.sex as 'M' | 'F', age: p.age as number }]));
const withCode = (prefix: string) => out.diagnoses.filter((d) => (d.code as string).startsWith(prefix)).map((d) => ({ code: d.code as string, ...people.get(d.patient_id as string)! }));

describe('conditions are given only to persons they apply to (ICD-10-CM sex and age edits)', () => {
  it('no diagnosis contradicts its patient’s sex or age', () => {
    for (const d of out.diagnoses) {
      const p = people.get(d.patient_id as string)!;
      expect(appliesTo(d.code as string, p.sex, p.age), `${d.code} for ${p.sex} ${p.age}`).toBe(true);
    }
  });

  it('a category resolves by sex: C50 is a female breast code for women and a male breast code for men', () => {
    const c50 = withCode('C50');
    expect(c50).toHaveLength(1200); // prevalence 1: everyone, both sexes
    for (const d of c50) expect(d.code.slice(5, 6), d.code).toBe(d.sex === 'F' ? '1' : '2');
  });

  it('a prevalence is among those the condition applies to', () => {
    const males = [...people.values()].filter((p) => p.sex === 'M').length;
    const n40 = withCode('N40');
    expect(n40.every((d) => d.sex === 'M')).toBe(true);
    expect(n40.length / males).toBeGreaterThan(0.42);
    expect(n40.length / males).toBeLessThan(0.58);
    const fertile = [...people.values()].filter((p) => p.sex === 'F' && p.age >= 12 && p.age <= 55).length;
    const gdm = withCode('O24.4');
    expect(gdm.every((d) => d.sex === 'F' && d.age >= 12 && d.age <= 55)).toBe(true);
    expect(gdm.length / fertile).toBeGreaterThan(0.22);
    expect(gdm.length / fertile).toBeLessThan(0.38);
  });

  it('Z00.1 gives newborn examinations at age 0 only and child examinations up to 17', () => {
    const z = withCode('Z00.1');
    expect(new Set(z.filter((d) => d.code.startsWith('Z00.11')).map((d) => d.age))).toEqual(new Set([0]));
    expect(Math.max(...z.map((d) => d.age))).toBe(17);
    expect(z.filter((d) => d.age >= 1).every((d) => d.code === 'Z00.121' || d.code === 'Z00.129')).toBe(true);
    expect(z.length).toBe([...people.values()].filter((p) => p.age <= 17).length);
  });
});

describe('a screening PSA (LOINC 2857-1) for men of 50–69 at their yearly visit', () => {
  const o = generate(
    request({
      namespace: 'psa', count: 1500, journey: undefined,
      profile: diabetesProfile({
        id: 'psa',
        demographics: { age: { type: 'uniform', min: 40, max: 80 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['OH'] } },
        clinical: { primary_condition: { code: 'I10', prevalence: 1 }, comorbidities: [{ code: 'C61', prevalence: 0.1 }], medications: [], derived_conditions: false, allergies_rate: 0 },
      }),
    }),
  );
  const pts = new Map(o.patients.map((p) => [p.patient_id as string, p]));
  const psa = o.lab_results.filter((l) => l.code === '2857-1');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('only for men, about a third of those 50–69, with values that rise with age and with prostate cancer', () => {
    expect(psa.every((l) => pts.get(l.patient_id as string)!.sex === 'M')).toBe(true);
    const men5069 = o.patients.filter((p) => p.sex === 'M' && (p.age as number) >= 51 && (p.age as number) <= 69).length;
    const tested = new Set(psa.map((l) => l.patient_id)).size;
    expect(tested / men5069).toBeGreaterThan(0.2);
    expect(tested / men5069).toBeLessThan(0.42);
    const cancer = (id: unknown) => o.diagnoses.some((d) => d.patient_id === id && d.code === 'C61');
    const plain = psa.filter((l) => !cancer(l.patient_id)).map((l) => l.value as number);
    const withC61 = psa.filter((l) => cancer(l.patient_id)).map((l) => l.value as number);
    expect(median(plain)).toBeGreaterThan(0.7);
    expect(median(plain)).toBeLessThan(1.8);
    expect(withC61.length).toBeGreaterThan(5);
    expect(median(withC61)).toBeGreaterThan(3);
    expect(psa.filter((l) => (l.value as number) > 4).every((l) => l.interpretation === 'H')).toBe(true);
  });
});
