import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { writeParquetTables, type WrittenTable } from '../../src/store/writeParquet.js';
import { persistDataset, type DatasetKind, type DatasetStorage } from '../../src/store/catalog.js';
import type { ProjectDb } from '../../src/store/projectDb.js';
import type { Product } from '../../src/model/types.js';
import { tables, type Rows } from './fixtures.js';

/** Writes rows to `<dir>/<name>/` Parquet files and returns table → file. */
export async function writeDataset(dir: string, name: string, rows: Rows, tableNames: string[]): Promise<Record<string, string>> {
  const written: WrittenTable[] = await writeParquetTables(tables(...tableNames), [rows], path.join(dir, name));
  return Object.fromEntries(written.map((w) => [w.table, w.file]));
}

export async function persistFiles(db: ProjectDb, name: string, files: Record<string, string>, opts: { products: Product[]; tags?: string[]; kind?: DatasetKind; extraColumns?: string[]; sources?: string[]; storage?: DatasetStorage }) {
  return persistDataset(db, {
    name, key: `key-${name}`, kind: opts.kind ?? 'generate', tags: opts.tags ?? [],
    tables: Object.entries(files).map(([t, file]) => ({ table: tables(t)[0], file })),
    products: opts.products, spec: { profile: name }, seed: 42, builtAt: '2025-01-01', sources: opts.sources, extraColumns: opts.extraColumns, storage: opts.storage,
  });
}

export function corruptFile(dir: string, name: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, 'PAR1 not really parquet');
  return f;
}
