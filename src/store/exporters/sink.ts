/**
 * Export sinks: one per output format, registered by format name (Snowfakery-style output
 * streams). `exportDataset` opens an in-memory DuckDB connection where every table of the
 * dataset is a view named after the table (`SELECT * FROM patients`), calls the sink with a
 * temporary directory, then writes manifest.json (bytes + sha256 of every file the sink
 * reports) and renames the directory into place atomically. A sink therefore only writes its
 * files; it never hashes, renames or cleans up.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableDef } from '../../model/types.js';

export interface ExportSinkContext {
  /** In-memory connection; each table in `tables` is a view of that name. Do not modify. */
  connection: DuckDBConnection;
  /** Tables present in the dataset, in dependency order (model `ALL_TABLES` order). */
  tables: readonly TableDef[];
  /** Extra columns every view carries after the model columns (e.g. `source_dataset` for merged datasets). */
  extraColumns: readonly string[];
  /** Temporary directory to write into (exists, empty). Paths returned are relative to it. */
  outDir: string;
  /** Dataset name (for file names, bundle ids, STUDYID fallbacks …). */
  dataset: string;
  /** Format-specific options from the config's export entry (unvalidated beyond the schema). */
  options: Readonly<Record<string, unknown>>;
  /**
   * When the views read a producer step's cached Parquet: table → that file. Those files were
   * written by parquet.ts's one stable path (model columns + extra columns, key order, the same
   * writer options), so a sink that would write the same thing may copy them.
   */
  sourceFiles?: Readonly<Record<string, string>>;
}

export interface ExportedFile {
  /** Path relative to outDir, with '/' separators. */
  file: string;
  /** Records written (rows, resources, transactions …). */
  rows: number;
  /** Table (or resource type / domain) the file holds. */
  table?: string;
}

export interface ExportSink {
  /** Format name as written in the config (`csv`, `parquet`, `ndjson`, `fhir`, `sdtm`, `x12`, …). */
  readonly format: string;
  readonly description: string;
  /** Writes the files; output must be byte-identical for the same data. Sorted list returned. */
  write(ctx: ExportSinkContext): Promise<ExportedFile[]>;
}

const SINKS = new Map<string, ExportSink>();

/** Register (or replace) the sink for its format name. */
export function registerSink(sink: ExportSink): void {
  SINKS.set(sink.format, sink);
}

export function getSink(format: string): ExportSink | undefined {
  return SINKS.get(format);
}

/** Registered format names, sorted. */
export function sinkFormats(): string[] {
  return [...SINKS.keys()].sort();
}
