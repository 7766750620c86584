/** One block of generation: rows for entities [start, end) of one unit → Parquet files. */
import { tableByName, type TableDef } from '../model/index.js';
import type { GenerateRequest } from '../generate/types.js';
import type { BlockJob, BlockSetup } from './generateChunks.js';

export function tablesByName(names: readonly string[]): TableDef[] {
  return names.map((n) => {
    const t = tableByName(n);
    if (!t) throw new Error(`unknown table ${n}`);
    return t;
  });
}

/** A block's table: written to a file, or (a block that is combined as it arrives) held as bytes. */
export type PartFile = { rows: number; file: string; bytes?: undefined } | { rows: number; bytes: Uint8Array; file?: undefined };

const resolved = new WeakMap<BlockSetup, { reqs: GenerateRequest[]; tables: TableDef[] }>();

/** How a block runs in its thread. */
export interface BlockRunOptions {
  /**
   * Let the event loop run after every batch: the main thread, generating beside the workers,
   * hands them their next blocks and takes their finished ones meanwhile, instead of once a
   * block (≈ 0.1–0.4 s, long enough to leave a worker idle).
   */
  yieldBetweenBatches?: boolean;
}

/** The batches of `rows`, with a turn of the event loop after each. */
async function* yielding<T>(rows: Iterable<T>): AsyncGenerator<T> {
  for (const batch of rows) {
    yield batch;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Returns table name → Parquet file (or its bytes, for a job `inMemory`) and its row count. */
export async function generateBlock(setup: BlockSetup, job: BlockJob, opts: BlockRunOptions = {}): Promise<Record<string, PartFile>> {
  const { generateRows } = await import('../generate/engine.js');
  // the writer alone: store/index.js would load DuckDB too (≈ 260 ms and its native library in
  // every worker), which generation never uses
  const { writeParquetTables, parquetTableBytes } = await import('../store/writeParquet.js');
  let r = resolved.get(setup);
  if (!r) {
    r = {
      reqs: setup.reqs.map((q) => ({ ...q, skills: q.skills ? new Map(q.skills) : undefined }) as GenerateRequest),
      tables: tablesByName(setup.tables),
    };
    resolved.set(setup, r);
  }
  const { block } = job;
  const batches = generateRows(r.reqs[block.unit], { start: block.start, end: block.end, includeShared: block.includeShared, batchSize: setup.batchSize });
  const rows = opts.yieldBetweenBatches ? yielding(batches) : batches;
  if (job.inMemory) {
    const tables = await parquetTableBytes(r.tables, rows);
    return Object.fromEntries(tables.map((t) => [t.table, { rows: t.rows, bytes: t.bytes }]));
  }
  const written = await writeParquetTables(r.tables, rows, job.outDir);
  return Object.fromEntries(written.map((w) => [w.table, { file: w.file, rows: w.rows }]));
}
