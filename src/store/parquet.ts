/**
 * DuckDB's path to Parquet bytes, for every file the store derives from other Parquet files
 * (merges, clones, exports that cannot reuse a generated file, the combine fallback): a plain
 * table or relation in an in-memory DuckDB, copied with an ORDER BY over the table's order
 * columns on one thread. Measured: the bytes are identical whatever the load path, thread count
 * or batch boundaries, because the sort fixes the row sequence and the writer's row groups.
 * Generated rows take the columnar writer instead (parquetWriter.ts).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir, rm } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';
import path from 'node:path';
import { orderColumns, type TableDef } from '../model/types.js';
import { quoteIdent, sqlString } from './sql.js';
import { StoreError } from './errors.js';

export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd';

/** CREATE TABLE without constraints (loads are checked once afterwards, see assertUniqueKey). */
export function stagingTableSql(table: TableDef, name = table.name, extraColumns: readonly string[] = []): string {
  const cols = table.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  for (const extra of extraColumns) cols.push(`${quoteIdent(extra)} VARCHAR`);
  return `CREATE TABLE ${quoteIdent(name)} (${cols.join(', ')})`;
}

/** ORDER BY clause for a table: its order columns, then the remaining primary key columns. */
export function orderByClause(table: TableDef, extraOrder: readonly string[] = []): string {
  const cols = [...extraOrder, ...orderColumns(table)];
  for (const k of table.primaryKey) if (!cols.includes(k)) cols.push(k);
  return cols.map(quoteIdent).join(', ');
}

/** Fails with DUPLICATE_KEY when the table's primary key is null or repeated. */
export async function assertUniqueKey(conn: DuckDBConnection, table: TableDef, name = table.name): Promise<void> {
  await assertUniqueKeyIn(conn, table, quoteIdent(name));
}

/** assertUniqueKey over any relation (a table name or `read_parquet([...])`). Returns its row count. */
export async function assertUniqueKeyIn(conn: DuckDBConnection, table: TableDef, relation: string): Promise<number> {
  const key = table.primaryKey.map(quoteIdent).join(', ');
  const nullCheck = table.primaryKey.map((k) => `${quoteIdent(k)} IS NULL`).join(' OR ');
  const reader = await conn.runAndReadAll(
    `WITH r AS (SELECT ${key} FROM ${relation}), g AS (SELECT ${key}, count(*) AS n FROM r GROUP BY ALL HAVING count(*) > 1)
     SELECT (SELECT count(*) FROM r) AS total,
            (SELECT count(*) FROM r WHERE ${nullCheck}) AS nulls,
            (SELECT count(*) FROM g) AS dups,
            (SELECT ${key} FROM g ORDER BY ALL LIMIT 1) AS example`,
  );
  const [total, nulls, dups, example] = reader.getRows()[0];
  if (Number(nulls) > 0) throw new StoreError('DUPLICATE_KEY', `${table.name}: ${Number(nulls)} row(s) with a null primary key (${table.primaryKey.join(', ')})`);
  if (Number(dups) > 0) throw new StoreError('DUPLICATE_KEY', `${table.name}: ${Number(dups)} duplicated primary key value(s), e.g. ${String(example)}`);
  return Number(total);
}

/**
 * Runs `fn` with DuckDB on one thread. Every COPY whose bytes matter runs this way: a 1M-patient
 * build once came out with other bytes under --jobs 1 than --jobs 2 (not reproduced smaller),
 * and the multi-threaded Parquet writer is the one step whose output may depend on timing
 * (DuckDB: row-group and file-size limits are exact only when one thread writes).
 */
export async function singleThreaded<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  const reader = await conn.runAndReadAll(`SELECT current_setting('threads')`);
  const threads = Number(reader.getRows()[0][0]);
  if (threads === 1) return fn();
  await conn.run('SET threads = 1');
  try {
    return await fn();
  } finally {
    await conn.run(`SET threads = ${threads}`);
  }
}

/** COPY a loaded table to `<file>` in its defined order. Returns the row count. */
export async function copyTableToParquet(
  conn: DuckDBConnection, table: TableDef, file: string,
  opts: { name?: string; extraOrder?: readonly string[]; options?: string } = {},
): Promise<number> {
  const name = quoteIdent(opts.name ?? table.name);
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${name}`);
  const rows = Number(reader.getRows()[0][0]);
  const source = `(SELECT * FROM ${name} ORDER BY ${orderByClause(table, opts.extraOrder)})`;
  await singleThreaded(conn, () => conn.run(`COPY ${source} TO ${sqlString(file)} (${opts.options ?? PARQUET_OPTIONS})`));
  return rows;
}

/**
 * DuckDB's memory budget per scratch database. Generated tables live in an in-memory DuckDB
 * until they are sorted into Parquet; beyond this budget DuckDB spills to `temp_directory`, so
 * a dataset of any size builds in bounded memory (measured: 8 M lab rows appended, checked and
 * sorted with a 256 MB budget peaked at 562 MB RSS, the same as 3 M rows). `HEALTHSIM_DUCKDB_MEMORY` overrides it (DuckDB syntax,
 * e.g. `2GB`); a larger budget spills less and sorts faster.
 */
export function scratchMemoryLimit(): string {
  const v = process.env.HEALTHSIM_DUCKDB_MEMORY?.trim();
  if (v && /^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i.test(v)) return v;
  return isMainThread ? '512MB' : '256MB';
}

/**
 * An in-memory DuckDB for a batch job whose spill files go under `tempDir` (so memory stays
 * bounded by DuckDB's limit, not the data size). Closed and cleaned by `close()`.
 */
export async function openScratchDb(tempDir: string): Promise<{ conn: DuckDBConnection; close: () => Promise<void> }> {
  const spill = path.join(tempDir, `.duckdb-spill-${process.pid}`);
  await mkdir(spill, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: spill,
    // In a generation worker the parallelism is the workers themselves; DuckDB's own thread pool
    // per worker only oversubscribes the cores (measured: 2 workers ran slower than 1).
    ...(isMainThread ? {} : { threads: '1' }),
    memory_limit: scratchMemoryLimit(),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  return {
    conn,
    close: async () => {
      conn.closeSync();
      instance.closeSync();
      await rm(spill, { recursive: true, force: true });
    },
  };
}
