/**
 * Clone: an independent copy of a dataset whose every ID (primary keys, foreign keys and
 * person_id) is new. The new ID is a pure function of the old one — the namespace token in it is
 * replaced by `newToken` (or, for an ID without the token, `newToken-` is prepended) — so every
 * reference still resolves without a lookup table. Output goes through the stable Parquet path.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ALL_TABLES, SOURCE_DATASET_COLUMN } from '../model/registry.js';
import { assertUniqueKey, copyTableToParquet, openScratchDb, stagingTableSql } from './parquet.js';
import { quoteIdent, sqlString } from './sql.js';
import { idColumns } from './merge.js';
import type { WrittenTable } from './writeParquet.js';
import { StoreError } from './errors.js';
import { filesByTable, isDatasetFiles, type DatasetFiles } from './datasetFiles.js';

export interface CloneOptions {
  /** Token written into the new IDs (e.g. a hash of the clone's dataset name). */
  newToken: string;
  /** The source's namespace token as it appears in its IDs; when absent every ID is prefixed. */
  oldToken?: string;
}

export interface CloneResult {
  tables: WrittenTable[];
  /** table → rows */
  rows: Record<string, number>;
  /** table → the columns whose IDs were rewritten */
  rewritten: Record<string, string[]>;
  extraColumns: string[];
}

/** SQL expression giving the new ID for the ID expression `col`. */
export function cloneIdSql(col: string, options: CloneOptions): string {
  const prefixed = `${sqlString(`${options.newToken}-`)} || ${col}`;
  if (!options.oldToken) return prefixed;
  return `CASE WHEN strpos(${col}, ${sqlString(options.oldToken)}) > 0 THEN replace(${col}, ${sqlString(options.oldToken)}, ${sqlString(options.newToken)}) ELSE ${prefixed} END`;
}

export async function cloneDataset(
  source: Readonly<Record<string, string>> | DatasetFiles,
  outDir: string,
  tokenOrOptions: string | CloneOptions,
): Promise<CloneResult> {
  const files = isDatasetFiles(source) ? filesByTable(source) : source;
  const options: CloneOptions = typeof tokenOrOptions === 'string' ? { newToken: tokenOrOptions } : tokenOrOptions;
  if (!/^[A-Za-z0-9_.-]+$/.test(options.newToken)) throw new StoreError('INVALID_DATASET_NAME', `clone token "${options.newToken}" must be letters, digits, '.', '-' or '_'`);
  if (options.oldToken !== undefined && (options.oldToken === '' || options.oldToken === options.newToken)) {
    throw new StoreError('INVALID_DATASET_NAME', `clone needs a new token different from the source's ("${options.oldToken}")`);
  }
  for (const t of Object.keys(files)) if (!ALL_TABLES.some((d) => d.name === t)) throw new StoreError('MISSING_TABLE', `clone source: unknown table "${t}"`);
  const tables = ALL_TABLES.filter((t) => files[t.name] !== undefined);
  await mkdir(outDir, { recursive: true });
  const db = await openScratchDb(outDir);
  const { conn } = db;
  try {
    // A merged dataset carries source_dataset: keep it when every table has it.
    let extra: string[] = [];
    if (tables.length > 0) {
      const checks = await Promise.all(tables.map(async (t) => {
        const r = await conn.runAndReadAll(`SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(files[t.name])})) WHERE column_name = ${sqlString(SOURCE_DATASET_COLUMN)}`);
        return Number(r.getRows()[0][0]) > 0;
      }));
      if (checks.every(Boolean)) extra = [SOURCE_DATASET_COLUMN];
    }
    const written: WrittenTable[] = [];
    const rewritten: Record<string, string[]> = {};
    for (const t of tables) {
      const ids = new Set(idColumns(t).map(([c]) => c));
      rewritten[t.name] = t.columns.filter((c) => ids.has(c.name)).map((c) => c.name);
      const select = [...t.columns.map((c) => (ids.has(c.name) ? cloneIdSql(quoteIdent(c.name), options) : quoteIdent(c.name))), ...extra.map(quoteIdent)];
      await conn.run(stagingTableSql(t, t.name, extra));
      await conn.run(`INSERT INTO ${quoteIdent(t.name)} SELECT ${select.join(', ')} FROM read_parquet(${sqlString(files[t.name])})`);
      await assertUniqueKey(conn, t);
      const file = path.resolve(outDir, `${t.name}.parquet`);
      written.push({ table: t.name, rows: await copyTableToParquet(conn, t, file), file });
    }
    return { tables: written, rows: Object.fromEntries(written.map((w) => [w.table, w.rows])), rewritten, extraColumns: extra };
  } finally {
    await db.close();
  }
}
