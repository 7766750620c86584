/**
 * The care network a patientsim dataset draws on (NetworkSim-like): practitioners with NUCC
 * taxonomy codes and hospitals/clinics, placed in the counties the population lives in
 * (population-weighted). Its size depends only on the states covered — never on `count` — so
 * raising the count keeps every existing patient's provider references valid. Built once per
 * context from the shared `network` stream.
 */
import type { Row } from '../../model/types.js';
import type { GenerateContext } from '../types.js';
import { cumulativeTable, pickCumulative } from '../distributions.js';
import { datasetPlan } from '../plan.js';
import { firstNamesFor, pickWeighted as pickName, surnameTable } from '../../reference/names.js';
import { geography, type County } from '../../reference/geography.js';
import { syntheticNpiFrom } from './npi.js';
import type { Rng } from '../rng.js';
import { mayIncludeChildren } from '../clinical/pediatrics.js';

export interface Specialty {
  key: string;
  label: string;
  taxonomy: string; // NUCC Health Care Provider Taxonomy code
  perState: number;
}

/** NUCC taxonomy codes (nucc.org code set); labels are ours. */
export const SPECIALTIES: readonly Specialty[] = [
  { key: 'family_medicine', label: 'Family Medicine', taxonomy: '207Q00000X', perState: 5 },
  { key: 'internal_medicine', label: 'Internal Medicine', taxonomy: '207R00000X', perState: 4 },
  { key: 'nurse_practitioner', label: 'Nurse Practitioner, Family', taxonomy: '363LF0000X', perState: 2 },
  { key: 'endocrinology', label: 'Endocrinology, Diabetes & Metabolism', taxonomy: '207RE0101X', perState: 2 },
  { key: 'cardiology', label: 'Cardiovascular Disease', taxonomy: '207RC0000X', perState: 2 },
  { key: 'nephrology', label: 'Nephrology', taxonomy: '207RN0300X', perState: 2 },
  { key: 'pulmonology', label: 'Pulmonary Disease', taxonomy: '207RP1001X', perState: 2 },
  { key: 'oncology', label: 'Hematology & Oncology', taxonomy: '207RH0003X', perState: 2 },
  { key: 'emergency_medicine', label: 'Emergency Medicine', taxonomy: '207P00000X', perState: 2 },
];

export const PRIMARY_CARE = ['family_medicine', 'internal_medicine', 'nurse_practitioner'];

/** Children's primary care: in the network when the profile's ages reach under 18. */
export const PEDIATRICS: Specialty = { key: 'pediatrics', label: 'Pediatrics', taxonomy: '208000000X', perState: 4 };

/** The specialty that sees this person for primary care of that kind: a pediatrician for a child. */
export function primaryCareFor(age: number, specialty: string): string {
  return age < 18 && (specialty === 'family_medicine' || specialty === 'internal_medicine' || specialty === 'nurse_practitioner') ? PEDIATRICS.key : specialty;
}

/** Skill id → specialty that manages it (primary care when absent). */
export const SKILL_SPECIALTY: Record<string, string> = {
  'diabetes-management': 'endocrinology',
  'heart-failure': 'cardiology',
  'chronic-kidney-disease': 'nephrology',
  copd: 'pulmonology',
  'oncology-nsclc': 'oncology',
};

const HOSPITAL_SUFFIXES = ['General Hospital', 'Medical Center', 'Regional Medical Center', 'Community Hospital', 'Memorial Hospital'];
const CLINIC_SUFFIXES = ['Family Health Clinic', 'Primary Care Associates', 'Community Health Center', 'Internal Medicine Clinic'];

export interface NetworkRef {
  id: string;
  state: string;
}

export interface CareNetwork {
  providers: Row[];
  facilities: Row[];
  /** specialty → state → provider ids */
  providersBy: Map<string, Map<string, string[]>>;
  /** hospital|clinic → state → facility ids */
  facilitiesBy: Map<string, Map<string, string[]>>;
}

const networks = new WeakMap<GenerateContext, CareNetwork>();

function placeIn(rng: Rng, table: ReturnType<typeof cumulativeTable<County>>): { county: County; city: string; zip: string } {
  const county = pickCumulative(table, rng);
  const zips = geography.zipsInCounty(county.fips);
  const z = zips.length > 0 ? zips[Math.floor(rng.next() * zips.length)] : undefined;
  return { county, city: z?.city ?? county.name, zip: z?.zip ?? '00000' };
}

export function careNetwork(ctx: GenerateContext): CareNetwork {
  const cached = networks.get(ctx);
  if (cached) return cached;
  const plan = datasetPlan(ctx).geography;
  const rng = ctx.streams.shared('network');
  const providers: Row[] = [];
  const facilities: Row[] = [];
  const providersBy = new Map<string, Map<string, string[]>>();
  const facilitiesBy = new Map<string, Map<string, string[]>>();
  const push = (m: Map<string, Map<string, string[]>>, k: string, state: string, id: string) => {
    let byState = m.get(k);
    if (!byState) m.set(k, (byState = new Map()));
    const l = byState.get(state) ?? [];
    l.push(id);
    byState.set(state, l);
  };
  const tables = new Map<string, ReturnType<typeof cumulativeTable<County>>>();
  const addProvider = (srng: Rng, sp: Specialty, state: string) => {
    const sex = srng.next() < 0.5 ? 'F' : 'M';
    const where = placeIn(srng, tables.get(state)!);
    const id = `${ctx.nsToken}-PRV-${String(providers.length + 1).padStart(5, '0')}`;
    providers.push({
      provider_id: id,
      npi: syntheticNpiFrom(srng, 'individual'),
      first_name: pickName(firstNamesFor(sex), srng.next()),
      last_name: pickName(surnameTable(), srng.next()),
      taxonomy_code: sp.taxonomy,
      specialty: sp.label,
      city: where.city,
      state,
      zip: where.zip,
      county_fips: where.county.fips,
    });
    push(providersBy, sp.key, state, id);
  };
  for (const state of plan.states) {
    const counties = plan.counties.filter((c) => c.state === state);
    const table = cumulativeTable(counties, (c) => c.population);
    tables.set(state, table);
    const srng = rng.fork('state:' + state);
    for (const sp of SPECIALTIES) {
      for (let k = 0; k < sp.perState; k++) addProvider(srng, sp, state);
    }
    for (const [type, n] of [['hospital', 2], ['clinic', 3]] as const) {
      for (let k = 0; k < n; k++) {
        const where = placeIn(srng, table);
        const id = `${ctx.nsToken}-FAC-${String(facilities.length + 1).padStart(4, '0')}`;
        const suffixes = type === 'hospital' ? HOSPITAL_SUFFIXES : CLINIC_SUFFIXES;
        const beds = type === 'hospital' ? Math.round(Math.min(1500, Math.max(25, Math.exp(srng.normal(5.3, 0.6))))) : null;
        facilities.push({
          facility_id: id,
          npi: syntheticNpiFrom(srng, 'organization'),
          name: `${where.city} ${srng.pick(suffixes)}`,
          facility_type: type,
          bed_count: beds,
          city: where.city,
          state,
          zip: where.zip,
          county_fips: where.county.fips,
        });
        push(facilitiesBy, type, state, id);
      }
    }
  }
  // pediatricians after everyone else, from their own streams: an adult cohort's network is unchanged
  if (mayIncludeChildren(ctx.req.profile.demographics?.age)) {
    for (const state of plan.states) {
      const prng = rng.fork('pediatrics:' + state);
      for (let k = 0; k < PEDIATRICS.perState; k++) addProvider(prng, PEDIATRICS, state);
    }
  }
  const net = { providers, facilities, providersBy, facilitiesBy };
  networks.set(ctx, net);
  return net;
}

/** A provider of a specialty in the state (primary care when no specialist), picked with rng. */
export function pickProvider(net: CareNetwork, specialty: string, state: string, rng: Rng): string | null {
  const list = net.providersBy.get(specialty)?.get(state) ?? net.providersBy.get('family_medicine')?.get(state);
  return list && list.length > 0 ? list[Math.floor(rng.next() * list.length)] : null;
}

export function pickFacility(net: CareNetwork, type: 'hospital' | 'clinic', state: string, rng: Rng): string | null {
  const list = net.facilitiesBy.get(type)?.get(state);
  return list && list.length > 0 ? list[Math.floor(rng.next() * list.length)] : null;
}
