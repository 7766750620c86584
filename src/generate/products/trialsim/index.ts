/**
 * trialsim: a randomized clinical study (study, sites, arms) with subjects, visits, adverse
 * events, disposition, labs/vitals and exposures. Defaults reproduce the seed's Phase 3 NSCLC
 * trial shape.
 */
import { adverseEvents } from '../../../model/tables/adverse_events.js';
import { arms } from '../../../model/tables/arms.js';
import { dispositionEvents } from '../../../model/tables/disposition_events.js';
import { exposures } from '../../../model/tables/exposures.js';
import { sites } from '../../../model/tables/sites.js';
import { studies } from '../../../model/tables/studies.js';
import { subjects } from '../../../model/tables/subjects.js';
import { trialLabResults } from '../../../model/tables/trial_lab_results.js';
import { visits } from '../../../model/tables/visits.js';
import type { ProductGenerator } from '../../product.js';
import { buildDesign, type TrialState } from './design.js';
import { subjectRows } from './subject.js';

export const trialsimGenerator: ProductGenerator<TrialState> = {
  product: 'trialsim',
  tables: () => [studies, sites, arms, subjects, visits, adverseEvents, dispositionEvents, trialLabResults, exposures],
  shared: (ctx) => buildDesign(ctx),
  entity: (ctx, person, state) => subjectRows(ctx, person, state),
};

export { defaultTrial, cdiscPhase, type TrialState } from './design.js';
export { armIndexFor, doseFor } from './subject.js';
