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

/** Body size and smoking. BMI is higher with type 2 diabetes, as in US adult surveys. */
export function drawBody(person: Person, rng: Rng, diabetic: boolean): void {
  const height = Math.min(205, Math.max(142, person.sex === 'M' ? rng.normal(175.5, 7) : rng.normal(161.5, 6.5)));
  const bmi = Math.min(60, Math.max(17, diabetic ? rng.normal(32.5, 6) : rng.normal(28.3, 5.5)));
  person.clinical.height_cm = Math.round(height * 10) / 10;
  person.clinical.bmi = Math.round(bmi * 10) / 10;
  person.clinical.weight_kg = Math.round(bmi * (height / 100) ** 2 * 10) / 10;
  person.clinical.smoker = rng.next() < 0.13;
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
  if (L.egfr === undefined) L.egfr = Math.min(130, Math.max(60, rng.normal(128 - 0.75 * person.age, 10)));
  if (L.ldl === undefined) L.ldl = Math.min(190, Math.max(50, rng.normal(112, 26)));
  if (L.hdl === undefined) L.hdl = Math.min(95, Math.max(25, rng.normal(person.sex === 'F' ? 58 : 47, 11)));
  if (L.triglycerides === undefined) L.triglycerides = Math.min(400, Math.max(45, rng.normal(125 + (person.clinical.bmi - 27) * 4, 35)));
  if (L.systolic_bp === undefined) L.systolic_bp = Math.min(139, Math.max(98, rng.normal(112 + 0.2 * person.age, 9)));
  if (L.diastolic_bp === undefined) L.diastolic_bp = Math.min(89, Math.max(58, rng.normal(75, 6)));
}
