/**
 * Race and ethnicity (OMB categories). Defaults are US shares from the Census Bureau's
 * QuickFacts, Vintage 2023 population estimates (race alone: White 75.3%, Black or African
 * American 13.7%, American Indian and Alaska Native 1.3%, Asian 6.4%, Native Hawaiian and Other
 * Pacific Islander 0.3%, Two or More Races 3.0%; Hispanic or Latino 19.5%). A profile's
 * `race`/`ethnicity` weights replace them; common short keys map to OMB labels.
 */
import type { Weights } from '../../spec/types.js';

export const DEFAULT_RACE_WEIGHTS: Weights = {
  White: 75.3,
  'Black or African American': 13.7,
  'American Indian or Alaska Native': 1.3,
  Asian: 6.4,
  'Native Hawaiian or Other Pacific Islander': 0.3,
  'Two or More Races': 3.0,
};

export const DEFAULT_ETHNICITY_WEIGHTS: Weights = {
  'Hispanic or Latino': 19.5,
  'Not Hispanic or Latino': 80.5,
};

const RACE_ALIASES: Record<string, string> = {
  white: 'White',
  black: 'Black or African American',
  african_american: 'Black or African American',
  black_or_african_american: 'Black or African American',
  asian: 'Asian',
  american_indian: 'American Indian or Alaska Native',
  american_indian_or_alaska_native: 'American Indian or Alaska Native',
  aian: 'American Indian or Alaska Native',
  native_hawaiian: 'Native Hawaiian or Other Pacific Islander',
  pacific_islander: 'Native Hawaiian or Other Pacific Islander',
  nhpi: 'Native Hawaiian or Other Pacific Islander',
  multiracial: 'Two or More Races',
  two_or_more: 'Two or More Races',
  two_or_more_races: 'Two or More Races',
  other: 'Other',
};

const ETHNICITY_ALIASES: Record<string, string> = {
  hispanic: 'Hispanic or Latino',
  latino: 'Hispanic or Latino',
  hispanic_or_latino: 'Hispanic or Latino',
  not_hispanic: 'Not Hispanic or Latino',
  non_hispanic: 'Not Hispanic or Latino',
  not_hispanic_or_latino: 'Not Hispanic or Latino',
};

function relabel(weights: Weights, aliases: Record<string, string>): Weights {
  const out: Weights = {};
  for (const [k, w] of Object.entries(weights)) {
    const label = aliases[k.trim().toLowerCase().replace(/[\s-]+/g, '_')] ?? k;
    out[label] = (out[label] ?? 0) + w;
  }
  return out;
}

export function raceWeights(profile?: Weights): Weights {
  return profile && Object.keys(profile).length > 0 ? relabel(profile, RACE_ALIASES) : DEFAULT_RACE_WEIGHTS;
}

export function ethnicityWeights(profile?: Weights): Weights {
  return profile && Object.keys(profile).length > 0 ? relabel(profile, ETHNICITY_ALIASES) : DEFAULT_ETHNICITY_WEIGHTS;
}
