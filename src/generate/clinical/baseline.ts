/**
 * A person's usual physiology: body size, smoking, and the level of every analyte a skill
 * models for their conditions (drawn from the skill's value model for their severity), with
 * population defaults for everyone else. Results at each visit vary around these levels.
 */
import type { Person } from '../person.js';
import type { Skill } from '../../reference/skills.js';
import type { Distribution } from '../../spec/types.js';
import { sample } from '../distributions.js';
import type { Rng } from '../rng.js';
import { skillSeverityKey } from './severity.js';
import { CHILD_BMI_LOG_SD, CHILD_BMI_LOG_SD_BELOW, CHILD_OBESE_RATIO, CHILD_OVERWEIGHT_RATIO, CHILD_SEVERE_RATIO, childAnalyte, childBloodPressure, childBmiMedian, childHeightMedian, isChild } from './pediatrics.js';

const entriesMemo = new WeakMap<Skill, [string, Skill['monitoring']['labs'][string]][]>();
const labEntries = (skill: Skill) => {
  let e = entriesMemo.get(skill);
  if (!e) entriesMemo.set(skill, (e = Object.entries(skill.monitoring.labs)));
  return e;
};

/** Draw levels for the skill's modelled analytes that no earlier (higher-priority) skill set. */
export function drawSkillLevels(person: Person, skill: Skill, rng: Rng): void {
  const sev = skillSeverityKey(skill, person.clinical.severity[skill.id]);
  for (const [key, model] of labEntries(skill)) {
    if (person.clinical.levels[key] !== undefined) continue;
    const dist = sev ? model.by_severity?.[sev] : undefined;
    if (dist) person.clinical.levels[key] = sample(dist as Distribution, rng);
  }
}

/**
 * Body size and smoking. BMI is higher with type 2 diabetes, as in US adult surveys, and agrees
 * with an obesity or overweight diagnosis (`obesity`: the person's E66 codes, the most severe
 * counts): E66.3 overweight (adults 25–29.9), E66.01/E66.2 severe obesity (≥ 40), any other E66
 * obesity (≥ 30); children
 * use the growth-chart percentiles instead (85th, 95th, 120 % of the 95th). Children's height
 * and BMI follow the growth-chart medians for their age and sex (pediatrics.ts), and no one
 * under 12 smokes. The draws for an adult without an E66 code are the same as before E66 was
 * considered, so their values did not change.
 */
export function drawBody(person: Person, rng: Rng, diabetic: boolean, obesity: readonly string[] = []): void {
  if (isChild(person)) {
    drawChildBody(person, rng, obesity);
    return;
  }
  const height = Math.min(205, Math.max(142, person.sex === 'M' ? rng.normal(175.5, 7) : rng.normal(161.5, 6.5)));
  let bmi = Math.min(60, Math.max(17, diabetic ? rng.normal(32.5, 6) : rng.normal(28.3, 5.5)));
  person.clinical.smoker = rng.next() < 0.13;
  const band = obesityBand(obesity);
  if (band === 'overweight' && (bmi < 25 || bmi >= 30)) bmi = 25 + rng.next() * 4.9;
  else if (band === 'obese' && bmi < 30) bmi = Math.min(60, 30 + Math.abs(rng.normal(0, 4.5)));
  else if (band === 'severe' && bmi < 40) bmi = Math.min(60, 40 + Math.abs(rng.normal(0, 3.5)));
  setBody(person, height, bmi);
}

type ObesityBand = 'overweight' | 'obese' | 'severe';

/** The most severe band among the E66 codes. */
function obesityBand(codes: readonly string[]): ObesityBand | undefined {
  let band: ObesityBand | undefined;
  for (const code of codes) {
    if (!code.startsWith('E66')) continue;
    if (code.startsWith('E66.01') || code.startsWith('E66.2')) return 'severe';
    band = code.startsWith('E66.3') && band === undefined ? 'overweight' : code.startsWith('E66.3') ? band : 'obese';
  }
  return band;
}

function drawChildBody(person: Person, rng: Rng, obesity: readonly string[]): void {
  const hMedian = childHeightMedian(person.age, person.sex);
  const height = Math.min(200, Math.max(45, rng.normal(hMedian, 0.045 * hMedian)));
  const median = childBmiMedian(person.age, person.sex);
  const z = rng.normal(0, 1);
  let ratio = Math.max(0.8, Math.exp(z * (z < 0 ? CHILD_BMI_LOG_SD_BELOW : CHILD_BMI_LOG_SD)));
  person.clinical.smoker = rng.next() < (person.age >= 12 ? 0.03 : 0);
  const band = obesityBand(obesity);
  if (band === 'overweight' && (ratio < CHILD_OVERWEIGHT_RATIO || ratio >= CHILD_OBESE_RATIO)) ratio = CHILD_OVERWEIGHT_RATIO + rng.next() * (CHILD_OBESE_RATIO - CHILD_OVERWEIGHT_RATIO) * 0.98;
  else if (band === 'obese' && ratio < CHILD_OBESE_RATIO) ratio = CHILD_OBESE_RATIO + rng.next() * 0.25;
  else if (band === 'severe' && ratio < CHILD_SEVERE_RATIO) ratio = CHILD_SEVERE_RATIO + rng.next() * 0.3;
  setBody(person, height, Math.min(50, Math.max(11, median * ratio)));
}

function setBody(person: Person, height: number, bmi: number): void {
  person.clinical.height_cm = Math.round(height * 10) / 10;
  person.clinical.bmi = Math.round(bmi * 10) / 10;
  person.clinical.weight_kg = Math.round(bmi * (height / 100) ** 2 * 10) / 10;
}

/**
 * Population defaults for analytes no skill set. With `derived_conditions` the HbA1c draw
 * includes undiagnosed prediabetes and diabetes (seed 002 derives E11 from HbA1c > 6.5).
 */
export function drawHba1c(person: Person, rng: Rng, derived: boolean): void {
  const L = person.clinical.levels;
  if (L.hba1c !== undefined) return;
  const u = rng.next();
  if (derived && u < 0.15) L.hba1c = 6.6 + rng.next() * 3.4;
  else if (derived && u < 0.4) L.hba1c = 5.7 + rng.next() * 0.7;
  else L.hba1c = Math.min(5.6, Math.max(4.3, rng.normal(5.25, 0.25)));
}

export function drawDefaultLevels(person: Person, rng: Rng): void {
  const L = person.clinical.levels;
  drawHba1c(person, rng, false);
  if (isChild(person)) {
    drawChildLevels(person, rng);
    return;
  }
  if (L.egfr === undefined) L.egfr = Math.min(130, Math.max(60, rng.normal(128 - 0.75 * person.age, 10)));
  if (L.ldl === undefined) L.ldl = Math.min(190, Math.max(50, rng.normal(112, 26)));
  if (L.hdl === undefined) L.hdl = Math.min(95, Math.max(25, rng.normal(person.sex === 'F' ? 58 : 47, 11)));
  if (L.triglycerides === undefined) L.triglycerides = Math.min(400, Math.max(45, rng.normal(125 + (person.clinical.bmi - 27) * 4, 35)));
  if (L.systolic_bp === undefined) L.systolic_bp = Math.min(139, Math.max(98, rng.normal(112 + 0.2 * person.age, 9)));
  if (L.diastolic_bp === undefined) L.diastolic_bp = Math.min(89, Math.max(58, rng.normal(75, 6)));
}

/** A child's lipids and blood pressure (pediatrics.ts); eGFR as for adults (it sets creatinine). */
function drawChildLevels(person: Person, rng: Rng): void {
  const L = person.clinical.levels;
  const level = (key: string, lo: number, hi: number) => {
    const a = childAnalyte(key, person.age)!;
    if (L[key] === undefined) L[key] = Math.min(hi, Math.max(lo, rng.normal(a.mean, a.sd)));
  };
  if (L.egfr === undefined) L.egfr = Math.min(140, Math.max(90, rng.normal(118, 10)));
  level('ldl', 40, 190);
  level('hdl', 30, 90);
  level('triglycerides', 30, 250);
  const bp = childBloodPressure(person.age);
  if (L.systolic_bp === undefined) L.systolic_bp = Math.min(bp.systolic + 20, Math.max(bp.systolic - 18, rng.normal(bp.systolic, 7)));
  if (L.diastolic_bp === undefined) L.diastolic_bp = Math.min(bp.diastolic + 18, Math.max(bp.diastolic - 15, rng.normal(bp.diastolic, 6)));
}
