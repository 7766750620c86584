/**
 * Where people live. A profile's geography becomes a population-weighted table of counties,
 * built once per dataset; each person draws a county, then a ZIP (uniform: the ZIP table has
 * no populations) whose city is the person's city.
 *   national — every US county by 2023 population
 *   state    — the counties of the listed states by population
 *   county   — the listed counties (seed 003 `source: populationsim, reference {type: county}`)
 *   weighted — keys are states or 5-digit county FIPS with weights; a state key then draws
 *              its counties by population
 */
import type { GeographySpec } from '../../spec/types.js';
import { geography, type County, type ZipArea } from '../../reference/geography.js';
import { cumulativeTable, pickCumulative, pickWeighted, type CumulativeTable } from '../distributions.js';
import type { Rng } from '../rng.js';

export interface GeographyPlan {
  /** weighted list of options; each option is a county table */
  pick(rng: Rng): { county: County; zip: ZipArea };
  /** the states people can live in (sorted), for the provider network */
  states: string[];
  counties: County[];
}

/** A county and its ZIP areas, looked up once per plan instead of once per person. */
interface Place {
  county: County;
  zips: readonly ZipArea[];
}

function countyTable(counties: readonly County[]): CumulativeTable<Place> {
  return cumulativeTable(
    counties.map((county) => ({ county, zips: geography.zipsInCounty(county.fips) })),
    (p) => p.county.population,
  );
}

function countiesForKey(key: string): County[] {
  if (/^\d{5}$/.test(key)) {
    const c = geography.county(key);
    return c ? [c] : [];
  }
  return [...geography.countiesInState(key)];
}

export function planGeography(spec: GeographySpec | undefined): GeographyPlan {
  const kind = spec?.kind ?? 'national';
  let choose: (rng: Rng) => Place;
  let counties: County[];
  if (kind === 'weighted' && spec?.weights && Object.keys(spec.weights).length > 0) {
    const tables = new Map<string, CumulativeTable<Place>>();
    const weights: Record<string, number> = {};
    counties = [];
    for (const [k, w] of Object.entries(spec.weights)) {
      const cs = countiesForKey(k.toUpperCase());
      if (cs.length === 0) continue;
      tables.set(k, countyTable(cs));
      weights[k] = w;
      counties.push(...cs);
    }
    if (tables.size === 0) return planGeography({ kind: 'national' });
    choose = (rng) => pickCumulative(tables.get(pickWeighted(weights, rng))!, rng);
  } else {
    if (kind === 'state') counties = (spec?.states ?? []).flatMap((s) => [...geography.countiesInState(s)]);
    else if (kind === 'county') counties = (spec?.county_fips ?? []).map((f) => geography.county(f)).filter((c): c is County => !!c);
    else counties = [...geography.allCounties()];
    if (counties.length === 0) counties = [...geography.allCounties()];
    const table = countyTable(counties);
    choose = (rng) => pickCumulative(table, rng);
  }
  const states = [...new Set(counties.map((c) => c.state))].sort();
  return {
    states,
    counties,
    pick(rng) {
      const { county, zips } = choose(rng);
      const zip = zips.length > 0 ? zips[Math.floor(rng.next() * zips.length)] : { zip: '00000', city: county.name, state: county.state, countyFips: county.fips };
      return { county, zip };
    },
  };
}
