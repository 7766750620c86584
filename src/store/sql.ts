/** Small SQL helpers shared by the store modules. */
import { quoteIdent } from '../model/ddl.js';
import { StoreError } from './errors.js';

const DATASET_NAME = /^[a-z][a-z0-9_-]*$/;

/** Throws unless `name` is a valid dataset name (lowercase [a-z][a-z0-9_-]*). */
export function assertDatasetName(name: string): void {
  if (!DATASET_NAME.test(name)) {
    throw new StoreError('INVALID_DATASET_NAME', `invalid dataset name "${name}": use lowercase letters, digits, '-' and '_', starting with a letter`);
  }
}

/** DuckDB schema holding a dataset: the name with '-' → '_' (always used quoted). */
export function schemaNameFor(dataset: string): string {
  assertDatasetName(dataset);
  return dataset.replace(/-/g, '_');
}

/** An SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `"schema"."table"` */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

export { quoteIdent };
