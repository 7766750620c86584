import type { TableDef } from '../model/types.js';
import type { EntityProduct } from '../spec/types.js';
import type { GenerateContext, TableRows } from './types.js';
import type { Person } from './person.js';

/**
 * A product generator. `shared` runs once per dataset (study design, plans, formulary,
 * providers) from dataset-level streams; `entity` runs once per person index i and must draw
 * only from `ctx.streams.entity(i, purpose)` so that output is independent of batch size,
 * job count and shard split.
 */
export interface ProductGenerator<S = unknown> {
  product: EntityProduct;
  /** Tables this product writes (entity tables and shared tables). */
  tables(ctx: GenerateContext): TableDef[];
  /** Dataset-level state and rows (written once, by shard 0). */
  shared(ctx: GenerateContext): { state: S; rows: TableRows };
  /** Rows for person i. */
  entity(ctx: GenerateContext, person: Person, state: S): TableRows;
}
