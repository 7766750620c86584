import type { TableDef } from './types.js';

/** Quote an SQL identifier (DuckDB): doubles embedded quotes, so any name is safe. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * CREATE TABLE for one table definition. Foreign keys are documented in the model but not
 * declared to DuckDB: merged and sharded loads insert tables independently, and DuckDB's FK
 * checks would force an insert order we do not need. Referential integrity is tested instead.
 */
export function createTableSql(table: TableDef, schema?: string, extraColumns: string[] = [], opts: { primaryKey?: boolean } = {}): string {
  const name = schema ? `${quoteIdent(schema)}.${quoteIdent(table.name)}` : quoteIdent(table.name);
  const cols = table.columns.map((c) => {
    const notNull = c.nullable === false || table.primaryKey.includes(c.name) ? ' NOT NULL' : '';
    return `  ${quoteIdent(c.name)} ${c.type}${notNull}`;
  });
  for (const extra of extraColumns) cols.push(`  ${quoteIdent(extra)} VARCHAR NOT NULL`);
  if (opts.primaryKey !== false) cols.push(`  PRIMARY KEY (${table.primaryKey.map(quoteIdent).join(', ')})`);
  return `CREATE TABLE ${name} (\n${cols.join(',\n')}\n)`;
}

/** Column names in declared (export) order. */
export function columnNames(table: TableDef): string[] {
  return table.columns.map((c) => c.name);
}
