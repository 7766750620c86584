import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { createContext } from '../../src/generate/context.js';
import { makePerson } from '../../src/generate/demographics/person.js';
import { childAnalyte, childBloodPressure, childBmiMedian, childHeightMedian, CHILD_OBESE_RATIO, CHILD_OVERWEIGHT_RATIO, CHILD_SEVERE_RATIO } from '../../src/generate/clinical/pediatrics.js';
import { loincByCode } from '../../src/reference/loinc.js';
import { preventiveVisitCode } from '../../src/generate/products/patientsim/visitTypes.js';
import type { NormalizedJourney, NormalizedProfile, UtilizationKey } from '../../src/spec/types.js';
import { childDose, wellChildSchedule } from '../../src/generate/clinical/pediatrics.js';
import { isoOfDay } from '../../src/generate/dates.js';
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
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
const daysOld = (birth: string, on: string) => dayOf(on) - dayOf(birth);
/** Whole years of age on a date. */
function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = on.slice(0, 10).split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

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
  const birthOf = (id: unknown): string => patients.get(id as string)!.birth_date as string;
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
    expect(prev.length).toBeGreaterThan(800); // one a year per child from 3, the Bright Futures schedule before
    for (const e of prev) {
      const atVisit = ageOn(birthOf(e.patient_id), e.start_date as string);
      expect(e.code).toBe(preventiveVisitCode(atVisit));
      expect(e.reason_code).toMatch(daysOld(birthOf(e.patient_id), e.start_date as string) < 8 ? /^Z00\.110$/ : /^Z00\.12[19]$/);
    }
    expect(new Set(prev.map((e) => e.code))).toEqual(new Set(['99391', '99392', '99393', '99394']));
    const prevIds = new Set(prev.map((e) => e.encounter_id));
    const prevLabs = out.lab_results.filter((l) => prevIds.has(l.encounter_id));
    expect(prevLabs.filter((l) => l.panel === 'cmp')).toEqual([]);
    const lipidAges = new Set(prevLabs.filter((l) => l.panel === 'lipid').map((l) => ageOn(birthOf(l.patient_id), l.effective_date as string)));
    expect([...lipidAges].sort((a, b) => a - b)).toEqual([9, 10, 11, 17]);
    const ed = out.encounters.filter((e) => e.encounter_class === 'EMER');
    expect(ed.length).toBeGreaterThan(50);
    for (const e of ed) expect(['R07.9', 'R10.9', 'R51.9', 'S93.401A', 'N39.0']).not.toContain(e.reason_code); // chest pain, ankle sprain …: adults'
  });

  it("a pediatrician is a child's primary care doctor; an adult cohort's network has none", () => {
    const peds = new Set(out.providers.filter((p) => p.taxonomy_code === '208000000X' && p.specialty === 'Pediatrics').map((p) => p.provider_id));
    expect(peds.size).toBe(4); // per state
    expect(out.patients.every((p) => peds.has(p.primary_provider_id))).toBe(true);
    const visits = out.encounters.filter((e) => e.encounter_class === 'AMB' && /^9939[1-4]$/.test(e.code as string));
    expect(visits.every((e) => peds.has(e.provider_id))).toBe(true);
    const adults = generate(request({ count: 50 }));
    expect(adults.providers.some((p) => p.specialty === 'Pediatrics')).toBe(false);
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

describe('infants and toddlers', () => {
  const ALL_DEFAULTED = { ...DEFAULT_UTILIZATION, defaulted: ['pcp_visits_per_year', 'specialist_visits_per_year', 'er_visits_per_year', 'inpatient_admits_per_year', 'monthly_fills'] as UtilizationKey[] };
  const children = (min: number, max: number, utilization: NormalizedProfile['utilization'], extra: Partial<NormalizedProfile> = {}) =>
    diabetesProfile({
      id: 'infants',
      utilization,
      demographics: { age: { type: 'uniform', min, max }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['NY'] } },
      clinical: { primary_condition: { code: 'J45', prevalence: 0.3 }, comorbidities: [], medications: [{ name: 'albuterol', prevalence: 0.5 }], derived_conditions: false, allergies_rate: 1 },
      ...extra,
    });
  const monthly: NormalizedJourney = {
    id: 'monthly', duration_days: 720,
    events: [
      { id: 'visit', event_type: 'encounter', timing: { type: 'recurring', interval_days: 30, jitter_days: 3, start_day: 0 }, probability: 1, parameters: { class_code: 'AMB' }, codes: {} },
      { id: 'labs', event_type: 'lab_order', timing: { type: 'after', event: 'visit', delay_days: 0 }, probability: 1, parameters: { panels: ['cbc'] }, codes: {} },
    ],
  };
  const out = generate(request({ profile: children(0, 2, ALL_DEFAULTED), namespace: 'infants', count: 400, journey: monthly }));
  const birth = new Map(out.patients.map((p) => [p.patient_id as string, p.birth_date as string]));

  it('nothing is dated before the child was born: encounters of a two-year journey, labs, diagnoses, medications, allergies', () => {
    const dated: [string, readonly Record<string, unknown>[], string][] = [
      ['encounters', out.encounters, 'start_date'], ['lab_results', out.lab_results, 'effective_date'], ['diagnoses', out.diagnoses, 'onset_date'],
      ['medications', out.medications, 'start_date'], ['allergies', out.allergies, 'onset_date'], ['procedures', out.procedures, 'performed_date'],
    ];
    for (const [table, rows, col] of dated) {
      const early = rows.filter((r) => r[col] && (r[col] as string).slice(0, 10) < birth.get(r.patient_id as string)!);
      expect(early.map((r) => `${table} ${r[col]} < ${birth.get(r.patient_id as string)}`)).toEqual([]);
    }
    expect(out.encounters.filter((e) => e.journey_event === 'visit').length).toBeGreaterThan(400 * 5); // the journey still runs after birth
    expect(out.medications.length).toBeGreaterThan(100);
    expect(out.allergies.length).toBeGreaterThan(300);
  });

  it('well-child visits follow the Bright Futures schedule (newborn, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30 months)', () => {
    const ref = dayOf('2025-01-01');
    const out = generate(request({ profile: children(0, 2, ALL_DEFAULTED), namespace: 'infants', count: 400, journey: undefined })); // preventive care is the record without a journey
    const prev = out.encounters.filter((e) => /^9939[12]$/.test(e.code as string));
    const byPatient = new Map<string, number[]>();
    for (const e of prev) byPatient.set(e.patient_id as string, [...(byPatient.get(e.patient_id as string) ?? []), dayOf(e.start_date as string)]);
    for (const p of out.patients) {
      const expected = wellChildSchedule(dayOf(p.birth_date as string), ref - 364, ref).map((v) => v.day);
      expect((byPatient.get(p.patient_id as string) ?? []).sort((a, b) => a - b), String(p.patient_id)).toEqual(expected);
    }
    expect(wellChildSchedule(dayOf('2023-03-31'), 0, dayOf('2030-01-01')).map((v) => `${v.months}:${isoOfDay(v.day)}`)).toEqual([
      '0:2023-04-04', '1:2023-04-30', '2:2023-05-31', '4:2023-07-31', '6:2023-09-30', '9:2023-12-31', '12:2024-03-31', '15:2024-06-30', '18:2024-09-30', '24:2025-03-31', '30:2025-09-30',
    ]);
    // the 12-month visit orders the blood count; the others vitals only
    const prevIds = new Map(prev.map((e) => [e.encounter_id, e]));
    for (const l of out.lab_results.filter((x) => prevIds.has(x.encounter_id) && x.panel === 'cbc')) {
      const e = prevIds.get(l.encounter_id)!;
      expect(daysOld(birth.get(e.patient_id as string)!, e.start_date as string)).toBeGreaterThanOrEqual(365);
      expect(daysOld(birth.get(e.patient_id as string)!, e.start_date as string)).toBeLessThanOrEqual(366);
    }
  });

  it("a child's default utilization is scaled for age; what the profile writes is kept", () => {
    const rate = (u: NormalizedProfile['utilization'], cls: string) => {
      const o = generate(request({ profile: children(5, 14, u), namespace: 'school', count: 1500, journey: undefined }));
      return o.encounters.filter((e) => e.encounter_class === cls).length / 1500;
    };
    const defaulted = { inpatient: rate(ALL_DEFAULTED, 'IMP'), ed: rate(ALL_DEFAULTED, 'EMER') };
    expect(defaulted.inpatient).toBeLessThan(0.045); // ≈ 0.025 a year at 5–14, not the adults' 0.25
    expect(defaulted.ed).toBeGreaterThan(0.18);
    expect(defaulted.ed).toBeLessThan(0.33); // ≈ 0.26
    const written = rate(DEFAULT_UTILIZATION, 'IMP'); // the same numbers, written by the profile
    expect(written).toBeGreaterThan(0.2);
  });
});

describe("children's doses", () => {
  it('label doses by age for montelukast and fluticasone; other drugs by weight under 50 kg; adults unchanged', () => {
    expect([3, 5, 6, 14, 15, 30].map((a) => childDose('montelukast', 'mg', 10, a, 20))).toEqual([4, 4, 5, 5, 10, 10]);
    expect([childDose('fluticasone', 'ug', 250, 8, 25), childDose('fluticasone', 'ug', 100, 8, 25), childDose('fluticasone', 'ug', 250, 13, 45)]).toEqual([100, 50, 250]);
    expect(childDose('albuterol', 'ug', 180, 4, 16)).toBe(180);
    expect(childDose('metformin', 'mg', 1000, 12, 35)).toBe(500); // 1000 × 35 / 70
    expect(childDose('lisinopril', 'mg', 10, 8, 25)).toBe(3.6);
    expect(childDose('insulin_glargine', '[iU]', 20, 9, 30)).toBe(9);
    expect(childDose('metformin', 'mg', 1000, 16, 62)).toBe(1000); // adult weight
    expect(childDose('metformin', 'mg', 1000, 40, 30)).toBe(1000); // an adult
  });

  it('a generated pediatric cohort gets those doses', () => {
    const profile = diabetesProfile({
      id: 'peds-meds',
      demographics: { age: { type: 'uniform', min: 2, max: 17 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['TX'] } },
      clinical: {
        primary_condition: { code: 'J45', prevalence: 1 }, comorbidities: [],
        medications: [{ name: 'albuterol', prevalence: 1 }, { name: 'fluticasone', prevalence: 1 }, { name: 'montelukast', prevalence: 1 }],
        derived_conditions: false, allergies_rate: 0,
      },
    });
    const o = generate(request({ profile, namespace: 'peds-meds', count: 300, journey: undefined }));
    const age = new Map(o.patients.map((p) => [p.patient_id, p.age as number]));
    const doses = (name: string) => o.medications.filter((m) => String(m.description).toLowerCase().includes(name)).map((m) => ({ age: age.get(m.patient_id)!, dose: m.dose_value as number }));
    const mont = doses('montelukast');
    expect(mont.length).toBeGreaterThan(250);
    for (const m of mont) expect(m.dose).toBe(m.age < 6 ? 4 : m.age < 15 ? 5 : 10);
    const flut = doses('fluticasone');
    expect(flut.length).toBeGreaterThan(250);
    for (const m of flut) if (m.age < 12) expect(m.dose).toBeLessThanOrEqual(100);
  });
});
