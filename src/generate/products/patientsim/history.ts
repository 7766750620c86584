/**
 * The record a patient has without a journey (and the utilization encounters added to one):
 * over the last year, an annual preventive visit, condition follow-ups at each skill's cadence
 * with its monitoring panels (each at its interval, `panelIntervalDays`), the skill's periodic
 * procedures, and — when the profile states utilization — PCP, specialist, ED and inpatient
 * encounters in those numbers. Draws from the entity's `utilization` stream.
 */
import { purposeKey, purposeKey2 } from '../../ids.js';
import type { Person } from '../../person.js';
import type { GenerateContext } from '../../types.js';
import { sample, scaled } from '../../distributions.js';
import { datasetPlan } from '../../plan.js';
import type { Rng } from '../../rng.js';
import type { CareNetwork } from '../../network/network.js';
import { describe } from '../../clinical/codes.js';
import { addVisit, orderLabs, VITALS } from './care.js';
import type { PatientRecord } from './record.js';
import { preventiveVisitCode } from './visitTypes.js';
import { panelIntervalDays } from './monitoring.js';
import { childUtilizationFactor, wellChildSchedule } from '../../clinical/pediatrics.js';
import { birthDayFromIso } from '../../clinical/util.js';
import { ageOnDay } from '../../dates.js';
import type { UtilizationKey } from '../../../spec/types.js';

const WINDOW = 365;
const ACUTE_REASONS = ['R07.9', 'R10.9', 'J06.9', 'R51.9', 'S93.401A', 'N39.0'];
/** A child's emergency visits: upper respiratory infection, fever, otitis media, viral gastroenteritis, head injury, vomiting. */
const CHILD_ACUTE_REASONS = ['J06.9', 'R50.9', 'H66.90', 'A08.4', 'S09.90XA', 'R11.10'];

export function defaultHistory(ctx: GenerateContext, person: Person, rec: PatientRecord, net: CareNetwork, withSkillVisits: boolean): void {
  const reg = datasetPlan(ctx).skills;
  const rng = ctx.streams.entity(person.index, 'utilization');
  const start = ctx.refDay - WINDOW;
  const util = ctx.req.profile.utilization;
  // nothing before the person was born: an infant's year starts at birth
  const birthDay = birthDayFromIso(person.birth_date);
  const from = Math.max(start, birthDay);
  const dayIn = (r: Rng) => Math.min(ctx.refDay, from + 1 + Math.floor(r.next() * Math.max(1, ctx.refDay - from - 1)));

  if (withSkillVisits) {
    // annual preventive visit with screening labs
    const wr = rng.fork(purposeKey('preventive'));
    const abnormal = person.conditions.length > 0;
    if (person.age < 3) {
      // under 3: the Bright Futures schedule (newborn, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30 months)
      for (const v of wellChildSchedule(birthDay, start + 1, ctx.refDay)) {
        const years = Math.floor(v.months / 12);
        const reason = v.months === 0 ? 'Z00.110' : abnormal ? 'Z00.121' : 'Z00.129';
        const enc = addVisit(rec, person, net, wr, {
          day: v.day, code: preventiveVisitCode(years),
          reason: { code: reason, description: describe(reason) },
          specialty: 'family_medicine',
        });
        orderLabs(rec, person, reg, v.day, v.months === 12 ? ['vitals', 'cbc'] : VITALS, wr, enc);
      }
    } else {
      const wday = dayIn(wr);
      // by the age on the day: a well-child visit for children (Z00.12x), a general adult exam (Z00.0x) from 18
      const age = ageOnDay(birthDay, wday);
      const reason = age < 18 ? (abnormal ? 'Z00.121' : 'Z00.129') : abnormal ? 'Z00.01' : 'Z00.00';
      const enc = addVisit(rec, person, net, wr, {
        day: wday, code: preventiveVisitCode(age),
        reason: { code: reason, description: describe(reason) },
        specialty: 'family_medicine',
      });
      // a screening PSA for men of 50–69 at about a third of their yearly visits (USPSTF: a shared
      // decision); its own stream and last in the order, so the other results stay as they were
      const psa = person.sex === 'M' && age >= 50 && age <= 69 && ctx.streams.entity(person.index, 'psa-screening').next() < 0.3;
      orderLabs(rec, person, reg, wday, psa ? [...preventivePanels(age), 'psa'] : preventivePanels(age), wr, enc);
    }

    for (const id of person.clinical.skills) {
      const skill = reg.get(id)!;
      const sr = rng.fork(purposeKey2('skill:', id));
      const cadence = Math.max(14, skill.visits.cadence_days);
      const lastOrder = new Map<string, number>();
      const visits: number[] = [];
      for (let d = start + Math.floor(sr.next() * cadence); d <= ctx.refDay; d += cadence) {
        const day = Math.min(ctx.refDay, Math.max(start, d + Math.round((sr.next() * 2 - 1) * Math.min(14, cadence / 4))));
        if (day <= birthDay) continue;
        visits.push(day);
        const enc = addVisit(rec, person, net, sr, { day, skill });
        const panels = ['vitals'];
        for (const p of skill.monitoring.panels) {
          const last = lastOrder.get(p);
          if (last === undefined || day - last >= panelIntervalDays(skill, p)) {
            panels.push(p);
            lastOrder.set(p, day);
          }
        }
        orderLabs(rec, person, reg, day, panels, sr, enc);
      }
      for (const proc of skill.procedures) {
        if (visits.length === 0 || !(sr.next() < proc.annual_probability)) continue;
        const day = visits[Math.floor(sr.next() * visits.length)];
        rec.procedure(day, proc.code, proc.code_system, proc.description, rec.encounterNear(day, 0));
      }
    }
  }

  if (util) {
    const ur = rng.fork(purposeKey('profile-utilization'));
    // a child's rates of what the profile left at the (adult) defaults are scaled by age
    const count = (key: UtilizationKey) => {
      const factor = util.defaulted?.includes(key) ? childUtilizationFactor(key, person.age) : 1;
      return Math.max(0, Math.round(sample(scaled(util[key], factor), ur)));
    };
    const primary = person.conditions.find((c) => c.is_primary);
    for (let k = count('pcp_visits_per_year'); k > 0; k--) {
      const day = dayIn(ur);
      const enc = addVisit(rec, person, net, ur, { day, specialty: 'family_medicine', reason: primary ?? null });
      orderLabs(rec, person, reg, day, VITALS, ur, enc);
    }
    const skills = person.clinical.skills.map((id) => reg.get(id)!);
    for (let k = count('specialist_visits_per_year'); k > 0; k--) {
      const day = dayIn(ur);
      const skill = skills.length > 0 ? skills[Math.floor(ur.next() * skills.length)] : undefined;
      addVisit(rec, person, net, ur, { day, skill, specialty: skill ? undefined : 'internal_medicine' });
    }
    for (let k = count('er_visits_per_year'); k > 0; k--) {
      const day = dayIn(ur);
      const useCondition = person.conditions.length > 0 && ur.next() < 0.4;
      const code = useCondition ? person.conditions[Math.floor(ur.next() * person.conditions.length)].code : ur.pick(person.age < 18 ? CHILD_ACUTE_REASONS : ACUTE_REASONS);
      const enc = addVisit(rec, person, net, ur, { day, encounterClass: 'EMER', reason: { code, description: describe(code) } });
      orderLabs(rec, person, reg, day, ['vitals', 'bmp', 'cbc'], ur, enc);
    }
    for (let k = count('inpatient_admits_per_year'); k > 0; k--) {
      const los = 2 + Math.floor(ur.next() * 5);
      const day = Math.min(ctx.refDay - los + 1, dayIn(ur));
      const reason = primary ?? person.conditions[0];
      const code = reason?.code ?? 'J18.9';
      const enc = addVisit(rec, person, net, ur, { day, lengthDays: los, encounterClass: 'IMP', reason: { code, description: describe(code) } });
      orderLabs(rec, person, reg, day, ['vitals', 'cmp', 'cbc'], ur, enc);
    }
  }
}

/**
 * Screening labs at the annual preventive visit: adults get a metabolic panel, lipids and a blood
 * count; children get vitals, with the blood count (anemia screening) at age 1 and lipids at 9–11
 * and 17, as in the AAP/Bright Futures schedule, and no routine chemistry.
 */
export function preventivePanels(age: number): string[] {
  if (age >= 18) return ['vitals', 'cmp', 'lipid', 'cbc'];
  const panels = ['vitals'];
  if (age === 1) panels.push('cbc');
  if ((age >= 9 && age <= 11) || age === 17) panels.push('lipid');
  return panels;
}
