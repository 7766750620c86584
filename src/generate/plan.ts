/**
 * Dataset-level lookup tables derived once from the request (never random): geography tables,
 * demographic weights, skills. Cached per context object so per-entity work stays cheap.
 */
import type { GenerateContext } from './types.js';
import { planGeography, type GeographyPlan } from './demographics/geography.js';
import { ethnicityWeights, raceWeights } from './demographics/race.js';
import { skillRegistry, type SkillRegistry } from '../reference/skills.js';
import type { Weights } from '../spec/types.js';

export interface DatasetPlan {
  geography: GeographyPlan;
  race: Weights;
  ethnicity: Weights;
  skills: SkillRegistry;
}

const plans = new WeakMap<GenerateContext, DatasetPlan>();

export function datasetPlan(ctx: GenerateContext): DatasetPlan {
  let p = plans.get(ctx);
  if (!p) {
    const demo = ctx.req.profile.demographics;
    p = {
      geography: planGeography(demo?.geography),
      race: raceWeights(demo?.race),
      ethnicity: ethnicityWeights(demo?.ethnicity),
      skills: skillRegistry(ctx.req.skills ? [...ctx.req.skills.values()] : undefined),
    };
    plans.set(ctx, p);
  }
  return p;
}
