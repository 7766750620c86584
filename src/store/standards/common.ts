/**
 * Shared pieces of the standards exporters: the input/output shapes, byte-order sorting,
 * deterministic UUIDs and small value helpers. Everything here is pure and clock-free.
 */
import { createHash } from 'node:crypto';
import { orderColumns, tableByName, type CellValue, type Row } from '../../model/index.js';

/** Rows of a dataset by table name (column names as in src/model/tables/*.ts). */
export type StandardTables = Readonly<Record<string, readonly Row[] | undefined>>;

/** One file an exporter produces, with a path relative to the export's output directory. */
export interface ExportFile {
  path: string;
  content: string | Buffer;
  /** Records in the file (resources, observations, transaction sets, claims). */
  rows: number;
  /** What the file holds: a table, resource type or SDTM domain. */
  table?: string;
}

/** Code-unit order: independent of locale and ICU (never localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}

/** Compares rows column by column (nulls first). */
export function compareBy(columns: readonly string[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const c of columns) {
      const d = compareCells(a[c] ?? null, b[c] ?? null);
      if (d !== 0) return d;
    }
    return 0;
  };
}

/** The rows of a table, sorted by the model's output order (primary key by default). */
export function rowsOf(tables: StandardTables, table: string): Row[] {
  const rows = [...(tables[table] ?? [])];
  const def = tableByName(table);
  if (def) rows.sort(compareBy(orderColumns(def)));
  return rows;
}

/** Groups rows by a key column, keeping each group's order. */
export function groupBy(rows: readonly Row[], column: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r[column];
    if (k === null || k === undefined) continue;
    const key = String(k);
    const list = out.get(key);
    if (list) list.push(r);
    else out.set(key, [r]);
  }
  return out;
}

export function indexBy(rows: readonly Row[], column: string): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const r of rows) {
    const k = r[column];
    if (k !== null && k !== undefined && !out.has(String(k))) out.set(String(k), r);
  }
  return out;
}

/** Name-based UUID (RFC 4122 version 5 layout over SHA-1), stable for the same name. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update('healthsim:').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** A stable non-negative integer below 10^digits, derived from a name. */
export function stableDigits(name: string, digits: number): string {
  const h = createHash('sha256').update(name).digest();
  let n = 0n;
  for (let i = 0; i < 12; i++) n = (n << 8n) | BigInt(h[i]);
  return (n % 10n ** BigInt(digits)).toString().padStart(digits, '0');
}

export function str(v: CellValue | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = String(v);
  return s === '' ? undefined : s;
}

export function num(v: CellValue | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Money to integer cents (avoids float drift when summing). */
export function cents(v: CellValue | undefined): number {
  const n = num(v);
  return n === undefined ? 0 : Math.round(n * 100);
}

/** Tabs and line breaks become spaces, accents are removed, other non-ASCII becomes '?'. */
export function toAscii(s: string): string {
  return s
    .replace(/[\t\r\n]/g, ' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

/** 'YYYY-MM-DD' → epoch day (UTC); undefined for anything else. */
export function epochDay(date: string | undefined): number | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return Math.floor(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000);
}

export function requireIsoDate(date: string, what: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`${what} must be a YYYY-MM-DD date (got "${date}")`);
  return date;
}

/** JSON text with LF line endings and a final newline. */
export function jsonFile(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent) + '\n';
}
