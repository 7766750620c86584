/**
 * One member's enrollment: plan (by plan_distribution weights), coverage dates, Part D / LIS
 * flags and an HCC-style risk score. Drawn from the member's own `coverage` stream so membersim
 * and rxmembersim produce the same member row for the same person.
 */
import type { Row } from '../../../model/types.js';
import type { Person } from '../../person.js';
import type { GenerateContext } from '../../types.js';
import type { PlanRef, PlanState } from './plans.js';
import { addMonths, clamp, epochDay, firstOfMonth, hasConditionPrefix, isoDate, pad, pickWeighted, sampleDistribution } from './common.js';

export interface Enrollment {
  member_id: string;
  plan: PlanRef;
  /** first covered day */
  startDay: number;
  /** last covered day (the reference date while still enrolled) */
  endDay: number;
  disenrolled: boolean;
  partD: boolean;
  lis: boolean;
  riskScore: number;
}

/**
 * HCC-like relative weights by ICD-10-CM prefix: synthetic values in the spirit of the CMS-HCC
 * model (chronic, costly conditions add to the score; hypertension and lipids add nothing).
 */
const CONDITION_WEIGHTS: readonly [string, number][] = [
  ['E10', 0.3], ['E11', 0.3], ['I50', 0.33], ['J44', 0.33], ['N18', 0.29], ['C', 0.45], ['I48', 0.27],
  ['F20', 0.35], ['F31', 0.35], ['F32', 0.3], ['G30', 0.35], ['F03', 0.35], ['I63', 0.3], ['I21', 0.25],
  ['E66.01', 0.25], ['M05', 0.42], ['K70', 0.4], ['K74', 0.4], ['I73', 0.29],
];

export function memberId(ctx: GenerateContext, person: Person): string {
  return `${ctx.nsToken}-MBR${pad(person.index + 1, 7)}`;
}

/** Relative risk of a person: age/sex demographic part plus condition weights (≈ 1.0 for a typical 70-year-old with one chronic condition). */
export function relativeRisk(person: Person): number {
  const codes = person.conditions.map((c) => c.code);
  let r = 0.45 + 0.012 * clamp(person.age - 65, -20, 30) + (person.sex === 'M' ? 0.03 : 0);
  for (const [prefix, w] of CONDITION_WEIGHTS) if (hasConditionPrefix(codes, prefix)) r += w;
  return Math.max(0.2, r) / 0.85;
}

export function drawEnrollment(ctx: GenerateContext, person: Person, plans: PlanState, windowMonths: number): Enrollment {
  const rng = ctx.streams.entity(person.index, 'coverage');
  const coverage = plans.coverage;
  const planType = pickWeighted(rng, coverage.plan_distribution);
  const candidates = plans.plansByType[planType];
  const plan = candidates[rng.int(0, candidates.length - 1)];

  const refMonth = firstOfMonth(ctx.refDay);
  const tenure = rng.chance(0.8) ? rng.int(windowMonths, Math.max(windowMonths, 120)) : rng.int(1, Math.max(1, windowMonths - 1));
  let startDay = addMonths(refMonth, -tenure);
  // a child born since is covered from birth (a newborn joins the family's plan at birth)
  const born = epochDay(person.birth_date);
  if (startDay < born) startDay = born;
  if (/medicare/i.test(coverage.line_of_business) && person.age >= 65) {
    // Medicare eligibility starts the month a person turns 65
    const b = new Date(born * 86_400_000);
    const turned65 = Math.floor(Date.UTC(b.getUTCFullYear() + 65, b.getUTCMonth(), 1) / 86_400_000);
    if (startDay < turned65) startDay = Math.min(turned65, refMonth);
  }
  let endDay = ctx.refDay;
  let disenrolled = false;
  const monthsEnrolled = Math.round((refMonth - startDay) / 30.44);
  if (monthsEnrolled >= 3 && rng.chance(0.03)) {
    disenrolled = true;
    endDay = addMonths(startDay, rng.int(2, monthsEnrolled - 1)) - 1;
  }
  const partD = /medicare/i.test(coverage.line_of_business) ? rng.chance(coverage.part_d_rate) : false;
  const lis = partD && rng.chance(planType === 'SNP' ? Math.max(coverage.lis_rate, 0.8) : coverage.lis_rate);
  const noise = sampleDistribution(coverage.risk_score, rng);
  const riskScore = Math.round(clamp(noise * relativeRisk(person), 0.3, 6) * 1000) / 1000;
  return { member_id: memberId(ctx, person), plan, startDay, endDay, disenrolled, partD, lis, riskScore };
}

export function memberRow(ctx: GenerateContext, person: Person, e: Enrollment): Row {
  const sub = ctx.streams.entity(person.index, 'coverage:card');
  let subscriber = String.fromCharCode(65 + sub.int(0, 25));
  for (let k = 0; k < 9; k++) subscriber += String(sub.int(0, 9));
  return {
    member_id: e.member_id,
    person_id: person.person_id,
    subscriber_id: subscriber,
    first_name: person.first_name,
    last_name: person.last_name,
    sex: person.sex,
    birth_date: person.birth_date,
    age: person.age,
    race: person.race,
    ethnicity: person.ethnicity,
    address_line: person.address_line,
    city: person.city,
    state: person.state,
    zip: person.zip,
    county_fips: person.county_fips,
    county_name: person.county_name,
    payer_id: e.plan.payer_id,
    plan_id: e.plan.plan_id,
    plan_type: e.plan.plan_type,
    enrollment_start_date: isoDate(e.startDay),
    enrollment_end_date: e.disenrolled ? isoDate(e.endDay) : null,
    part_d: e.partD,
    low_income_subsidy: e.lis,
    risk_score: e.riskScore,
    chronic_conditions: person.conditions.length > 0 ? person.conditions.map((c) => c.code).join(',') : null,
  };
}
