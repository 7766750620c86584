/**
 * rxmembersim: health-plan members (same rows as membersim for the same person) with pharmacy
 * claims, plus the payers, plans, prescribers and pharmacies they reference.
 */
import { facilities } from '../../../model/tables/facilities.js';
import { members } from '../../../model/tables/members.js';
import { payers } from '../../../model/tables/payers.js';
import { pharmacyClaims } from '../../../model/tables/pharmacy_claims.js';
import { plans } from '../../../model/tables/plans.js';
import { providers } from '../../../model/tables/providers.js';
import type { ProductGenerator } from '../../product.js';
import { claimsShared, type ClaimsSharedState } from '../membersim/index.js';
import { drawEnrollment, memberRow } from '../membersim/enrollment.js';
import { DEFAULT_PHARMACY, pharmacyClaimsFor } from './fills.js';

export const rxmembersimGenerator: ProductGenerator<ClaimsSharedState> = {
  product: 'rxmembersim',
  tables: () => [providers, facilities, payers, plans, members, pharmacyClaims],
  shared: (ctx) => claimsShared(ctx, { pharmacies: true }),
  entity(ctx, person, state) {
    const enrollment = drawEnrollment(ctx, person, state.plans, state.plans.coverage.claims_months);
    const spec = ctx.req.profile.pharmacy ?? DEFAULT_PHARMACY;
    const start = Math.max(enrollment.startDay, ctx.refDay - Math.round(spec.months * 30.4375) + 1);
    const window = { startDay: start, endDay: Math.min(enrollment.endDay, ctx.refDay) };
    return {
      members: [memberRow(ctx, person, enrollment)],
      pharmacy_claims: pharmacyClaimsFor(ctx, person, enrollment, state.network, spec, window),
    };
  },
};

export { DEFAULT_PHARMACY, productForName, regimenFor } from './fills.js';
