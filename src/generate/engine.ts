/**
 * The engine entry points. Entities are generated in index order; entity i depends only on
 * (seed, namespace, i), so any batch size, range split or shard layout yields the same rows.
 * Shared (dataset-level) rows come first; when several products write the same shared table
 * (providers, facilities), the first product in `profile.products` provides it.
 */
import type { Row, TableDef } from '../model/types.js';
import { ALL_TABLES } from '../model/registry.js';
import type { EntityProduct } from '../spec/types.js';
import type { GenerateContext, GenerateRequest, TableRows } from './types.js';
import type { ProductGenerator } from './product.js';
import { createContext } from './context.js';
import { makePerson } from './demographics/person.js';
import { productGenerators } from './products/index.js';

export { productGenerators, createContext };

/** Bumped when generation logic changes output for the same inputs (part of step keys). */
export const ENGINE_VERSION = '1';

export function productsOf(req: GenerateRequest): EntityProduct[] {
  const list = req.profile.products && req.profile.products.length > 0 ? req.profile.products : [req.profile.product];
  return [...new Set(list)];
}

function generatorsFor(req: GenerateRequest): ProductGenerator<unknown>[] {
  return productsOf(req).map((p) => {
    const g = productGenerators[p];
    if (!g) throw new Error(`no generator for product ${p}`);
    return g;
  });
}

/** Tables a dataset built from this request contains, in the model's dependency order. */
export function datasetTables(req: GenerateRequest): TableDef[] {
  const ctx = createContext(req);
  const names = new Set(generatorsFor(req).flatMap((g) => g.tables(ctx).map((t) => t.name)));
  return ALL_TABLES.filter((t) => names.has(t.name));
}

interface Prepared {
  ctx: GenerateContext;
  gens: { gen: ProductGenerator<unknown>; state: unknown }[];
  shared: TableRows;
  tables: string[];
}

function prepare(req: GenerateRequest): Prepared {
  const ctx = createContext(req);
  const shared: TableRows = {};
  // Shared tables written by several products (providers, facilities, payers, plans) are the
  // union of their rows, de-duplicated by primary key (first product wins), so every product's
  // references resolve.
  const gens = generatorsFor(req).map((gen) => {
    const { state, rows } = gen.shared(ctx);
    for (const [t, r] of Object.entries(rows)) shared[t] = t in shared ? unionByKey(t, shared[t], r) : r;
    return { gen, state };
  });
  const tables = datasetTables(req).map((t) => t.name);
  return { ctx, gens, shared, tables };
}

function sharedInOrder(p: Prepared): TableRows {
  const out: TableRows = {};
  for (const t of p.tables) if (p.shared[t]) out[t] = p.shared[t];
  return out;
}

function keyOf(table: string): (row: Row) => string {
  const def = ALL_TABLES.find((t) => t.name === table);
  const cols = def ? def.primaryKey : [];
  return (row) => cols.map((c) => String(row[c])).join('\u0000');
}

function unionByKey(table: string, a: Row[], b: Row[]): Row[] {
  const key = keyOf(table);
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const row of b) {
    const k = key(row);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(row);
    }
  }
  return out;
}

function entityBatch(p: Prepared, from: number, to: number): TableRows {
  const out: TableRows = {};
  for (const t of p.tables) if (!(t in p.shared)) out[t] = [];
  const several = p.gens.length > 1;
  for (let i = from; i < to; i++) {
    const person = makePerson(p.ctx, i);
    // One person seen by several products: a table two products both write for this person
    // (members from membersim and rxmembersim) comes from the first product only.
    const writtenBy = several ? new Map<string, number>() : undefined;
    for (let g = 0; g < p.gens.length; g++) {
      const { gen, state } = p.gens[g];
      const rows = gen.entity(p.ctx, person, state);
      for (const t in rows) {
        if (writtenBy) {
          const owner = writtenBy.get(t);
          if (owner !== undefined && owner !== g) continue;
          writtenBy.set(t, g);
        }
        const list = (out[t] ??= []);
        for (const row of rows[t]) list.push(row);
      }
    }
  }
  return out;
}

export interface GenerateRowsOptions {
  start: number;
  end: number;
  includeShared: boolean;
  batchSize: number;
}

/** Batches of rows for entities [start, end), in entity order; shared rows first when asked. */
export function* generateRows(req: GenerateRequest, opts: GenerateRowsOptions): Generator<TableRows> {
  const p = prepare(req);
  if (opts.includeShared) yield sharedInOrder(p);
  const size = Math.max(1, Math.floor(opts.batchSize));
  for (let b = opts.start; b < opts.end; b += size) yield entityBatch(p, b, Math.min(opts.end, b + size));
}

/** Everything in memory: shared rows then every entity's rows, per table. */
export function generate(req: GenerateRequest): TableRows {
  const p = prepare(req);
  const out: TableRows = {};
  for (const t of p.tables) out[t] = [];
  const append = (rows: TableRows) => {
    for (const [t, r] of Object.entries(rows)) {
      const list = (out[t] ??= []);
      for (const row of r) list.push(row);
    }
  };
  append(sharedInOrder(p));
  append(entityBatch(p, 0, req.count));
  return out;
}

export type { Row };
