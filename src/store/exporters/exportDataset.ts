/**
 * Exports a dataset through a registered sink into `outDir`, atomically: the sink writes into a
 * temporary directory beside outDir, manifest.json (file, table, rows, bytes, sha256) is added,
 * and the directory is renamed into place (an existing outDir is renamed away first and deleted
 * after). A failed export leaves the previous outDir untouched.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ALL_TABLES, SOURCE_DATASET_COLUMN } from '../../model/registry.js';
import type { TableDef } from '../../model/types.js';
import { quoteIdent } from '../../model/ddl.js';
import { StoreError } from '../errors.js';
import { openScratchDb } from '../parquet.js';
import type { ProjectDb } from '../projectDb.js';
import { relationNames, viewFiles } from '../catalog.js';
import { qualified, schemaNameFor, sqlString } from '../sql.js';
import { filesByTable, isDatasetFiles, type DatasetFiles } from '../datasetFiles.js';
import { getSink, sinkFormats, type ExportedFile } from './sink.js';
import { registerBuiltinSinks } from './tabular.js';

export type ExportSource =
  /** The cached files of a dataset (preferred: needs no database). */
  | DatasetFiles
  /** Parquet files (table → file). */
  | { files: Readonly<Record<string, string>>; extraColumns?: readonly string[] }
  /** A persisted dataset in the project database. */
  | { db: ProjectDb; dataset: string };

export interface ExportRequest {
  source: ExportSource;
  /** Dataset name (passed to the sink; recorded in the manifest). Defaults to the source's name. */
  dataset?: string;
  format: string;
  outDir: string;
  /** Restrict to these tables (default: every table of the dataset). */
  tables?: readonly string[];
  options?: Readonly<Record<string, unknown>>;
}

export interface ManifestFile extends ExportedFile {
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  dataset: string;
  format: string;
  files: ManifestFile[];
}

export const MANIFEST_FILE = 'manifest.json';

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Replaces `target` by `staged` with renames only (old one moved aside, then deleted). */
export async function replaceDirectory(staged: string, target: string): Promise<void> {
  const aside = `${target}.old-${process.pid}`;
  await rm(aside, { recursive: true, force: true });
  let moved = false;
  try {
    await rename(target, aside);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await rename(staged, target);
  } catch (err) {
    if (moved) await rename(aside, target).catch(() => undefined);
    throw err;
  }
  if (moved) await rm(aside, { recursive: true, force: true });
}

function selectTables(present: readonly string[], wanted: readonly string[] | undefined): TableDef[] {
  for (const w of wanted ?? []) if (!present.includes(w)) throw new StoreError('MISSING_TABLE', `table "${w}" is not in the dataset (it has ${present.join(', ')})`);
  return ALL_TABLES.filter((t) => present.includes(t.name) && (wanted === undefined || wanted.includes(t.name)));
}

export async function exportDataset(req: ExportRequest): Promise<{ outDir: string; manifest: ExportManifest; files: ManifestFile[] }> {
  const dataset = req.dataset ?? ('name' in req.source ? req.source.name : 'dataset' in req.source ? req.source.dataset : undefined);
  if (dataset === undefined) throw new StoreError('INVALID_DATASET_NAME', 'export needs a dataset name');
  registerBuiltinSinks();
  const sink = getSink(req.format);
  if (!sink) throw new StoreError('UNKNOWN_FORMAT', `unknown export format "${req.format}" (known: ${sinkFormats().join(', ')})`);
  const outDir = path.resolve(req.outDir);
  await mkdir(path.dirname(outDir), { recursive: true });
  const staged = `${outDir}.tmp-${process.pid}`;
  await rm(staged, { recursive: true, force: true });
  await mkdir(staged);
  try {
    const files = await withDatasetViews(req, staged, async (connection, tables, extraColumns, sourceFiles) =>
      sink.write({ connection, tables, extraColumns, outDir: staged, dataset, options: req.options ?? {}, sourceFiles }));
    const manifestFiles: ManifestFile[] = [];
    for (const f of [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      const full = path.join(staged, f.file);
      manifestFiles.push({ ...f, bytes: (await stat(full)).size, sha256: await sha256(full) });
    }
    const manifest: ExportManifest = { dataset, format: req.format, files: manifestFiles };
    await writeFile(path.join(staged, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await replaceDirectory(staged, outDir);
    return { outDir, manifest, files: manifestFiles };
  } catch (err) {
    await rm(staged, { recursive: true, force: true });
    throw err;
  }
}

type ViewUser<T> = (conn: DuckDBConnection, tables: TableDef[], extraColumns: string[], sourceFiles?: Readonly<Record<string, string>>) => Promise<T>;

/** Gives the sink a connection where each table of the dataset is a view named after it. */
async function withDatasetViews<T>(req: ExportRequest, scratchDir: string, use: ViewUser<T>): Promise<T> {
  const source = isDatasetFiles(req.source) ? { files: filesByTable(req.source), extraColumns: req.source.extraColumns } : req.source;
  if ('files' in source) {
    const tables = selectTables(Object.keys(source.files), req.tables);
    const db = await openScratchDb(path.dirname(scratchDir));
    try {
      for (const t of tables) await db.conn.run(`CREATE VIEW ${quoteIdent(t.name)} AS SELECT * FROM read_parquet(${sqlString(source.files[t.name])})`);
      return await use(db.conn, tables, [...(source.extraColumns ?? [])], source.files);
    } finally {
      await db.close();
    }
  }
  // Temporary views on the project connection: nothing is written to the database file.
  const schema = schemaNameFor(source.dataset);
  return source.db.exclusive(async (conn) => {
    const present = await relationNames(conn, schema);
    if (present.length === 0) throw new StoreError('DATASET_NOT_FOUND', `dataset "${source.dataset}" is not in the database (run healthsim build ${source.dataset})`);
    const tables = selectTables(present, req.tables);
    const c = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_columns() WHERE schema_name = ${sqlString(schema)} AND column_name = ${sqlString(SOURCE_DATASET_COLUMN)} AND database_name = current_database()`);
    const extra = Number(c.getRows()[0][0]) > 0 ? [SOURCE_DATASET_COLUMN] : [];
    // a dataset stored as views reads the build's Parquet files: a Parquet export reuses them as
    // the build's own export steps do, so both give the same bytes
    const files = await viewFiles(conn, source.dataset);
    try {
      for (const t of tables) await conn.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(t.name)} AS SELECT * FROM ${qualified(schema, t.name)}`);
      return await use(conn, tables, extra, Object.keys(files).length > 0 ? files : undefined);
    } finally {
      for (const t of tables) await conn.run(`DROP VIEW IF EXISTS temp.main.${quoteIdent(t.name)}`).catch(() => undefined);
    }
  });
}
