import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { createContext } from '../../src/generate/context.js';
import { makePerson } from '../../src/generate/demographics/person.js';
import { childAnalyte, childBloodPressure, childBmiMedian, childHeightMedian, CHILD_OBESE_RATIO, CHILD_OVERWEIGHT_RATIO, CHILD_SEVERE_RATIO } from '../../src/generate/clinical/pediatrics.js';
import { loincByCode } from '../../src/reference/loinc.js';
import { preventiveVisitCode } from '../../src/generate/products/patientsim/visitTypes.js';
import type { NormalizedProfile } from '../../src/spec/types.js';
import { DEFAULT_UTILIZATION } from '../../src/spec/profile-defaults.js';
import { diabetesProfile, request } from './fixtures.js';

/** Children 0–17 with asthma, obesity and overweight among their comorbidities, a year of care with labs and vitals. */
function pediatricProfile(): NormalizedProfile {
  return diabetesProfile({
    id: 'peds',
    utilization: DEFAULT_UTILIZATION, // as a profile without a utilization block gets: PCP, specialist, ED and inpatient visits
    demographics: { age: { type: 'uniform', min: 0, max: 17 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['TX'] } },
    clinical: {
      primary_condition: { code: 'J45', description: 'Asthma', prevalence: 1.0 },
      comorbidities: [
        { code: 'E66.9', prevalence: 0.15 },
        { code: 'E66.3', prevalence: 0.15 },
        { code: 'E66.01', prevalence: 0.05 },
      ],
      medications: [],
      derived_conditions: false,
      allergies_rate: 0.1,
    },
  });
}

const num = (v: unknown): number => v as number;

/** Each person's most severe of E66.01 > E66.9 > E66.3 (a profile may give someone two). */
function mostSevereE66(diagnoses: readonly Record<string, unknown>[]): { patient_id: unknown; code: string }[] {
  const rank: Record<string, number> = { 'E66.01': 3, 'E66.9': 2, 'E66.3': 1 };
  const best = new Map<unknown, string>();
  for (const d of diagnoses) {
    const code = d.code as string;
    if (!rank[code]) continue;
    const had = best.get(d.patient_id);
    if (!had || rank[code] > rank[had]) best.set(d.patient_id, code);
  }
  return [...best].map(([patient_id, code]) => ({ patient_id, code }));
}

describe("children's physiology", () => {
  const out = generate(request({ profile: pediatricProfile(), namespace: 'peds', count: 900, journey: undefined }));
  const patients = new Map(out.patients.map((p) => [p.patient_id, p]));
  const ageOf = (id: unknown): number => num(patients.get(id as string)!.age);
  const sexOf = (id: unknown): 'M' | 'F' => patients.get(id as string)!.sex as 'M' | 'F';
  const labs = (code: string) => out.lab_results.filter((l) => l.code === code);

  it('a uniform age range includes both bounds: every age from 0 to 17', () => {
    expect([...new Set(out.patients.map((p) => num(p.age)))].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, a) => a));
  });

  it('height, weight and BMI follow the growth charts for age and sex (no 5-year-old of 80 kg)', () => {
    const heights = labs('8302-2');
    expect(heights.length).toBeGreaterThan(500);
    for (const h of heights) {
      const median = childHeightMedian(ageOf(h.patient_id), sexOf(h.patient_id));
      expect(num(h.value)).toBeGreaterThan(median * 0.8);
      expect(num(h.value)).toBeLessThan(median * 1.2);
    }
    for (const b of labs('39156-5')) {
      const median = childBmiMedian(ageOf(b.patient_id), sexOf(b.patient_id));
      expect(num(b.value)).toBeGreaterThan(median * 0.75);
      expect(num(b.value)).toBeLessThan(median * 2.2);
    }
    // weight grows with age: the mean of 5-year-olds is a child's, of 16-year-olds an adult's
    const meanWeight = (age: number) => {
      const w = labs('29463-7').filter((l) => ageOf(l.patient_id) === age).map((l) => num(l.value));
      return w.reduce((s, x) => s + x, 0) / w.length;
    };
    expect(meanWeight(5)).toBeGreaterThan(15);
    expect(meanWeight(5)).toBeLessThan(28);
    expect(meanWeight(16)).toBeGreaterThan(52);
    expect(meanWeight(16)).toBeLessThan(80);
  });

  it('BMI agrees with an obesity or overweight diagnosis (the most severe one), by the percentiles for age', () => {
    const band: Record<string, [number, number]> = { 'E66.3': [CHILD_OVERWEIGHT_RATIO, CHILD_OBESE_RATIO], 'E66.9': [CHILD_OBESE_RATIO, Infinity], 'E66.01': [CHILD_SEVERE_RATIO, Infinity] };
    let checked = 0;
    for (const d of mostSevereE66(out.diagnoses)) {
      // the person's usual BMI: the mean of their BMI measurements (each visit's weight varies a little)
      const bmis = labs('39156-5').filter((l) => l.patient_id === d.patient_id).map((l) => num(l.value));
      if (bmis.length === 0) continue;
      const ratio = bmis.reduce((s, x) => s + x, 0) / bmis.length / childBmiMedian(ageOf(d.patient_id), sexOf(d.patient_id));
      const [lo, hi] = band[d.code as string];
      expect(ratio, `${d.code} at age ${ageOf(d.patient_id)}`).toBeGreaterThan(lo * 0.96);
      expect(ratio).toBeLessThan(hi * 1.04);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('heart rate, blood pressure, creatinine, ALP and hemoglobin are those of children, flagged by pediatric intervals', () => {
    for (const l of labs('8867-4')) {
      const a = childAnalyte('heart_rate', ageOf(l.patient_id))!;
      expect(Math.abs(num(l.value) - a.mean)).toBeLessThanOrEqual(3 * a.sd + 0.5);
    }
    for (const l of labs('8480-6')) {
      const bp = childBloodPressure(ageOf(l.patient_id)).systolic;
      expect(Math.abs(num(l.value) - bp)).toBeLessThanOrEqual(30);
      expect(l.interpretation).toBe(num(l.value) > bp + 13 ? 'H' : num(l.value) < bp - 25 ? 'L' : 'N');
    }
    const creat = labs('2160-0');
    expect(creat.length).toBeGreaterThan(50);
    for (const l of creat) expect(num(l.value)).toBeLessThan(1.0);
    const alp = labs('6768-6').map((l) => num(l.value));
    expect(alp.reduce((s, x) => s + x, 0) / alp.length).toBeGreaterThan(150); // bone growth: adults average ≈ 80
    for (const l of labs('718-7')) {
      const a = childAnalyte('hemoglobin', ageOf(l.patient_id))!;
      expect(l.interpretation).toBe(num(l.value) < a.low! ? 'L' : num(l.value) > a.high! ? 'H' : 'N');
    }
  });

  it('well-child visits: the preventive code for the age, a child health exam reason, no routine chemistry; childhood emergencies', () => {
    const prev = out.encounters.filter((e) => /^993(9[1-7])$/.test(e.code as string));
    expect(prev.length).toBeGreaterThan(800); // one a year per child, in the year before the reference date
    for (const e of prev) {
      expect(e.code).toBe(preventiveVisitCode(ageOf(e.patient_id)));
      expect(e.reason_code).toMatch(/^Z00\.12[19]$/);
    }
    expect(new Set(prev.map((e) => e.code))).toEqual(new Set(['99391', '99392', '99393', '99394']));
    const prevIds = new Set(prev.map((e) => e.encounter_id));
    const prevLabs = out.lab_results.filter((l) => prevIds.has(l.encounter_id));
    expect(prevLabs.filter((l) => l.panel === 'cmp')).toEqual([]);
    const lipidAges = new Set(prevLabs.filter((l) => l.panel === 'lipid').map((l) => ageOf(l.patient_id)));
    expect([...lipidAges].sort((a, b) => a - b)).toEqual([9, 10, 11, 17]);
    const ed = out.encounters.filter((e) => e.encounter_class === 'EMER');
    expect(ed.length).toBeGreaterThan(50);
    for (const e of ed) expect(['R07.9', 'R10.9', 'R51.9', 'S93.401A', 'N39.0']).not.toContain(e.reason_code); // chest pain, ankle sprain …: adults'
  });

  it('reports no adult eGFR (CKD-EPI) for anyone under 18, and no smoker under 12', () => {
    expect(out.lab_results.some((l) => l.code === loincByCode('98979-8')!.code)).toBe(false);
    expect(out.lab_results.filter((l) => l.code === '2160-0').length).toBeGreaterThan(0);
    // smoking is not a column; journeys and expressions read it (scope.ts)
    const ctx = createContext(request({ profile: pediatricProfile(), namespace: 'peds', count: 900, journey: undefined }));
    const people = Array.from({ length: 900 }, (_, i) => makePerson(ctx, i));
    expect(people.filter((p) => p.age < 12 && p.clinical.smoker)).toEqual([]);
    expect(people.filter((p) => p.age < 12).length).toBeGreaterThan(400);
    expect(people.filter((p) => p.age >= 12 && p.clinical.smoker).length).toBeLessThan(30); // ≈ 3 % of ≈ 300 teenagers
  });
});

describe('adults: BMI agrees with E66', () => {
  it('obesity (E66.9) means BMI ≥ 30, severe (E66.01) ≥ 40, overweight (E66.3) 25–30', () => {
    const profile = diabetesProfile({
      clinical: {
        primary_condition: { code: 'I10', description: 'Hypertension', prevalence: 1.0 },
        comorbidities: [{ code: 'E66.9', prevalence: 0.3 }, { code: 'E66.01', prevalence: 0.1 }, { code: 'E66.3', prevalence: 0.2 }],
        medications: [],
        derived_conditions: false,
        allergies_rate: 0,
      },
    });
    const out = generate(request({ profile, namespace: 'adults-e66', count: 400, journey: undefined }));
    const band: Record<string, [number, number]> = { 'E66.9': [30, 61], 'E66.01': [40, 61], 'E66.3': [25, 30] };
    let checked = 0;
    for (const d of mostSevereE66(out.diagnoses)) {
      const bmis = out.lab_results.filter((l) => l.patient_id === d.patient_id && l.code === '39156-5').map((l) => num(l.value));
      if (bmis.length === 0) continue;
      const mean = bmis.reduce((s, x) => s + x, 0) / bmis.length;
      expect(mean, String(d.code)).toBeGreaterThan(band[d.code as string][0] - 0.8);
      expect(mean).toBeLessThan(band[d.code as string][1] + 0.8);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
