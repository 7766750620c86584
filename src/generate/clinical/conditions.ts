/**
 * A person's conditions and physiology, from their `conditions` stream only. Each decision has
 * its own fork (primary, each comorbidity by code, complications, body, derived), so adding a
 * comorbidity to a profile does not reshuffle who has the others.
 *
 * Order: profile primary condition → comorbidities → skill complications → body size and
 * skill-modelled lab levels → (derived_conditions) seed 002's rules: HbA1c > 6.5 → type 2
 * diabetes, BMI ≥ 30 → obesity (E66.9; BMI ≥ 40 → E66.01), age > 50 → hypertension with an
 * age-rising probability, BMI > 35 → NASH (K75.81) sometimes → population defaults for the rest.
 *
 * A condition is given only to persons it can apply to (ICD-10-CM sex and age edits,
 * reference/icd10Edits.ts): a profile's prevalence of N40 (prostate) is among its males, O24.4
 * among females of 12–55. The check comes before the condition's own draws, which have their own
 * fork, so persons it applies to get exactly what they got before.
 */
import { purposeKey, purposeKey2 } from '../ids.js';
import type { Person, PersonCondition } from '../person.js';
import type { GenerateContext } from '../types.js';
import type { ConditionSpec, Distribution } from '../../spec/types.js';
import type { Skill } from '../../reference/skills.js';
import { pickWeighted, sample } from '../distributions.js';
import { isoOfDay } from '../dates.js';
import { datasetPlan } from '../plan.js';
import type { Rng } from '../rng.js';
import { describe, resolveBillable, severityForCode, type CodeFor } from './codes.js';
import { appliesTo } from '../../reference/icd10Edits.js';
import { drawBody, drawDefaultLevels, drawHba1c, drawSkillLevels } from './baseline.js';
import { CHILD_OBESE_RATIO, CHILD_SEVERE_RATIO, childBmiMedian, isChild } from './pediatrics.js';
import { birthDayFromIso } from './util.js';

const DAYS_PER_YEAR = 365.25;

interface Drawn {
  cond: PersonCondition;
  skill?: Skill;
  onsetDay: number;
}

export function assignConditions(ctx: GenerateContext, person: Person, rng: Rng): void {
  const clinical = ctx.req.profile.clinical;
  const reg = datasetPlan(ctx).skills;
  const birthDay = birthDayFromIso(person.birth_date);
  const drawn: Drawn[] = [];
  const who: CodeFor = { sex: person.sex, age: person.age };
  const has = (code: string) => drawn.some((d) => d.cond.code === code);
  const hasPrefix = (p: string) => drawn.some((d) => d.cond.code.startsWith(p));

  const onsetFrom = (r: Rng, dist: Distribution | undefined, minDay: number): number => {
    const adultYears = Math.max(0.5, person.age - 18);
    const years = dist ? sample(dist, r) : 0.25 + r.next() * Math.min(12, adultYears);
    const day = ctx.refDay - Math.round(years * DAYS_PER_YEAR);
    return Math.min(ctx.refDay - 1, Math.max(minDay, birthDay + 1, day));
  };

  const addFromSpec = (spec: ConditionSpec, isPrimary: boolean, r: Rng): void => {
    if (!appliesTo(spec.code, who.sex, who.age)) return;
    if (!(r.next() < spec.prevalence)) return;
    const skill = reg.forCode(spec.code);
    let severity: string | undefined;
    let code: string;
    const direct = skill ? severityForCode(skill, spec.code.includes('.') ? spec.code : '') : undefined;
    if (direct) {
      severity = direct;
      code = resolveBillable(spec.code, skill, severity, r, who);
    } else {
      const weights = spec.severity && Object.keys(spec.severity).length > 0 ? spec.severity : skill?.severity;
      severity = weights && Object.keys(weights).length > 0 ? pickWeighted(weights, r) : undefined;
      code = resolveBillable(spec.code, skill, severity, r, who);
      if (skill && !spec.severity) severity = severityForCode(skill, code) ?? severity;
    }
    if (has(code)) return;
    const onsetDay = onsetFrom(r, spec.onset_years_ago, birthDay + 1);
    drawn.push({
      skill,
      onsetDay,
      cond: {
        code, description: describe(code, spec.description), onset_date: isoOfDay(onsetDay),
        is_primary: isPrimary, severity, skill: skill?.id, source: 'profile',
      },
    });
  };

  if (clinical?.primary_condition) addFromSpec(clinical.primary_condition, true, rng.fork(purposeKey('primary')));
  for (const c of clinical?.comorbidities ?? []) addFromSpec(c, false, rng.fork(purposeKey2('comorbidity:', c.code)));

  // complications of skill conditions (and companion codes, E11.22 → N18.30)
  for (const parent of [...drawn]) {
    const skill = parent.skill;
    if (!skill) continue;
    const r = rng.fork(purposeKey2('complications:', skill.id));
    let first = true;
    for (const comp of skill.complications) {
      const implied = parent.cond.code === comp.code;
      if (!(r.next() < comp.prevalence) && !implied) continue;
      if (!implied && !appliesTo(comp.code, who.sex, who.age)) continue;
      const onsetDay = parent.onsetDay + Math.floor(r.next() * Math.max(1, ctx.refDay - parent.onsetDay));
      if (!implied && first && parent.cond.code === skill.codes.uncomplicated) {
        // E11.9 "without complications" contradicts a complication: the complication code replaces it
        parent.cond.code = comp.code;
        parent.cond.description = describe(comp.code, comp.description);
      } else if (!implied && !has(comp.code)) {
        const compSkill = reg.forCode(comp.code);
        drawn.push({ skill: compSkill?.id === skill.id ? undefined : compSkill, onsetDay, cond: {
          code: comp.code, description: describe(comp.code, comp.description), onset_date: isoOfDay(onsetDay),
          is_primary: false, skill: compSkill?.id, source: 'complication' } });
      }
      first = false;
      if (comp.also && !has(comp.also) && !hasPrefix(comp.also.slice(0, 3))) {
        const alsoSkill = reg.forCode(comp.also);
        const sev = alsoSkill ? severityForCode(alsoSkill, comp.also) ?? firstKey(alsoSkill.severity, r) : undefined;
        drawn.push({ skill: alsoSkill, onsetDay, cond: {
          code: comp.also, description: describe(comp.also), onset_date: isoOfDay(onsetDay),
          is_primary: false, severity: sev, skill: alsoSkill?.id, source: 'complication' } });
      }
    }
  }

  const c = person.clinical;
  const registerSkills = () => {
    for (const d of drawn) {
      if (!d.skill || c.skills.includes(d.skill.id)) continue;
      c.skills.push(d.skill.id);
      if (d.cond.severity) c.severity[d.skill.id] = d.cond.severity;
    }
  };
  registerSkills();
  drawBody(person, rng.fork(purposeKey('body')), hasPrefix('E11'), drawn.filter((d) => d.cond.code.startsWith('E66')).map((d) => d.cond.code));
  const levels = rng.fork(purposeKey('levels'));
  for (const id of c.skills) drawSkillLevels(person, reg.get(id)!, levels);

  if (clinical?.derived_conditions) {
    const r = rng.fork(purposeKey('derived'));
    const derive = (code: string, severity?: string) => {
      const skill = reg.forCode(code);
      const billable = resolveBillable(code, skill, severity, r, who);
      if (has(billable) || hasPrefix(billable.slice(0, 3))) return;
      const onsetDay = onsetFrom(r, undefined, birthDay + 1);
      drawn.push({ skill, onsetDay, cond: {
        code: billable, description: describe(billable), onset_date: isoOfDay(onsetDay), is_primary: false,
        severity, skill: skill?.id, source: 'derived' } });
    };
    drawHba1c(person, r, true);
    const a1c = c.levels.hba1c;
    if (a1c > 6.5 && !hasPrefix('E11')) {
      derive(a1c > 8 ? 'E11.65' : 'E11.9', a1c <= 7 ? 'well_controlled' : a1c <= 8 ? 'moderately_controlled' : 'uncontrolled');
    }
    // obesity: BMI 30 / 40 for adults; for children the 95th percentile / 120 % of it for age and sex
    const bmiRatio = isChild(person) ? c.bmi / childBmiMedian(person.age, person.sex) : 0;
    if (isChild(person) ? bmiRatio >= CHILD_SEVERE_RATIO : c.bmi >= 40) derive('E66.01');
    else if (isChild(person) ? bmiRatio >= CHILD_OBESE_RATIO : c.bmi >= 30) derive('E66.9');
    if (person.age > 50 && !hasPrefix('I10') && r.next() < Math.min(0.75, 0.3 + (person.age - 50) * 0.012)) {
      const htn = reg.forCode('I10');
      derive('I10', htn ? firstKey(htn.severity, r) : undefined);
    }
    if (c.bmi > 35 && r.next() < 0.25) derive('K75.81');
    registerSkills();
    for (const id of c.skills) drawSkillLevels(person, reg.get(id)!, levels);
  }
  drawDefaultLevels(person, rng.fork(purposeKey('defaults')));
  person.conditions = drawn.map((d) => d.cond);
}

function firstKey(weights: Record<string, number>, r: Rng): string | undefined {
  return Object.keys(weights).length > 0 ? pickWeighted(weights, r) : undefined;
}
