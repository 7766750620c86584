/**
 * Payers and their benefit plans for a claims dataset (membersim, rxmembersim): one plan per
 * payer × plan type of the coverage spec's plan_distribution. Payer names are synthetic
 * (src/reference/claims/payers.ts) unless the profile names its own.
 */
import type { Row } from '../../../model/types.js';
import type { CoverageSpec } from '../../../spec/types.js';
import type { GenerateContext } from '../../types.js';
import { PLAN_NAME_TIERS, PLAN_TYPE_LABELS, SYNTHETIC_PAYERS } from '../../../reference/claims/payers.js';
import { pad } from './common.js';

/** Medicare Advantage defaults (seed 000/001: HMO 40, PPO 35, PFFS 25 of 100 members). */
export const DEFAULT_COVERAGE: CoverageSpec = {
  plan_distribution: { HMO: 0.4, PPO: 0.35, PFFS: 0.25 },
  line_of_business: 'Medicare Advantage',
  payers: [],
  part_d_rate: 0.85,
  lis_rate: 0.15,
  risk_score: { type: 'log_normal', mean: 1.0, std_dev: 0.45, min: 0.3, max: 6 },
  claims_months: 12,
};

export const DEFAULT_PAYER_COUNT = 3;

export interface PlanRef {
  plan_id: string;
  payer_id: string;
  plan_type: string;
  line_of_business: string;
}

export interface PlanState {
  coverage: CoverageSpec;
  payers: { payer_id: string; name: string }[];
  /** plan type → plans of that type (one per payer), in payer order */
  plansByType: Record<string, PlanRef[]>;
}

export function coverageOf(ctx: GenerateContext): CoverageSpec {
  return ctx.req.profile.coverage ?? DEFAULT_COVERAGE;
}

function isMedicare(lob: string): boolean {
  return /medicare|part d/i.test(lob);
}

/** Synthetic monthly premium by plan type and line of business (USD). */
function premiumFor(rngNext: () => number, planType: string, lob: string): number {
  const u = rngNext();
  if (isMedicare(lob)) {
    const ranges: Record<string, [number, number, number]> = {
      // [probability of $0, low, high]
      HMO: [0.7, 10, 45],
      PPO: [0.35, 15, 79],
      PFFS: [0.1, 29, 99],
      SNP: [1, 0, 0],
      PDP: [0, 8, 70],
    };
    const [zero, lo, hi] = ranges[planType] ?? [0.4, 10, 80];
    if (u < zero) return 0;
    return Math.round((lo + ((u - zero) / (1 - zero)) * (hi - lo)) * 100) / 100;
  }
  if (/medicaid/i.test(lob)) return 0;
  return Math.round((380 + u * 320) * 100) / 100;
}

/** Config enum value (medicare_advantage) → the label analysts expect (Medicare Advantage). */
export function lineOfBusinessLabel(lob: string): string {
  const labels: Record<string, string> = {
    commercial: 'Commercial',
    medicare_advantage: 'Medicare Advantage',
    medicare: 'Medicare',
    medicaid: 'Medicaid',
    exchange: 'ACA Exchange',
  };
  return labels[lob] ?? lob;
}

export function buildPlans(ctx: GenerateContext, homeStates: readonly string[]): { state: PlanState; rows: { payers: Row[]; plans: Row[] } } {
  const coverage = coverageOf(ctx);
  const rng = ctx.streams.shared('plans');
  const ns = ctx.nsToken;
  const named = coverage.payers.filter((n) => n.trim() !== '');
  const start = rng.int(0, SYNTHETIC_PAYERS.length - 1);
  const payerNames: { name: string; short: string }[] =
    named.length > 0
      ? named.map((n) => ({ name: n, short: n }))
      : Array.from({ length: DEFAULT_PAYER_COUNT }, (_, k) => SYNTHETIC_PAYERS[(start + k) % SYNTHETIC_PAYERS.length]);

  const payers: PlanState['payers'] = [];
  const payerRows: Row[] = [];
  payerNames.forEach((p, k) => {
    const payer_id = `${ns}-PAY${pad(k + 1, 2)}`;
    payers.push({ payer_id, name: p.name });
    payerRows.push({ payer_id, name: p.name, payer_type: lineOfBusinessLabel(coverage.line_of_business), state: homeStates.length > 0 ? homeStates[k % homeStates.length] : null });
  });

  const types = Object.keys(coverage.plan_distribution).filter((t) => coverage.plan_distribution[t] > 0).sort();
  const plansByType: Record<string, PlanRef[]> = {};
  const planRows: Row[] = [];
  payers.forEach((payer, k) => {
    for (const t of types) {
      const plan: PlanRef = { plan_id: `${payer.payer_id}-${t}`.replace(`${ns}-PAY`, `${ns}-PLN`), payer_id: payer.payer_id, plan_type: t, line_of_business: coverage.line_of_business };
      (plansByType[t] ??= []).push(plan);
      const label = PLAN_TYPE_LABELS[t] ?? t;
      const tier = PLAN_NAME_TIERS[rng.int(0, PLAN_NAME_TIERS.length - 1)];
      const lobLabel = isMedicare(coverage.line_of_business) && t !== 'PDP' ? ' Medicare Advantage' : '';
      planRows.push({
        plan_id: plan.plan_id,
        payer_id: payer.payer_id,
        plan_name: `${payerNames[k].short}${lobLabel} ${label} ${tier}`,
        plan_type: t,
        line_of_business: lineOfBusinessLabel(coverage.line_of_business),
        monthly_premium: premiumFor(() => rng.next(), t, coverage.line_of_business),
      });
    }
  });
  return { state: { coverage, payers, plansByType }, rows: { payers: payerRows, plans: planRows } };
}
