/**
 * The one table model. Every table is defined once here; DuckDB DDL, CSV headers, Parquet
 * schemas and the standards mappings (FHIR, SDTM, X12) all read these definitions.
 */
export type ColumnType =
  | 'VARCHAR'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'DATE'
  | 'DECIMAL(12,2)'
  | 'DECIMAL(6,3)';

export interface ForeignKey {
  table: string;
  column: string;
}

export interface Column {
  name: string;
  type: ColumnType;
  /** Defaults to true except for primary-key columns. */
  nullable?: boolean;
  description: string;
  references?: ForeignKey;
  /** Code system of a coded column's values (ICD-10-CM, LOINC, RxNorm, …), for the data dictionary. */
  codeSystem?: string;
}

export type Product = 'patientsim' | 'membersim' | 'rxmembersim' | 'trialsim' | 'pa';

export interface TableDef {
  name: string;
  description: string;
  /** Products whose datasets contain this table. */
  products: readonly Product[];
  primaryKey: readonly string[];
  columns: readonly Column[];
  /** Columns rows are sorted by on output (defaults to the primary key). */
  orderBy?: readonly string[];
}

/** A generated row: DATE columns are ISO `YYYY-MM-DD` strings, DECIMAL columns are numbers. */
export type CellValue = string | number | boolean | null;
export type Row = Record<string, CellValue>;

export function col(
  name: string,
  type: ColumnType,
  description: string,
  extra: Partial<Omit<Column, 'name' | 'type' | 'description'>> = {},
): Column {
  return { name, type, description, ...extra };
}

export function fk(name: string, table: string, description: string, nullable = false): Column {
  return { name, type: 'VARCHAR', description, references: { table, column: name }, nullable };
}

export function orderColumns(table: TableDef): readonly string[] {
  return table.orderBy ?? table.primaryKey;
}
