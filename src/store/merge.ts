/**
 * Merge: the union of several datasets' tables with a `source_dataset` column, IDs kept unique.
 * Sources are taken in the order given; the first source keeps its IDs. When a later source has
 * a primary key (or a person_id) that an earlier source already uses, that ID is rewritten as
 * `<source name>:<id>` in the later source's table and in every foreign key of that source that
 * points to it, and the rewrite is counted as a conflict. Output goes through the same stable
 * Parquet path as generated tables.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ALL_TABLES, SOURCE_DATASET_COLUMN } from '../model/registry.js';
import type { TableDef } from '../model/types.js';
import { assertUniqueKey, copyTableToParquet, openScratchDb, stagingTableSql } from './parquet.js';
import { assertDatasetName, quoteIdent, sqlString } from './sql.js';
import type { WrittenTable } from './writeParquet.js';
import { StoreError } from './errors.js';
import { filesByTable, isDatasetFiles, type DatasetFiles } from './datasetFiles.js';

export interface MergeSource {
  name: string;
  /** table name → Parquet file (tables the source does not have are simply absent) */
  files: Readonly<Record<string, string>>;
}

export interface MergeConflict {
  source: string;
  table: string;
  column: string;
  /** IDs rewritten in this source's table */
  count: number;
}

export interface MergeResult {
  tables: WrittenTable[];
  /** table → rows in the merged output */
  rows: Record<string, number>;
  /** source → table → rows contributed */
  counts: Record<string, Record<string, number>>;
  conflicts: MergeConflict[];
  totalConflicts: number;
  extraColumns: string[];
}

export const PERSON_ID = 'person_id';
const PERSON_KEY = '#person';

/** Columns of `table` that hold IDs of `target` tables: [column, target table or PERSON_KEY]. */
export function idColumns(table: TableDef): [string, string][] {
  const out: [string, string][] = [];
  for (const c of table.columns) {
    if (table.primaryKey.length === 1 && c.name === table.primaryKey[0]) out.push([c.name, table.name]);
    else if (c.references) out.push([c.name, c.references.table]);
    else if (c.name === PERSON_ID) out.push([c.name, PERSON_KEY]);
  }
  return out;
}

const src = (i: number, t: string) => quoteIdent(`src${i}_${t}`);
const map = (i: number, key: string) => quoteIdent(`map${i}_${key}`);
const seen = (key: string) => quoteIdent(`seen_${key}`);

export async function mergeDatasets(input: readonly (MergeSource | DatasetFiles)[], outDir: string): Promise<MergeResult> {
  const sources: MergeSource[] = input.map((s) => (isDatasetFiles(s) ? { name: s.name, files: filesByTable(s) } : s));
  if (sources.length === 0) throw new StoreError('MISSING_TABLE', 'merge needs at least one source dataset');
  for (const s of sources) assertDatasetName(s.name);
  const dup = sources.find((s, i) => sources.findIndex((o) => o.name === s.name) !== i);
  if (dup) throw new StoreError('INVALID_DATASET_NAME', `merge lists source "${dup.name}" twice`);
  for (const s of sources) for (const t of Object.keys(s.files)) if (!ALL_TABLES.some((d) => d.name === t)) throw new StoreError('MISSING_TABLE', `source ${s.name}: unknown table "${t}"`);
  const tables = ALL_TABLES.filter((t) => sources.some((s) => s.files[t.name] !== undefined));

  await mkdir(outDir, { recursive: true });
  const db = await openScratchDb(outDir);
  const { conn } = db;
  try {
    const counts: Record<string, Record<string, number>> = {};
    for (const [i, s] of sources.entries()) {
      counts[s.name] = {};
      for (const t of tables) {
        const file = s.files[t.name];
        const cols = t.columns.map((c) => quoteIdent(c.name)).join(', ');
        if (file === undefined) await conn.run(`CREATE TABLE ${src(i, t.name)} AS SELECT ${cols} FROM (${emptyRow(t)}) WHERE false`);
        else await conn.run(`CREATE TABLE ${src(i, t.name)} AS SELECT ${cols} FROM read_parquet(${sqlString(file)})`);
        const r = await conn.runAndReadAll(`SELECT count(*) FROM ${src(i, t.name)}`);
        const n = Number(r.getRows()[0][0]);
        if (file !== undefined) counts[s.name][t.name] = n;
      }
    }

    // ID spaces: each keyed table's primary key, plus person_id across every table that has one.
    const keyed = tables.filter((t) => t.primaryKey.length === 1);
    const spaces: { key: string; members: [TableDef, string][] }[] = keyed.map((t) => ({ key: t.name, members: [[t, t.primaryKey[0]]] }));
    const personMembers = tables.filter((t) => t.columns.some((c) => c.name === PERSON_ID)).map((t) => [t, PERSON_ID] as [TableDef, string]);
    if (personMembers.length) spaces.push({ key: PERSON_KEY, members: personMembers });

    const conflicts: MergeConflict[] = [];
    for (const space of spaces) {
      await conn.run(`CREATE TABLE ${seen(space.key)} (id VARCHAR)`);
      for (const [i, s] of sources.entries()) {
        const ids = space.members.map(([t, c]) => `SELECT ${quoteIdent(c)} AS id FROM ${src(i, t.name)}`).join(' UNION ');
        const prefix = sqlString(`${s.name}:`);
        await conn.run(`CREATE TABLE ${map(i, space.key)} AS
          SELECT id AS old, ${prefix} || id AS new FROM (${ids}) WHERE id IS NOT NULL AND id IN (SELECT id FROM ${seen(space.key)})`);
        await conn.run(`INSERT INTO ${seen(space.key)} SELECT coalesce(m.new, x.id) FROM (${ids}) x LEFT JOIN ${map(i, space.key)} m ON m.old = x.id WHERE x.id IS NOT NULL`);
        for (const [t, c] of space.members) {
          const r = await conn.runAndReadAll(`SELECT count(DISTINCT x.${quoteIdent(c)}) FROM ${src(i, t.name)} x JOIN ${map(i, space.key)} m ON m.old = x.${quoteIdent(c)}`);
          const n = Number(r.getRows()[0][0]);
          if (n > 0) conflicts.push({ source: s.name, table: t.name, column: c, count: n });
        }
      }
    }
    const spaceKeys = new Set(spaces.map((s) => s.key));

    const written: WrittenTable[] = [];
    for (const t of tables) {
      await conn.run(stagingTableSql(t, t.name, [SOURCE_DATASET_COLUMN]));
      for (const [i, s] of sources.entries()) {
        if (s.files[t.name] === undefined) continue;
        await conn.run(rewriteInsertSql(t, i, s.name, spaceKeys));
      }
      await assertUniqueKey(conn, t);
      const file = path.resolve(outDir, `${t.name}.parquet`);
      written.push({ table: t.name, rows: await copyTableToParquet(conn, t, file), file });
    }
    const totalConflicts = conflicts.reduce((n, c) => n + c.count, 0);
    return { tables: written, rows: Object.fromEntries(written.map((w) => [w.table, w.rows])), counts, conflicts, totalConflicts, extraColumns: [SOURCE_DATASET_COLUMN] };
  } finally {
    await db.close();
  }
}

function emptyRow(t: TableDef): string {
  return `SELECT ${t.columns.map((c) => `NULL::${c.type} AS ${quoteIdent(c.name)}`).join(', ')}`;
}

function rewriteInsertSql(t: TableDef, i: number, sourceName: string, spaceKeys: Set<string>): string {
  const idCols = new Map(idColumns(t));
  const joins: string[] = [];
  const select = t.columns.map((c, k) => {
    const target = idCols.get(c.name);
    if (target === undefined || !spaceKeys.has(target)) return `x.${quoteIdent(c.name)}`;
    const alias = `m${k}`;
    joins.push(`LEFT JOIN ${map(i, target)} ${alias} ON ${alias}.old = x.${quoteIdent(c.name)}`);
    return `coalesce(${alias}.new, x.${quoteIdent(c.name)})`;
  });
  return `INSERT INTO ${quoteIdent(t.name)} SELECT ${select.join(', ')}, ${sqlString(sourceName)} FROM ${src(i, t.name)} x ${joins.join(' ')}`;
}

