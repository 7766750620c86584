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

export interface LabValue {
  test: LoincTest;
  value: number;
  interpretation: 'N' | 'H' | 'L';
}

interface ModelRef {
  model: SkillLabModel;
  dist?: Distribution;
}

/** Model lookups per (registry, skills + severities) combination: few distinct ones per dataset. */
const modelCache = new WeakMap<SkillRegistry, Map<string, Map<string, ModelRef | null>>>();
const personModels = new WeakMap<Person, Map<string, ModelRef | null>>();

function modelsFor(person: Person, reg: SkillRegistry): Map<string, ModelRef | null> {
  let m = personModels.get(person);
  if (m) return m;
  let byCombo = modelCache.get(reg);
  if (!byCombo) modelCache.set(reg, (byCombo = new Map()));
  const combo = person.clinical.skills.map((id) => `${id}=${person.clinical.severity[id] ?? ''}`).join('|');
  m = byCombo.get(combo);
  if (!m) byCombo.set(combo, (m = new Map()));
  personModels.set(person, m);
  return m;
}

function skillModel(person: Person, key: string, reg: SkillRegistry): ModelRef | undefined {
  const m = modelsFor(person, reg);
  let hit = m.get(key);
  if (hit === undefined) {
    hit = findSkillModel(person, key, reg) ?? null;
    m.set(key, hit);
  }
  return hit ?? undefined;
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

function finish(test: LoincTest, raw: number, lo = -Infinity, hi = Infinity): LabValue {
  let v = Math.min(hi, Math.max(lo, raw));
  v = Math.min(test.physio[1], Math.max(test.physio[0], v));
  v = round(v, test.decimals);
  const interpretation = test.low !== undefined && v < test.low ? 'L' : test.high !== undefined && v > test.high ? 'H' : 'N';
  return { test, value: v, interpretation };
}

/** A visit value around the person's level of analyte k (memoized per order in `cache`). */
function around(person: Person, k: string, defaultSd: number, rng: Rng, reg: SkillRegistry, cache: Record<string, number>): number {
  const hit = cache[k];
  if (hit !== undefined) return hit;
  const ref = skillModel(person, k, reg);
  const sd = ref?.model.within_person_sd ?? defaultSd;
  const lo = lowBound(ref?.dist), hi = highBound(ref?.dist);
  const t = loincByKey(k)!;
  const base = person.clinical.levels[k] ?? t.population.mean;
  const v = Math.min(t.physio[1], Math.max(t.physio[0], Math.min(hi, Math.max(lo, rng.normal(base, sd)))));
  cache[k] = v;
  return v;
}

/** The person's value of one analyte (LOINC table key) on a visit, drawn from `rng`. */
export function labValue(person: Person, key: string, rng: Rng, reg: SkillRegistry, cache: Record<string, number> = {}): LabValue | undefined {
  const test = loincByKey(key);
  if (!test) return undefined;
  const ref = skillModel(person, key, reg);
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
