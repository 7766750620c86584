/** The Parquet sink for generated rows (the generate step's output). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Row, TableDef } from '../model/types.js';
import { TableLoader } from './appendRows.js';
import { PARQUET_OPTIONS, assertUniqueKey, openScratchDb, orderByClause, singleThreaded, stagingTableSql } from './parquet.js';
import { sqlString } from './sql.js';

/** Rows for one or more tables, keyed by table name (same shape as generate's TableRows; store may not import generate). */
export type TableRows = Record<string, readonly Row[]>;

export interface WrittenTable {
  table: string;
  rows: number;
  /** Absolute path of `<outDir>/<table>.parquet`. */
  file: string;
}

/**
 * Streams batches of generated rows into an in-memory DuckDB (one table per TableDef) and
 * writes `<outDir>/<table>.parquet` for every table, including empty ones. Batches are consumed
 * in order; rows for tables not in `tables` are an error. The bytes depend only on the rows:
 * keys checked, rows sorted by key, zstd. A block of a larger dataset is written the same way,
 * since combineBlocks reuses its row groups as they are.
 */
export async function writeParquetTables(
  tables: readonly TableDef[],
  batches: Iterable<TableRows> | AsyncIterable<TableRows>,
  outDir: string,
): Promise<WrittenTable[]> {
  await mkdir(outDir, { recursive: true });
  const db = await openScratchDb(outDir);
  try {
    const loaders = new Map<string, TableLoader>();
    for (const table of tables) {
      await db.conn.run(stagingTableSql(table));
      loaders.set(table.name, await TableLoader.open(db.conn, table));
    }
    for await (const batch of batches) {
      for (const name of Object.keys(batch)) {
        const loader = loaders.get(name);
        if (!loader) throw new Error(`generated rows for table "${name}", which is not among the dataset's tables (${tables.map((t) => t.name).join(', ')})`);
        loader.append(batch[name]);
      }
    }
    const written: WrittenTable[] = [];
    for (const table of tables) {
      const file = path.resolve(outDir, `${table.name}.parquet`);
      const loader = loaders.get(table.name)!;
      // rows loaded in strictly increasing key order are unique and already in the sorted order:
      // they go from the packed staging table straight to Parquet (same bytes as the sorted COPY)
      await loader.finishInto(async (relation) => {
        if (!loader.inKeyOrder) await assertUniqueKey(db.conn, table);
        await singleThreaded(db.conn, () => db.conn.run(`COPY ${relation} TO ${sqlString(file)} (${PARQUET_OPTIONS})`));
      }, orderByClause(table));
      written.push({ table: table.name, rows: loader.rows, file });
    }
    return written;
  } finally {
    await db.close();
  }
}
