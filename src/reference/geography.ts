/**
 * US geography: counties with Census Vintage 2023 populations and ZIP → city/county, from
 * data/us_counties.csv.gz and data/us_zips.csv.gz (sources: data/SOURCES.md).
 *
 * The ZIP file predates some county changes: Connecticut's 9 planning regions (09110–09190) are
 * mapped to the legacy county whose ZIPs they mostly hold, and the few counties with no ZIP rows
 * (newer Alaska boroughs) fall back to the ZIPs of their whole state. Both are approximations.
 */
import { lazy, parseCsv, readDataText } from './dataFiles.js';

export interface County {
  fips: string;
  state: string; // USPS abbreviation
  stateName: string;
  name: string;
  population: number; // July 1 2023 estimate
  latitude: number;
  longitude: number;
}

export interface ZipArea {
  zip: string;
  city: string;
  state: string;
  countyFips: string;
}

export const GEOGRAPHY_VERSION = 'Census PEP Vintage 2023 counties; ZIP list c. 2000-2005 (CDC ReportStream)';

/** CT planning region → legacy county whose ZIPs stand in for it (approximation). */
const CT_PLANNING_REGION_ZIPS: Record<string, string> = {
  '09110': '09003', // Capitol → Hartford
  '09120': '09001', // Greater Bridgeport → Fairfield
  '09130': '09007', // Lower Connecticut River Valley → Middlesex
  '09140': '09009', // Naugatuck Valley → New Haven
  '09150': '09015', // Northeastern Connecticut → Windham
  '09160': '09005', // Northwest Hills → Litchfield
  '09170': '09009', // South Central Connecticut → New Haven
  '09180': '09011', // Southeastern Connecticut → New London
  '09190': '09001', // Western Connecticut → Fairfield
};

interface GeoTables {
  counties: County[]; // sorted by fips
  byFips: Map<string, County>;
  byState: Map<string, County[]>;
  zipsByCounty: Map<string, ZipArea[]>;
  zipsByState: Map<string, ZipArea[]>;
  byZip: Map<string, ZipArea>;
}

/** The ZIP file's city names are sentence case ("Porter ranch", "Mc guire afb"): title-case them. */
function cityName(raw: string): string {
  return raw
    .split(' ')
    .map((w) => (/^(afb|ii|iii)$/i.test(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ')
    .replace(/\bMc (\w)/g, (_m, c: string) => 'Mc' + c.toUpperCase());
}

const tables = lazy((): GeoTables => {
  const counties = parseCsv(readDataText('us_counties.csv.gz'))
    .map(
      (r): County => ({
        fips: r.county_fips,
        state: r.state_abbr,
        stateName: r.state_name,
        name: r.county_name,
        population: Number(r.pop_2023),
        latitude: Number(r.latitude),
        longitude: Number(r.longitude),
      }),
    )
    .sort((a, b) => (a.fips < b.fips ? -1 : a.fips > b.fips ? 1 : 0));
  const byFips = new Map(counties.map((c) => [c.fips, c]));
  const byState = new Map<string, County[]>();
  for (const c of counties) {
    const list = byState.get(c.state) ?? [];
    list.push(c);
    byState.set(c.state, list);
  }
  const zipsByCounty = new Map<string, ZipArea[]>();
  const zipsByState = new Map<string, ZipArea[]>();
  const byZip = new Map<string, ZipArea>();
  for (const r of parseCsv(readDataText('us_zips.csv.gz'))) {
    // "Zcta 92861"-style placeholders name no place: use the county's name instead
    const placeholder = /^zcta\b/i.test(r.city);
    const countyName = byFips.get(r.county_fips)?.name.replace(/ (County|Parish|Borough|Census Area|Municipality|city)$/, '');
    const city = placeholder ? (countyName ?? r.city) : cityName(r.city);
    const z: ZipArea = { zip: r.zip, city, state: r.state_abbr, countyFips: r.county_fips };
    if (!byZip.has(z.zip)) byZip.set(z.zip, z);
    const lc = zipsByCounty.get(z.countyFips) ?? [];
    lc.push(z);
    zipsByCounty.set(z.countyFips, lc);
    const ls = zipsByState.get(z.state) ?? [];
    ls.push(z);
    zipsByState.set(z.state, ls);
  }
  return { counties, byFips, byState, zipsByCounty, zipsByState, byZip };
});

export function allCounties(): readonly County[] {
  return tables().counties;
}

export function county(fips: string): County | undefined {
  return tables().byFips.get(fips);
}

export function countiesInState(state: string): readonly County[] {
  return tables().byState.get(state.toUpperCase()) ?? [];
}

export function stateCodes(): string[] {
  return [...tables().byState.keys()].sort();
}

export function isState(state: string): boolean {
  return tables().byState.has(state.toUpperCase());
}

export function statePopulation(state: string): number {
  return countiesInState(state).reduce((s, c) => s + c.population, 0);
}

/** ZIP areas whose residents live in the county (see the module note for approximations). */
export function zipsInCounty(fips: string): readonly ZipArea[] {
  const t = tables();
  const direct = t.zipsByCounty.get(fips);
  if (direct && direct.length > 0) return direct;
  const legacy = CT_PLANNING_REGION_ZIPS[fips];
  if (legacy) return t.zipsByCounty.get(legacy) ?? [];
  const c = t.byFips.get(fips);
  return c ? (t.zipsByState.get(c.state) ?? []) : [];
}

export function zipArea(zip: string): ZipArea | undefined {
  return tables().byZip.get(zip);
}

/** National population weights: every county with its 2023 population, sorted by FIPS. */
export function nationalCountyWeights(): { counties: readonly County[]; weights: number[] } {
  const counties = tables().counties;
  return { counties, weights: counties.map((c) => c.population) };
}

export const geography = {
  allCounties,
  county,
  countiesInState,
  stateCodes,
  isState,
  statePopulation,
  zipsInCounty,
  zipArea,
  nationalCountyWeights,
  version: GEOGRAPHY_VERSION,
};
