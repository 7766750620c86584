/** How a dataset's cached Parquet files are handed to the store (merge, clone, persist, export). */
import type { TableDef } from '../model/types.js';

export interface DatasetFiles {
  /** Dataset name. */
  name: string;
  /** Products the dataset was built from. */
  product: string[];
  /** Columns beyond the model (`source_dataset` for merges); [] for generated datasets. */
  extraColumns: string[];
  /** Tables in dependency order, each with its Parquet file. */
  tables: readonly { table: TableDef; file: string }[];
}

/** table name → file */
export function filesByTable(d: DatasetFiles): Record<string, string> {
  return Object.fromEntries(d.tables.map((t) => [t.table.name, t.file]));
}

export function isDatasetFiles(x: unknown): x is DatasetFiles {
  return typeof x === 'object' && x !== null && Array.isArray((x as DatasetFiles).tables) && typeof (x as DatasetFiles).name === 'string';
}
