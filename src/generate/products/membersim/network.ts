/**
 * The provider network of a claims dataset: practitioners (with NUCC taxonomy) and facilities
 * (hospitals, ambulatory surgery centers, laboratories, pharmacies) in the states the profile's
 * population lives in. Drawn once per dataset from shared streams; members pick from it with
 * their own entity streams.
 */
import type { Row } from '../../../model/types.js';
import type { GeographySpec } from '../../../spec/types.js';
import { mayIncludeChildren } from '../../clinical/pediatrics.js';

export { mayIncludeChildren };
import type { GenerateContext } from '../../types.js';
import type { Rng } from '../../rng.js';
import { CHILD_SPECIALTIES, SCREENING_SPECIALTIES, SPECIALTIES, type Specialty } from '../../../reference/claims/specialties.js';
import { countiesInState, county, isState, stateCodes, statePopulation, zipsInCounty } from '../../../reference/geography.js';
import { firstNamesFor, pickWeighted as pickName, surnameTable } from '../../../reference/names.js';
import { pad, pickByWeight, syntheticNpi } from './common.js';

export interface ProviderRef {
  provider_id: string;
  npi: string;
  specialty: string; // Specialty.key
  state: string;
}

export type FacilityType = 'hospital' | 'ambulatory surgery center' | 'laboratory' | 'pharmacy';

export interface FacilityRef {
  facility_id: string;
  npi: string;
  facility_type: FacilityType;
  state: string;
}

export interface NetworkState {
  states: string[];
  providers: ProviderRef[];
  facilities: FacilityRef[];
  /** `${specialty}|${state}` and `${specialty}|*` → providers (plain object: survives structured clone and JSON) */
  providerIndex: Record<string, ProviderRef[]>;
  /** `${facility_type}|${state}` and `${facility_type}|*` → facilities */
  facilityIndex: Record<string, FacilityRef[]>;
}

const NATIONAL_STATE_COUNT = 10;

/** States the network covers: those the profile's geography names, else the most populous ones. */
export function networkStates(geo: GeographySpec | undefined, override?: string): string[] {
  if (override && isState(override)) return [override.toUpperCase()];
  const out = new Set<string>();
  if (geo) {
    for (const s of geo.states ?? []) if (isState(s)) out.add(s.toUpperCase());
    for (const f of geo.county_fips ?? []) {
      const c = county(f);
      if (c) out.add(c.state);
    }
    for (const k of Object.keys(geo.weights ?? {})) {
      if (k.length === 2 && isState(k)) out.add(k.toUpperCase());
      else {
        const c = county(k);
        if (c) out.add(c.state);
      }
    }
  }
  if (out.size > 0) return [...out].sort();
  return stateCodes()
    .map((s) => ({ s, pop: statePopulation(s) }))
    .sort((a, b) => b.pop - a.pop || (a.s < b.s ? -1 : 1))
    .slice(0, NATIONAL_STATE_COUNT)
    .map((x) => x.s)
    .sort();
}

interface Place {
  city: string | null;
  zip: string | null;
  county_fips: string | null;
}

function placeIn(rng: Rng, state: string): Place {
  const counties = countiesInState(state);
  if (counties.length === 0) return { city: null, zip: null, county_fips: null };
  const c = pickByWeight(rng, counties, counties.map((x) => x.population));
  const zips = zipsInCounty(c.fips);
  if (zips.length === 0) return { city: null, zip: null, county_fips: c.fips };
  const z = zips[rng.int(0, zips.length - 1)];
  return { city: z.city, zip: z.zip, county_fips: c.fips };
}

const FACILITY_STEMS = [
  'Riverside', 'Lakeview', 'Summit', 'Cedar Hills', 'Oak Park', 'Mission Valley', 'Bayview', 'Highland',
  'Fairview', 'Pinecrest', 'Westgate', 'Sunrise', 'Willow Creek', 'Stonebridge', 'Meadowbrook', 'Granite Peak',
];
const FACILITY_SUFFIX: Record<FacilityType, readonly string[]> = {
  hospital: ['Regional Medical Center', 'Community Hospital', 'General Hospital', 'Medical Center'],
  'ambulatory surgery center': ['Surgery Center', 'Ambulatory Surgical Center', 'Outpatient Surgery Center'],
  laboratory: ['Diagnostic Laboratory', 'Clinical Laboratories'],
  pharmacy: ['Pharmacy', 'Community Pharmacy', 'Drug Store'],
};

export interface NetworkOptions {
  pharmacies: boolean;
}

/** Providers and facilities for the dataset (rows for `providers` and `facilities` plus lookup state). */
export function buildNetwork(ctx: GenerateContext, opts: NetworkOptions): { state: NetworkState; rows: { providers: Row[]; facilities: Row[] } } {
  const profile = ctx.req.profile;
  const states = networkStates(profile.demographics?.geography, profile.providers?.state);
  const perState = Math.min(300, Math.max(24, Math.round(ctx.req.count / states.length / 8)));
  const rng = ctx.streams.shared('network');
  const ns = ctx.nsToken;

  const providers: ProviderRef[] = [];
  const providerRows: Row[] = [];
  const facilities: FacilityRef[] = [];
  const facilityRows: Row[] = [];

  for (const st of states) {
    for (const sp of SPECIALTIES) {
      const n = Math.max(1, Math.round((sp.weight / 100) * perState));
      for (let k = 0; k < n; k++) providerRows.push(providerRow(rng, ns, providers, sp, st));
    }
    const facilityCounts: [FacilityType, number][] = [
      ['hospital', Math.max(2, Math.round(perState / 20))],
      ['ambulatory surgery center', Math.max(1, Math.round(perState / 40))],
      ['laboratory', Math.max(1, Math.round(perState / 60))],
      ['pharmacy', opts.pharmacies ? Math.max(3, Math.round(perState / 8)) : 0],
    ];
    for (const [type, n] of facilityCounts) {
      for (let k = 0; k < n; k++) facilityRows.push(facilityRow(rng, ns, facilities, type, st));
    }
  }
  if (mayIncludeChildren(profile.demographics?.age)) {
    for (const st of states) {
      for (const sp of CHILD_SPECIALTIES) {
        const n = Math.max(1, Math.round((sp.weight / 100) * perState));
        for (let k = 0; k < n; k++) providerRows.push(providerRow(rng, ns, providers, sp, st));
      }
    }
  }
  for (const st of states) {
    for (const sp of SCREENING_SPECIALTIES) {
      const n = Math.max(1, Math.round((sp.weight / 100) * perState));
      for (let k = 0; k < n; k++) providerRows.push(providerRow(rng, ns, providers, sp, st));
    }
  }
  const providerIndex: Record<string, ProviderRef[]> = {};
  for (const p of providers) {
    (providerIndex[`${p.specialty}|${p.state}`] ??= []).push(p);
    (providerIndex[`${p.specialty}|*`] ??= []).push(p);
  }
  const facilityIndex: Record<string, FacilityRef[]> = {};
  for (const f of facilities) {
    (facilityIndex[`${f.facility_type}|${f.state}`] ??= []).push(f);
    (facilityIndex[`${f.facility_type}|*`] ??= []).push(f);
  }
  return {
    state: { states, providers, facilities, providerIndex, facilityIndex },
    rows: { providers: providerRows, facilities: facilityRows },
  };
}

function providerRow(rng: Rng, ns: string, out: ProviderRef[], sp: Specialty, st: string): Row {
  const sex = rng.chance(0.5) ? 'F' : 'M';
  const ref: ProviderRef = {
    provider_id: `${ns}-PRV${pad(out.length + 1, 5)}`,
    npi: syntheticNpi(rng, 1),
    specialty: sp.key,
    state: st,
  };
  out.push(ref);
  const place = placeIn(rng, st);
  return {
    provider_id: ref.provider_id,
    npi: ref.npi,
    first_name: pickName(firstNamesFor(sex), rng.next()),
    last_name: pickName(surnameTable(), rng.next()),
    taxonomy_code: sp.taxonomy,
    specialty: sp.name,
    city: place.city,
    state: st,
    zip: place.zip,
    county_fips: place.county_fips,
  };
}

function facilityRow(rng: Rng, ns: string, out: FacilityRef[], type: FacilityType, st: string): Row {
  const ref: FacilityRef = {
    facility_id: `${ns}-FAC${pad(out.length + 1, 5)}`,
    npi: syntheticNpi(rng, 2),
    facility_type: type,
    state: st,
  };
  out.push(ref);
  const place = placeIn(rng, st);
  const stem = place.city && rng.chance(0.5) ? place.city : rng.pick(FACILITY_STEMS);
  return {
    facility_id: ref.facility_id,
    npi: ref.npi,
    name: `${stem} ${rng.pick(FACILITY_SUFFIX[type])}`,
    facility_type: type,
    bed_count: type === 'hospital' ? rng.int(60, 650) : null,
    city: place.city,
    state: st,
    zip: place.zip,
    county_fips: place.county_fips,
  };
}

/** Providers of a specialty in a state (falls back to the whole network when the state has none). */
export function providersFor(net: NetworkState, specialtyKey: string, state: string): ProviderRef[] {
  return net.providerIndex[`${specialtyKey}|${state}`] ?? net.providerIndex[`${specialtyKey}|*`] ?? [];
}

/** Facilities of a type in a state (falls back to the whole network when the state has none). */
export function facilitiesFor(net: NetworkState, type: FacilityType, state: string): FacilityRef[] {
  return net.facilityIndex[`${type}|${state}`] ?? net.facilityIndex[`${type}|*`] ?? [];
}

