/** The Parquet sink for generated rows (the generate step's output). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Row, TableDef } from '../model/types.js';
import { ParquetTableWriter, loadCodec, releaseScratch } from './parquetWriter.js';

/** Rows for one or more tables, keyed by table name (same shape as generate's TableRows; store may not import generate). */
export type TableRows = Record<string, readonly Row[]>;

export interface WrittenTable {
  table: string;
  rows: number;
  /** Absolute path of `<outDir>/<table>.parquet`. */
  file: string;
}

/**
 * Writers of finished files, emptied, by table: a worker writes block after block of the same
 * tables, and a writer's column arrays, sized by the last block, serve the next one without
 * growing again (growing them was ≈ 5 % of a block's time, with the page faults of fresh
 * memory). A writer is taken out while in use, so concurrent calls never share one.
 */
const idleWriters = new Map<TableDef, ParquetTableWriter>();

function takeWriter(table: TableDef): ParquetTableWriter {
  const w = idleWriters.get(table);
  if (!w) return new ParquetTableWriter(table);
  idleWriters.delete(table);
  return w;
}

/** Lets the idle writers' buffers go: the end of generation in this thread. */
export function releaseWriterBuffers(): void {
  idleWriters.clear();
  releaseScratch();
}

/**
 * Streams batches of generated rows into column buffers (one ParquetTableWriter per TableDef)
 * and writes `<outDir>/<table>.parquet` for every table, including empty ones. Batches are
 * consumed in order; rows for tables not in `tables` are an error. The bytes depend only on the
 * rows: keys checked, rows sorted by key, zstd (parquetWriter.ts). A block of a larger dataset is
 * written the same way, since combineBlocks reuses its row groups as they are.
 */
export async function writeParquetTables(
  tables: readonly TableDef[],
  batches: Iterable<TableRows> | AsyncIterable<TableRows>,
  outDir: string,
): Promise<WrittenTable[]> {
  await mkdir(outDir, { recursive: true });
  return writeTables(tables, batches, (table, writer) => {
    const file = path.resolve(outDir, `${table.name}.parquet`);
    return { table: table.name, rows: writer.write(file), file };
  });
}

/** A table's file as bytes in a buffer of their own, not written anywhere. */
export interface TableBytes {
  table: string;
  rows: number;
  bytes: Uint8Array;
}

/**
 * writeParquetTables without files: every table's file as bytes (what a block of a larger
 * dataset hands to the thread that combines the blocks, store/blockCombiner.ts). The same bytes
 * writeParquetTables writes.
 */
export async function parquetTableBytes(tables: readonly TableDef[], batches: Iterable<TableRows> | AsyncIterable<TableRows>): Promise<TableBytes[]> {
  return writeTables(tables, batches, (table, writer) => ({ table: table.name, ...writer.bytes() }));
}

async function writeTables<T>(
  tables: readonly TableDef[],
  batches: Iterable<TableRows> | AsyncIterable<TableRows>,
  finish: (table: TableDef, writer: ParquetTableWriter) => T,
): Promise<T[]> {
  await loadCodec();
  const writers = new Map<string, ParquetTableWriter>();
  for (const table of tables) writers.set(table.name, takeWriter(table));
  for await (const batch of batches) {
    for (const name of Object.keys(batch)) {
      const writer = writers.get(name);
      if (!writer) throw new Error(`generated rows for table "${name}", which is not among the dataset's tables (${tables.map((t) => t.name).join(', ')})`);
      writer.append(batch[name]);
    }
  }
  const written: T[] = [];
  for (const table of tables) {
    const writer = writers.get(table.name)!;
    written.push(finish(table, writer));
    writers.delete(table.name);
    writer.reset();
    idleWriters.set(table, writer);
  }
  return written;
}
