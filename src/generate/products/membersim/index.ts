/**
 * membersim: health-plan members (Medicare Advantage by default) with plan enrollment, risk
 * scores and medical claims (headers + service lines), plus the payers, plans, providers and
 * facilities they reference.
 */
import type { Row } from '../../../model/types.js';
import { claimLines } from '../../../model/tables/claim_lines.js';
import { claims } from '../../../model/tables/claims.js';
import { facilities } from '../../../model/tables/facilities.js';
import { members } from '../../../model/tables/members.js';
import { payers } from '../../../model/tables/payers.js';
import { plans } from '../../../model/tables/plans.js';
import { providers } from '../../../model/tables/providers.js';
import type { ProductGenerator } from '../../product.js';
import { claimsFor, claimWindow, DEFAULT_UTILIZATION } from './claims.js';
import { drawEnrollment, memberRow } from './enrollment.js';
import { buildNetwork, type NetworkState } from './network.js';
import { buildPlans, type PlanState } from './plans.js';

export interface ClaimsSharedState {
  plans: PlanState;
  network: NetworkState;
}

/** Shared rows of a claims dataset: network (providers, facilities) then payers and plans. */
export function claimsShared(
  ctx: Parameters<ProductGenerator['shared']>[0],
  opts: { pharmacies: boolean },
): { state: ClaimsSharedState; rows: Record<string, Row[]> } {
  const network = buildNetwork(ctx, opts);
  const planSet = buildPlans(ctx, network.state.states);
  return {
    state: { plans: planSet.state, network: network.state },
    rows: { ...network.rows, ...planSet.rows },
  };
}

export const membersimGenerator: ProductGenerator<ClaimsSharedState> = {
  product: 'membersim',
  tables: () => [providers, facilities, payers, plans, members, claims, claimLines],
  shared: (ctx) => claimsShared(ctx, { pharmacies: false }),
  entity(ctx, person, state) {
    const months = state.plans.coverage.claims_months;
    const enrollment = drawEnrollment(ctx, person, state.plans, months);
    const util = ctx.req.profile.utilization ?? DEFAULT_UTILIZATION;
    const out = claimsFor(ctx, person, enrollment, state.network, util, claimWindow(ctx, enrollment, months));
    return { members: [memberRow(ctx, person, enrollment)], claims: out.claims, claim_lines: out.claim_lines };
  },
};

export { DEFAULT_COVERAGE } from './plans.js';
export { DEFAULT_UTILIZATION } from './claims.js';
