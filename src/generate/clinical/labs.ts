/**
 * Lab and vital-sign values for one person on one day. Each result varies around the person's
 * usual level (their skill's value model for their severity, or the population default) and
 * stays inside the model's band and the analyte's physiological range. Related analytes are
 * computed, not drawn independently: creatinine from eGFR (CKD-EPI 2021 inverted), fasting
 * glucose from HbA1c (ADAG estimated average glucose), total cholesterol from LDL + HDL + TG/5,
 * BMI from weight and height.
 */
import type { Person } from '../person.js';
import type { Distribution } from '../../spec/types.js';
import { loincByKey, type LoincTest } from '../../reference/loinc.js';
import type { SkillRegistry, SkillLabModel } from '../../reference/skills.js';
import { round } from '../distributions.js';
import type { Rng } from '../rng.js';
import { skillSeverityKey } from './severity.js';
import { CHILD_OVERWEIGHT_RATIO, CHILD_UNDERWEIGHT_RATIO, childAnalyte, childBloodPressure, childBmiMedian, childCreatinine, isChild } from './pediatrics.js';

export interface LabValue {
  test: LoincTest;
  value: number;
  interpretation: 'N' | 'H' | 'L';
}

interface ModelRef {
  model: SkillLabModel;
  dist?: Distribution;
}

/** An analyte's test, and the skill model of it for a combination of skills and severities. */
interface Analyte {
  test: LoincTest;
  ref: ModelRef | undefined;
}

/** Analyte lookups per (registry, skills + severities) combination: few distinct ones per dataset. */
const modelCache = new WeakMap<SkillRegistry, Map<string, Map<string, Analyte>>>();

/**
 * The analytes of the person and registry of the last call: results are drawn person by person, so
 * nearly every call of a person's ≈ 25 results ends here (a WeakMap keyed by person was a lookup
 * per result and an entry per person until the next full GC).
 */
let lastPerson: Person | undefined;
let lastReg: SkillRegistry | undefined;
let lastModels: Map<string, Analyte> | undefined;

function modelsFor(person: Person, reg: SkillRegistry): Map<string, Analyte> {
  if (person === lastPerson && reg === lastReg) return lastModels!;
  let byCombo = modelCache.get(reg);
  if (!byCombo) modelCache.set(reg, (byCombo = new Map()));
  const combo = person.clinical.skills.map((id) => `${id}=${person.clinical.severity[id] ?? ''}`).join('|');
  let m = byCombo.get(combo);
  if (!m) byCombo.set(combo, (m = new Map()));
  lastPerson = person;
  lastReg = reg;
  lastModels = m;
  return m;
}

/** The test of a LOINC table key and the person's skill model of it (one lookup); undefined for an unknown key. */
function analyte(person: Person, key: string, reg: SkillRegistry): Analyte | undefined {
  const m = modelsFor(person, reg);
  let hit = m.get(key);
  if (hit === undefined) {
    const test = loincByKey(key);
    if (!test) return undefined;
    m.set(key, (hit = { test, ref: findSkillModel(person, key, reg) }));
  }
  return hit;
}

function findSkillModel(person: Person, key: string, reg: SkillRegistry): ModelRef | undefined {
  for (const id of person.clinical.skills) {
    const skill = reg.get(id);
    const model = skill?.monitoring.labs[key];
    if (!skill || !model) continue;
    const sev = skillSeverityKey(skill, person.clinical.severity[id]);
    return { model, dist: sev ? (model.by_severity?.[sev] as Distribution | undefined) : undefined };
  }
  return undefined;
}

/** The model's band: its distribution's min and max, open where it has none. */
const lowBound = (d: Distribution | undefined): number => (!d || d.type === 'constant' || d.type === 'categorical' ? -Infinity : d.min ?? -Infinity);
const highBound = (d: Distribution | undefined): number => (!d || d.type === 'constant' || d.type === 'categorical' ? Infinity : d.max ?? Infinity);

/** CKD-EPI 2021 (race-free) solved for serum creatinine. */
export function creatinineFromEgfr(egfr: number, age: number, sex: 'M' | 'F'): number {
  const kappa = sex === 'F' ? 0.7 : 0.9;
  const alpha = sex === 'F' ? -0.241 : -0.302;
  const base = 142 * 0.9938 ** age * (sex === 'F' ? 1.012 : 1);
  const ratio = egfr / base;
  // above kappa: eGFR = base * (Scr/k)^-1.2 ; below: base * (Scr/k)^alpha
  const high = kappa * ratio ** (-1 / 1.2);
  return high >= kappa ? high : kappa * ratio ** (1 / alpha);
}

/** The reference interval for the H/L flag: the test's own (adult) one, or `flag` (a child's). */
interface Interval {
  low?: number;
  high?: number;
}

/**
 * The one result labValue hands out, filled anew by every call: a result is copied into its row
 * at once (PatientRecord.lab), and a new object for each of a block's ≈ 180,000 results was
 * ≈ 11 % of what generation allocated.
 */
const result: LabValue = { test: undefined as unknown as LoincTest, value: 0, interpretation: 'N' };

function finish(test: LoincTest, raw: number, lo = -Infinity, hi = Infinity, flag: Interval = test): LabValue {
  let v = Math.min(hi, Math.max(lo, raw));
  v = Math.min(test.physio[1], Math.max(test.physio[0], v));
  v = round(v, test.decimals);
  result.test = test;
  result.value = v;
  result.interpretation = flag.low !== undefined && v < flag.low ? 'L' : flag.high !== undefined && v > flag.high ? 'H' : 'N';
  return result;
}

/**
 * A child's value of the analytes whose usual values or reference intervals differ from adults'
 * (pediatrics.ts); undefined to go on with the adult rules. eGFR is not reported under 18 (the
 * CKD-EPI equation is for adults, and laboratories leave it out).
 */
function childValue(person: Person, key: string, test: LoincTest, ref: ModelRef | undefined, rng: Rng, reg: SkillRegistry, cache: Record<string, number>): LabValue | null | undefined {
  switch (key) {
    case 'egfr':
      return null;
    case 'creatinine': {
      const a = childAnalyte(key, person.age)!;
      return finish(test, childCreatinine(around(person, 'egfr', 3, rng, reg, cache), person.clinical.height_cm), -Infinity, Infinity, a);
    }
    case 'bmi': {
      const w = cache.weight ?? rng.normal(person.clinical.weight_kg, 0.3);
      const median = childBmiMedian(person.age, person.sex);
      // under the 5th percentile is underweight, from the 85th overweight
      return finish(test, w / (person.clinical.height_cm / 100) ** 2, -Infinity, Infinity, { low: median * CHILD_UNDERWEIGHT_RATIO, high: median * CHILD_OVERWEIGHT_RATIO });
    }
    case 'weight': {
      const w = rng.normal(person.clinical.weight_kg, Math.min(0.8, 0.015 * person.clinical.weight_kg));
      cache.weight = w;
      return finish(test, w);
    }
    case 'fev1':
      if (ref || person.clinical.levels.fev1 !== undefined) return undefined;
      // FEV1 grows with height (≈ 1.3 L at 120 cm, 3 L at 160 cm)
      return finish(test, rng.normal(0.85 * (person.clinical.height_cm / 100) ** 2.7, 0.12 * (person.clinical.height_cm / 100) ** 2.7));
    case 'systolic_bp':
    case 'diastolic_bp': {
      if (ref) return undefined;
      const bp = childBloodPressure(person.age)[key === 'systolic_bp' ? 'systolic' : 'diastolic'];
      // about the 90th percentile (AAP 2017: elevated) and a low well under the 5th
      return finish(test, around(person, key, test.population.sd * 0.25, rng, reg, cache), -Infinity, Infinity, { low: bp - 25, high: bp + 13 });
    }
    default: {
      const a = childAnalyte(key, person.age);
      if (!a) return undefined;
      if (ref || person.clinical.levels[key] !== undefined) return finish(test, around(person, key, a.sd * 0.25, rng, reg, cache), lowBound(ref?.dist), highBound(ref?.dist), a);
      // a healthy child: within 3 SD of the usual value for age (a heart rate of 35 at 13 is not a healthy draw)
      return finish(test, rng.normal(a.mean, a.sd), a.mean - 3 * a.sd, a.mean + 3 * a.sd, a);
    }
  }
}

/** A visit value around the person's level of analyte k (memoized per order in `cache`). */
function around(person: Person, k: string, defaultSd: number, rng: Rng, reg: SkillRegistry, cache: Record<string, number>): number {
  const hit = cache[k];
  if (hit !== undefined) return hit;
  const { test: t, ref } = analyte(person, k, reg)!;
  const sd = ref?.model.within_person_sd ?? defaultSd;
  const lo = lowBound(ref?.dist), hi = highBound(ref?.dist);
  const base = person.clinical.levels[k] ?? t.population.mean;
  const v = Math.min(t.physio[1], Math.max(t.physio[0], Math.min(hi, Math.max(lo, rng.normal(base, sd)))));
  cache[k] = v;
  return v;
}

/**
 * The person's value of one analyte (LOINC table key) on a visit, drawn from `rng`. The object
 * returned is reused by the next call: copy what you keep.
 */
export function labValue(person: Person, key: string, rng: Rng, reg: SkillRegistry, cache: Record<string, number> = {}): LabValue | undefined {
  const a = analyte(person, key, reg);
  if (!a) return undefined;
  const { test, ref } = a;
  if (isChild(person)) {
    const v = childValue(person, key, test, ref, rng, reg, cache);
    if (v !== undefined) return v ?? undefined;
  }
  switch (key) {
    case 'creatinine':
      return finish(test, creatinineFromEgfr(around(person, 'egfr', 3, rng, reg, cache), person.age, person.sex));
    case 'bun': {
      const egfr = around(person, 'egfr', 3, rng, reg, cache);
      return finish(test, rng.normal(14 * (90 / egfr) ** 0.65, 2));
    }
    case 'fasting_glucose':
    case 'glucose': {
      if (ref) break;
      const a1c = around(person, 'hba1c', 0.2, rng, reg, cache);
      const eag = a1c > 5.7 ? 28.7 * a1c - 46.7 : test.population.mean;
      return finish(test, rng.normal(eag, key === 'glucose' ? 14 : 10), 60);
    }
    case 'cholesterol_total': {
      if (ref) break;
      const ldl = around(person, 'ldl', 8, rng, reg, cache);
      const hdl = around(person, 'hdl', 4, rng, reg, cache);
      const tg = around(person, 'triglycerides', 20, rng, reg, cache);
      return finish(test, ldl + hdl + tg / 5);
    }
    case 'weight': {
      const w = rng.normal(person.clinical.weight_kg, 0.8);
      cache.weight = w;
      return finish(test, w);
    }
    case 'height':
      return finish(test, person.clinical.height_cm);
    case 'bmi': {
      const w = cache.weight ?? rng.normal(person.clinical.weight_kg, 0.8);
      return finish(test, w / (person.clinical.height_cm / 100) ** 2);
    }
    case 'psa': {
      // men: a median rising with age (≈ 0.7 ng/mL in the 40s to 1.8 from 70), log-normal; a
      // woman has none (the panel is for males only). With prostate cancer (C61), ≈ 6.5.
      if (person.sex !== 'M') return undefined;
      const cancer = person.conditions.some((c) => c.code === 'C61');
      const median = cancer ? 6.5 : person.age < 50 ? 0.7 : person.age < 60 ? 0.9 : person.age < 70 ? 1.3 : 1.8;
      return finish(test, median * Math.exp(rng.normal(0, cancer ? 0.9 : 0.75)));
    }
    case 'hemoglobin':
    case 'hematocrit':
      if (!ref && person.sex === 'F') return finish(test, rng.normal(test.population.mean * 0.92, test.population.sd * 0.9));
      break;
    default:
      break;
  }
  if (person.clinical.levels[key] !== undefined || ref) {
    const lo = lowBound(ref?.dist), hi = highBound(ref?.dist);
    return finish(test, around(person, key, test.population.sd * 0.25, rng, reg, cache), lo, hi);
  }
  // no person level: a healthy population draw, mostly inside the reference interval
  return finish(test, rng.normal(test.population.mean, test.population.sd));
}
