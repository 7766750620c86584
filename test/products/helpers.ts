/**
 * Hand-built GenerateContext and a small deterministic Person factory for product tests (kept
 * independent of the demographics module so these tests exercise the products alone).
 */
import type { Row } from '../../src/model/types.js';
import { tableByName } from '../../src/model/registry.js';
import type { NormalizedProfile } from '../../src/spec/types.js';
import type { Person, PersonCondition } from '../../src/generate/person.js';
import type { ProductGenerator } from '../../src/generate/product.js';
import { StreamFactory } from '../../src/generate/rng.js';
import type { GenerateContext, TableRows } from '../../src/generate/types.js';

export const REF_DATE = '2025-01-01';

export function baseProfile(over: Partial<NormalizedProfile> = {}): NormalizedProfile {
  return {
    id: 'test-profile',
    product: 'membersim',
    products: ['membersim'],
    generation: { count: 100, batch_size: 50 },
    demographics: {
      age: { type: 'normal', mean: 72, std_dev: 6, min: 65, max: 95 },
      gender: { male: 0.48, female: 0.52 },
      geography: { kind: 'state', states: ['CA'] },
    },
    clinical: { comorbidities: [], medications: [], derived_conditions: false, allergies_rate: 0 },
    ...over,
  };
}

export function makeContext(profile: NormalizedProfile, count = profile.generation.count, seed = 42, namespace = 'test-ns'): GenerateContext {
  return {
    req: { profile, seed, count, namespace, referenceDate: REF_DATE },
    streams: new StreamFactory(seed, namespace),
    refDay: Math.floor(Date.parse(REF_DATE + 'T00:00:00Z') / 86_400_000),
    nsToken: 'T1',
  };
}

const CONDITION_POOL: readonly [string, string, number][] = [
  ['E11.9', 'Type 2 diabetes mellitus without complications', 0.45],
  ['I10', 'Essential (primary) hypertension', 0.6],
  ['E78.5', 'Hyperlipidemia, unspecified', 0.5],
  ['I50.9', 'Heart failure, unspecified', 0.12],
  ['J44.9', 'Chronic obstructive pulmonary disease, unspecified', 0.12],
  ['N18.30', 'Chronic kidney disease, stage 3 unspecified', 0.1],
  ['I48.91', 'Unspecified atrial fibrillation', 0.08],
];

/** A person drawn only from entity i's own `test-person` stream. */
export function makePerson(ctx: GenerateContext, i: number, opts: { minAge?: number; maxAge?: number } = {}): Person {
  const rng = ctx.streams.entity(i, 'test-person');
  const minAge = opts.minAge ?? 65;
  const maxAge = opts.maxAge ?? 90;
  const age = rng.int(minAge, maxAge);
  const year = 2025 - age - 1;
  const birth = `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const sex = rng.chance(0.5) ? 'F' : 'M';
  const conditions: PersonCondition[] = [];
  for (const [code, description, p] of CONDITION_POOL) {
    if (rng.chance(p)) {
      conditions.push({ code, description, onset_date: `${2025 - rng.int(1, 10)}-03-15`, is_primary: conditions.length === 0 });
    }
  }
  return {
    index: i,
    person_id: `T1-P${String(i + 1).padStart(7, '0')}`,
    first_name: rng.pick(['Margaret', 'Robert', 'Dorothy', 'James', 'Linda', 'Thomas']),
    last_name: rng.pick(['Wilson', 'Chen', 'Martinez', 'Johnson', 'Brown']),
    sex,
    birth_date: birth,
    age: age,
    race: rng.pick(['White', 'Black or African American', 'Asian']),
    ethnicity: rng.chance(0.2) ? 'Hispanic or Latino' : 'Not Hispanic or Latino',
    address_line: `${rng.int(100, 9999)} Oak St`,
    city: 'San Diego',
    state: 'CA',
    zip: '92101',
    county_fips: '06073',
    county_name: 'San Diego',
    phone: '555-0100',
    email: 'x@example.com',
    conditions,
    clinical: { height_cm: 170, weight_kg: 60 + rng.int(0, 50), bmi: 27, smoker: rng.chance(0.15), levels: {}, severity: {}, skills: [] },
  };
}

export function people(ctx: GenerateContext, n: number, opts?: { minAge?: number; maxAge?: number }): Person[] {
  return Array.from({ length: n }, (_, i) => makePerson(ctx, i, opts));
}

/** Run a product over persons: shared rows first, then each entity's rows appended per table. */
export function runProduct<S>(gen: ProductGenerator<S>, ctx: GenerateContext, persons: readonly Person[]): TableRows {
  const { state, rows } = gen.shared(ctx);
  const out: TableRows = {};
  for (const [t, r] of Object.entries(rows)) out[t] = [...r];
  for (const p of persons) {
    for (const [t, r] of Object.entries(gen.entity(ctx, p, state))) (out[t] ??= []).push(...r);
  }
  return out;
}

/** Every row has exactly the table's columns; PKs unique; FKs resolve within `all`. */
export function checkIntegrity(all: TableRows): string[] {
  const problems: string[] = [];
  for (const [name, rows] of Object.entries(all)) {
    const def = tableByName(name);
    if (!def) {
      problems.push(`unknown table ${name}`);
      continue;
    }
    const cols = def.columns.map((c) => c.name).sort().join(',');
    const pk = new Set<string>();
    for (const r of rows) {
      const have = Object.keys(r).sort().join(',');
      if (have !== cols) {
        problems.push(`${name}: columns ${have} ≠ ${cols}`);
        break;
      }
      const key = def.primaryKey.map((k) => String(r[k])).join('|');
      if (pk.has(key)) problems.push(`${name}: duplicate key ${key}`);
      pk.add(key);
      for (const c of def.columns) {
        const v = r[c.name];
        if (c.nullable === false && (v === null || v === undefined)) problems.push(`${name}.${c.name} is null`);
        if (c.type === 'DATE' && v !== null && (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v))) problems.push(`${name}.${c.name} bad date ${String(v)}`);
      }
    }
    if (problems.length > 20) break;
  }
  for (const [name, rows] of Object.entries(all)) {
    const def = tableByName(name);
    if (!def) continue;
    for (const c of def.columns) {
      if (!c.references) continue;
      const target = all[c.references.table];
      const keys = new Set((target ?? []).map((r) => r[c.references!.column]));
      for (const r of rows) {
        const v = r[c.name];
        if (v === null || v === undefined) continue;
        if (!keys.has(v)) {
          problems.push(`${name}.${c.name} = ${String(v)} does not resolve in ${c.references.table}`);
          break;
        }
      }
    }
  }
  return problems;
}

/** Every DATE value across all tables, with where it came from. */
export function allDates(all: TableRows): { table: string; column: string; value: string }[] {
  const out: { table: string; column: string; value: string }[] = [];
  for (const [name, rows] of Object.entries(all)) {
    const def = tableByName(name);
    if (!def) continue;
    const dateCols = def.columns.filter((c) => c.type === 'DATE').map((c) => c.name);
    for (const r of rows) for (const c of dateCols) if (typeof r[c] === 'string') out.push({ table: name, column: c, value: r[c] as string });
  }
  return out;
}

export function cents(x: unknown): number {
  return Math.round(Number(x) * 100);
}

export function rowsOf(all: TableRows, table: string): Row[] {
  return all[table] ?? [];
}
