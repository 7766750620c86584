/** Conversion of DuckDB result values to JSON-safe JavaScript values. */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * BIGINT → number when safe (string otherwise), DECIMAL → number, DATE/TIMESTAMP/UUID/INTERVAL →
 * their SQL text, lists/structs/maps recursively, BLOB → its escaped text.
 */
export function toJsonValue(value: DuckDBValue): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toJsonValue);
  if (value instanceof DuckDBStructValue) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = toJsonValue(v);
    return out;
  }
  if (value instanceof DuckDBMapValue) return value.entries.map((e) => ({ key: toJsonValue(e.key), value: toJsonValue(e.value) }));
  if (value instanceof DuckDBBlobValue) return value.toString();
  return String(value);
}

export type JsonRow = Record<string, JsonValue>;

/** Runs a query and returns its rows as JSON-safe objects (column order kept). */
export async function queryRows(conn: DuckDBConnection, sql: string): Promise<JsonRow[]> {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  return reader.getRows().map((row) => {
    const out: JsonRow = {};
    names.forEach((name, i) => { out[name] = toJsonValue(row[i] as DuckDBValue); });
    return out;
  });
}

/** First column of the first row as a number (0 when null). */
export async function queryNumber(conn: DuckDBConnection, sql: string): Promise<number> {
  const reader = await conn.runAndReadAll(sql);
  const v = toJsonValue((reader.getRows()[0]?.[0] ?? null) as DuckDBValue);
  return typeof v === 'number' ? v : v === null ? 0 : Number(v);
}
