/**
 * A Parquet writer for generated tables, in JavaScript, with no DuckDB in the loop.
 *
 * Why not DuckDB's `COPY … (FORMAT parquet)`, which every other Parquet file of the store still
 * comes from: the rows of a generation worker are JavaScript objects, and the cheapest route
 * into DuckDB measured (rows packed as bytes, appended as BLOBs, split and cast by SQL, then
 * COPY) cost ≈ 3.1 µs a row, more than generating the row. This writer takes the rows' values
 * straight into column buffers and encodes them itself: dictionary pages for text of low
 * cardinality, PLAIN values otherwise, definition levels and dictionary indexes in the
 * RLE/bit-packed hybrid, one page per column chunk, row groups of ROW_GROUP_ROWS rows.
 *
 * The bytes depend only on the rows and their order, never on timing, threads or batches: the
 * rows are sorted here by the table's order columns (then the rest of its primary key), in
 * UTF-8 byte order as DuckDB's ORDER BY sorts text, and every encoding choice (dictionary or
 * not, bit widths, runs) is a function of a row group's values. The compressor is a pure
 * function of its input too (see Codec). The schema is the one DuckDB writes for the same table
 * (types, logical types, every column OPTIONAL), so DuckDB reads these files back as the table's
 * own types, and block files concatenate byte for byte (parquetConcat.ts).
 *
 * Values are checked as the DuckDB loader checked them: a value of the wrong type, a NaN, an
 * invalid date or a key repeated or missing is an error naming the table and column.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import type { Column, ColumnType, Row, TableDef } from '../model/types.js';
import { orderColumns } from '../model/types.js';
import { StoreError } from './errors.js';
import { T_BINARY, T_I16, T_I32, T_I64, T_LIST, T_STRUCT, T_TRUE, encodeStruct, type Field } from './thrift.js';
import { Sink, bitWidth, bytesDictionary, bytesEntries, compareSlices, deltaByteArray, dictionaryValues, encoder, hybrid, numberDictionary, releaseEncodingScratch, utf8Bytes } from './parquetEncoding.js';

/** Rows per row group: DuckDB's default, so readers see the row groups they saw before. */
export const ROW_GROUP_ROWS = 122_880;

// Parquet Thrift enums (parquet.thrift)
const TYPE_BOOLEAN = 0;
const TYPE_INT32 = 1;
const TYPE_INT64 = 2;
const TYPE_DOUBLE = 5;
const TYPE_BYTE_ARRAY = 6;
const REP_OPTIONAL = 1;
const REP_REQUIRED = 0;
const CONV_UTF8 = 0;
const CONV_DECIMAL = 5;
const CONV_DATE = 6;
const ENC_PLAIN = 0;
const ENC_RLE = 3;
const ENC_DELTA_BYTE_ARRAY = 7;
const ENC_RLE_DICTIONARY = 8;
const PAGE_DATA = 0;
const PAGE_DICTIONARY = 2;
const CODEC_UNCOMPRESSED = 0;
const CODEC_BROTLI = 4;
const CODEC_ZSTD = 6;

/**
 * The page compressor. zstd (what every generated file uses, as DuckDB writes) runs as
 * WebAssembly (@bokuweb/zstd-wasm, pinned by the lock file): the same bytes on every CPU and
 * Node version, which a native build with CPU-specific paths would not promise. Brotli (zlib's)
 * and none exist for measurement only, through `write`'s argument: no setting changes the
 * bytes of a build, since none is part of a step's key.
 */
export type Codec = 'zstd' | 'brotli' | 'none';

export function parquetCodec(): Codec {
  return 'zstd';
}

/** zstd level: DuckDB's default. */
const ZSTD_LEVEL = 3;
const BROTLI_QUALITY = 1;

let zstd: { compress: (buf: Uint8Array, level: number) => Uint8Array } | undefined;

/** Loads the compressor (once per thread); `write` needs it loaded. */
export async function loadCodec(codec: Codec = parquetCodec()): Promise<void> {
  if (codec !== 'zstd' || zstd) return;
  const m = await import('@bokuweb/zstd-wasm');
  await m.init();
  // One compression context for the thread, reused: ZSTD_compress makes and frees one per call
  // (≈ 20–35 % of the time for a page of 2–200 kB). ZSTD_compress is ZSTD_compressCCtx, which is
  // ZSTD_compress_usingDict with no dictionary: the same bytes.
  const cctx = m.createCCtx();
  const noDictionary = new Uint8Array(0);
  zstd = { compress: (buf, level) => m.compressUsingDict(cctx, buf, noDictionary, level) };
}

function compress(codec: Codec, body: Uint8Array): Uint8Array {
  if (codec === 'none') return body;
  if (codec === 'zstd') {
    if (!zstd) throw new Error('parquetWriter: the zstd codec is not loaded (await loadCodec() first)');
    return zstd.compress(body, ZSTD_LEVEL);
  }
  return brotliCompressSync(body, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

const codecId = (c: Codec): number => (c === 'none' ? CODEC_UNCOMPRESSED : c === 'zstd' ? CODEC_ZSTD : CODEC_BROTLI);

/** How a column's values are held and written. */
type Kind = 'text' | 'f64' | 'i32' | 'i64' | 'bool';

interface ColumnSpec {
  name: string;
  type: ColumnType;
  kind: Kind;
  /** DECIMAL scale factor (10^scale), or 0 */
  factor: number;
}

function kindOf(type: ColumnType): { kind: Kind; factor: number } {
  switch (type) {
    case 'VARCHAR': return { kind: 'text', factor: 0 };
    case 'DOUBLE': return { kind: 'f64', factor: 0 };
    case 'INTEGER': return { kind: 'i32', factor: 0 };
    case 'DATE': return { kind: 'i32', factor: 0 };
    case 'BIGINT': return { kind: 'i64', factor: 0 };
    case 'BOOLEAN': return { kind: 'bool', factor: 0 };
    case 'DECIMAL(6,3)': return { kind: 'i32', factor: 1_000 };
    case 'DECIMAL(12,2)': return { kind: 'i64', factor: 100 };
    default: return unreachable(type);
  }
}

function unreachable(x: never): never {
  throw new Error(`unhandled column type ${String(x)}`);
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not one (a calendar
 * check, no Date objects: this runs for every date value).
 */
export function dateDays(s: string): number | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const y = digits(s, 0, 4), m = digits(s, 5, 7), d = digits(s, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d > (m === 2 ? (leap ? 29 : 28) : MONTH_DAYS[m - 1])) return undefined;
  // days from civil (H. Hinnant's algorithm), proleptic Gregorian like DuckDB's DATE
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function badValue(table: string, column: string, expected: string, v: unknown): Error {
  const shown = typeof v === 'number' || v === undefined ? String(v) : JSON.stringify(v);
  return new Error(`${table}.${column}: expected ${expected}, got ${shown}`);
}

/**
 * Work buffers of `writeChunk`, reused from chunk to chunk and block to block (writing is
 * synchronous, and each worker thread has its own module): fresh zeroed arrays for every
 * chunk cost page faults and garbage collections that showed up in profiles.
 */
const scratch = {
  body: new Sink(1 << 16),
  dict: new Sink(1 << 12),
  defs: new Uint8Array(0),
  local: new Int32Array(0),
  localOf: new Int32Array(0),
  values: new Float64Array(0),
};

/** Lets the work buffers go (the end of a build's generation in this thread). */
export function releaseScratch(): void {
  scratch.body = new Sink(1 << 16);
  scratch.dict = new Sink(1 << 12);
  scratch.defs = new Uint8Array(0);
  scratch.local = new Int32Array(0);
  scratch.localOf = new Int32Array(0);
  scratch.values = new Float64Array(0);
  releaseEncodingScratch();
}

function scratchDefs(n: number): Uint8Array {
  if (scratch.defs.length < n) scratch.defs = new Uint8Array(Math.max(n, scratch.defs.length * 2));
  const d = scratch.defs.subarray(0, n);
  d.fill(0);
  return d;
}
function scratchLocal(n: number): Int32Array {
  if (scratch.local.length < n) scratch.local = new Int32Array(Math.max(n, scratch.local.length * 2));
  return scratch.local;
}
/** global id → the chunk's own id, all -1 */
function scratchLocalOf(n: number): Int32Array {
  if (scratch.localOf.length < n) scratch.localOf = new Int32Array(Math.max(n, scratch.localOf.length * 2));
  const a = scratch.localOf.subarray(0, n);
  a.fill(-1);
  return a;
}
function scratchValues(n: number): Float64Array {
  if (scratch.values.length < n) scratch.values = new Float64Array(Math.max(n, scratch.values.length * 2));
  return scratch.values;
}

/** No lone surrogate (which UTF-8 cannot hold: the encoder puts U+FFFD in its place). */
function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}
function toWellFormed(s: string): string {
  return (s as unknown as { toWellFormed(): string }).toWellFormed();
}

/** UTF-16 code unit → a key whose order is code point order (so UTF-8 byte order). */
function cpOrder(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
}

/** Text compared in UTF-8 byte order, as DuckDB orders VARCHAR. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k), y = b.charCodeAt(k);
    if (x !== y) return cpOrder(x) - cpOrder(y);
  }
  return a.length - b.length;
}

/** How text columns hold their values: by `auto`'s rule, or always one way (tests). */
export type TextMode = 'auto' | 'dict' | 'bytes';

/** `auto`: a text column holds its bytes when its last block had distinct values in more than this share of its rows */
const BYTES_MODE_SHARE = 0.02;
/** and at least this many rows */
const BYTES_MODE_MIN_ROWS = 1_024;

/**
 * A column's values for the rows appended so far, held so that no JavaScript string of a row
 * outlives its batch (a block's strings kept alive until the write cost more in garbage
 * collection than the encoding): numbers in a Float64Array, the key column (unique, so a
 * dictionary would only grow) as its UTF-8 bytes, and other text one of two ways:
 * - *dict*: an id per row into the column's distinct values (first-seen order), found through a
 *   `Map`. Cheap when few values recur (codes, descriptions, units).
 * - *bytes*: each value's UTF-8 bytes in an arena, a run of one value stored once, and the
 *   chunk's dictionary, if it gets one, built from the bytes when written. A `Map` entry for
 *   every new value of a column of IDs, names or addresses cost more than the rest of the
 *   column's work (≈ 0.3–0.6 µs each past a few thousand entries).
 * The way is chosen per block from the last one (`reset`); both write the same bytes.
 */
class ColumnBuffer {
  /** text: id into `values` per row, -1 for NULL */
  ids: Int32Array = new Int32Array(1024);
  dict = new Map<string, number>();
  values: string[] = [];
  /** numeric values (dates as days, decimals scaled, booleans 0/1) and their presence */
  nums: Float64Array = new Float64Array(0);
  present: Uint8Array = new Uint8Array(0);
  /** the key column: UTF-8 bytes, row i at offs[i]..offs[i+1]; bytes mode: the arena */
  bytes: Uint8Array = new Uint8Array(0);
  offs: Int32Array = new Int32Array(0);
  /** bytes mode: row i is bytes[starts[i] .. starts[i] + lens[i]), lens[i] -1 for NULL */
  arena = false;
  starts: Int32Array = new Int32Array(0);
  lens: Int32Array = new Int32Array(0);
  /** bytes mode: the arena's end */
  used = 0;
  /** bytes mode: distinct values found by this block's chunks (their non-NULL rows when one gave up) */
  distinctWritten = 0;
  length = 0;
  /** the last text value appended and its id (bytes mode: its start; for a DATE, its day number) */
  lastText: string | undefined = undefined;
  lastId = 0;
  /** bytes mode: the last value's length */
  lastLen = 0;
  /** the single text column of the sort key, which is also the primary key */
  isKey = false;
  /** key values arrived strictly increasing in UTF-8 order (checked as they come) */
  ordered = true;
  constructor(readonly spec: ColumnSpec, private readonly textMode: TextMode = 'auto') {
    if (spec.kind !== 'text') {
      this.nums = new Float64Array(1024);
      this.present = new Uint8Array(1024);
    } else if (textMode === 'bytes') this.useBytes(true);
  }

  private useBytes(on: boolean): void {
    this.arena = on;
    if (on && this.bytes.length === 0) {
      this.bytes = new Uint8Array(1 << 16);
      this.starts = new Int32Array(1024);
      this.lens = new Int32Array(1024);
    }
  }

  /**
   * No rows, the arrays kept (the next block is about as large as the last). Under `auto`, a
   * text column's next block holds bytes when this one had distinct values in more than 2 % of
   * its rows, else ids: the way only changes the work, never the file.
   */
  reset(): void {
    if (this.spec.kind === 'text' && !this.isKey && this.textMode === 'auto') {
      const rows = this.length;
      const distinct = this.arena ? this.distinctWritten : this.values.length;
      this.useBytes(rows >= BYTES_MODE_MIN_ROWS && distinct > rows * BYTES_MODE_SHARE);
    }
    this.length = 0;
    this.dict = new Map();
    this.values = [];
    this.used = 0;
    this.distinctWritten = 0;
    this.lastText = undefined;
    this.lastId = 0;
    this.lastLen = 0;
    this.ordered = true;
    this.nullKeys = 0;
    this.nullRows = undefined;
  }

  makeKey(): void {
    this.isKey = true;
    this.arena = false;
    this.bytes = new Uint8Array(1 << 16);
    this.offs = new Int32Array(1025);
  }

  growTo(n: number): void {
    if (this.spec.kind === 'text') {
      if (this.isKey) {
        if (n + 1 > this.offs.length) this.offs = grown(this.offs, n + 1, this.length + 1);
      } else if (this.arena) {
        if (n > this.starts.length) {
          this.starts = grown(this.starts, n, this.length);
          this.lens = grown(this.lens, n, this.length);
        }
      } else if (n > this.ids.length) this.ids = grown(this.ids, n, this.length);
      return;
    }
    if (n <= this.nums.length) return;
    this.nums = grown(this.nums, n, this.length);
    this.present = grown(this.present, n, this.length);
  }

  /** Appends key value `s` (or null) as row `i` (a lone surrogate as U+FFFD, as TextEncoder writes it). */
  key(s: string | null, i: number): void {
    let p = this.offs[i];
    if (s === null) {
      // refused at write (order() counts them)
      this.offs[i + 1] = p;
      this.nullKeys++;
      this.markNullKey(i);
      this.ordered = false;
      return;
    }
    p = this.encodeAt(s, p);
    this.offs[i + 1] = p;
    // strictly increasing in UTF-8 byte order, compared with the previous key's bytes
    if (this.ordered && i > 0 && (this.isNullKey(i - 1) || compareKeyBytes(this, i - 1, i) >= 0)) this.ordered = false;
  }

  /** Bytes mode: appends text `s` as row `i` (a lone surrogate as U+FFFD). */
  put(s: string, i: number): void {
    const start = this.used;
    const p = this.encodeAt(s, start);
    this.starts[i] = start;
    this.lens[i] = p - start;
    this.used = p;
  }

  /** Writes `s` as UTF-8 into `bytes` from `p` (growing it); returns where it ends. */
  private encodeAt(s: string, p: number): number {
    const n = s.length;
    if (p + n * 3 > this.bytes.length) this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, p + n * 3), p);
    const b = this.bytes;
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      b[p++] = c;
    }
    if (k < n) p += encoder.encodeInto(s.slice(k), b.subarray(p)).written;
    return p;
  }

  /** Row i of a text column is NULL. */
  isNullText(i: number): boolean {
    return this.isKey ? this.isNullKey(i) : this.arena ? this.lens[i] < 0 : this.ids[i] < 0;
  }

  /** Rows a and b of a (non-key) text column compared in UTF-8 byte order, NULLs last. */
  compareText(a: number, b: number): number {
    if (this.arena) {
      const x = this.lens[a], y = this.lens[b];
      return x < 0 ? (y < 0 ? 0 : 1) : y < 0 ? -1 : compareSlices(this.bytes, this.starts[a], x, this.starts[b], y);
    }
    const x = this.ids[a], y = this.ids[b];
    return x === y ? 0 : x < 0 ? 1 : y < 0 ? -1 : compareText(this.values[x], this.values[y]);
  }

  nullKeys = 0;

  /** Row i's text (tests, errors and the rare sort). */
  text(i: number): string | null {
    if (this.isKey) return this.offs[i + 1] === this.offs[i] && this.isNullKey(i) ? null : decoder.decode(this.bytes.subarray(this.offs[i], this.offs[i + 1]));
    if (this.arena) return this.lens[i] < 0 ? null : decoder.decode(this.bytes.subarray(this.starts[i], this.starts[i] + this.lens[i]));
    const id = this.ids[i];
    return id < 0 ? null : this.values[id];
  }

  private nullRows: Set<number> | undefined = undefined;
  private isNullKey(i: number): boolean {
    return this.nullRows?.has(i) ?? false;
  }
  markNullKey(i: number): void {
    (this.nullRows ??= new Set()).add(i);
  }
}

const decoder = new TextDecoder();

function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number, keep: number): T {
  let size = Math.max(1024, a.length * 2);
  while (size < n) size *= 2;
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a.subarray(0, keep));
  return next;
}

/** Compares rows a and b of a key column by their UTF-8 bytes. */
function compareKeyBytes(c: ColumnBuffer, a: number, b: number): number {
  const o = c.offs, bytes = c.bytes;
  let i = o[a], j = o[b];
  const ie = o[a + 1], je = o[b + 1];
  for (; i < ie && j < je; i++, j++) {
    const d = bytes[i] - bytes[j];
    if (d !== 0) return d;
  }
  return (ie - o[a]) - (je - o[b]);
}

type Appender = (rows: readonly Row[], cols: ColumnBuffer[], start: number) => void;

/**
 * The append loop compiled for one table: one loop over a batch's rows, straight-line code per
 * column with the column names as literals (one inline cache per property read), and each
 * column's arrays, dictionary and last value held in locals for the batch rather than read from
 * its buffer on every row. `growTo` has sized the arrays for the batch before it runs; the key
 * column's byte buffer grows inside `key`, so it stays a method call.
 */
function compileAppender(specs: readonly ColumnSpec[], table: string, keyIndex: number): Appender {
  const head: string[] = ['const n = rows.length;'];
  const body: string[] = ['const row = rows[r]; const i = start + r; let v;'];
  const tail: string[] = [];
  specs.forEach((s, k) => {
    head.push(`const c${k} = cols[${k}];`);
    body.push(`v = row[${JSON.stringify(s.name)}];`);
    if (s.kind === 'text') {
      if (k === keyIndex) {
        body.push(`if (v === null || v === undefined) c${k}.key(null, i); else if (typeof v !== 'string') throw bad(${k}, v); else c${k}.key(v, i);`);
        return;
      }
      head.push(`const ids${k} = c${k}.ids, dict${k} = c${k}.dict, vals${k} = c${k}.values, arena${k} = c${k}.arena, starts${k} = c${k}.starts, lens${k} = c${k}.lens;`,
        `let last${k} = c${k}.lastText, lastId${k} = c${k}.lastId, lastLen${k} = c${k}.lastLen;`);
      // consecutive rows often repeat a value (a patient's rows, a panel's code system): the
      // last one is checked before the dictionary, and in bytes mode a run is stored once
      body.push(`if (v === null || v === undefined) { if (arena${k}) lens${k}[i] = -1; else ids${k}[i] = -1; }`,
        `else if (v === last${k}) { if (arena${k}) { starts${k}[i] = lastId${k}; lens${k}[i] = lastLen${k}; } else ids${k}[i] = lastId${k}; }`,
        `else if (typeof v !== 'string') throw bad(${k}, v);`,
        `else if (arena${k}) { c${k}.put(v, i); last${k} = v; lastId${k} = starts${k}[i]; lastLen${k} = lens${k}[i]; }`,
        // a lone surrogate becomes U+FFFD, as in the UTF-8 the other ways write, so two values
        // that differ only there are one value here too
        `else { let id = dict${k}.get(v); if (id === undefined && !wellFormed(v)) { v = toWellFormed(v); id = dict${k}.get(v); } if (id === undefined) { id = vals${k}.length; dict${k}.set(v, id); vals${k}.push(v); } ids${k}[i] = id; last${k} = v; lastId${k} = id; }`);
      tail.push(`c${k}.lastText = last${k}; c${k}.lastId = lastId${k}; c${k}.lastLen = lastLen${k};`);
      return;
    }
    head.push(`const nums${k} = c${k}.nums, pres${k} = c${k}.present;`);
    body.push(`if (v === null || v === undefined) { pres${k}[i] = 0; nums${k}[i] = 0; } else {`);
    switch (s.type) {
      case 'DOUBLE':
        body.push(`if (typeof v !== 'number' || v !== v) throw bad(${k}, v); nums${k}[i] = v;`);
        break;
      case 'INTEGER':
        body.push(`if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw bad(${k}, v); nums${k}[i] = v;`);
        break;
      case 'BIGINT':
        body.push(`if (!Number.isSafeInteger(v)) throw bad(${k}, v); nums${k}[i] = v;`);
        break;
      case 'BOOLEAN':
        body.push(`if (typeof v !== 'boolean') throw bad(${k}, v); nums${k}[i] = v ? 1 : 0;`);
        break;
      case 'DATE':
        head.push(`let last${k} = c${k}.lastText, lastDay${k} = c${k}.lastId;`);
        body.push(`if (v === last${k}) nums${k}[i] = lastDay${k}; else { const d = typeof v === 'string' ? days(v) : undefined; if (d === undefined) throw bad(${k}, v); nums${k}[i] = d; last${k} = v; lastDay${k} = d; }`);
        tail.push(`c${k}.lastText = last${k}; c${k}.lastId = lastDay${k};`);
        break;
      default:
        body.push(`nums${k}[i] = dec(${k}, v);`);
    }
    body.push(`pres${k}[i] = 1; }`);
  });
  const expected = (s: ColumnSpec): string =>
    s.kind === 'text' ? 'string' : s.type === 'DOUBLE' ? 'number' : s.type === 'DATE' ? 'YYYY-MM-DD date'
      : s.type === 'BOOLEAN' ? 'boolean' : s.type === 'INTEGER' || s.type === 'BIGINT' ? 'integer' : s.type;
  const bad = (i: number, v: unknown): Error => badValue(table, specs[i].name, expected(specs[i]), v);
  const limits: Record<string, number> = { 'DECIMAL(6,3)': 999_999, 'DECIMAL(12,2)': 999_999_999_999 };
  const dec = (i: number, v: unknown): number => {
    const s = specs[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(i, v);
    // round half away from zero on the decimal representation (as the loader did)
    const n = Math.round(Math.abs(v) * s.factor + 1e-9) * Math.sign(v);
    if (Math.abs(n) > limits[s.type]) throw bad(i, v);
    return n === 0 ? 0 : n;
  };
  // generated from the table model only; column names enter as JSON string literals
  const code = `return function appendBatch(rows, cols, start) {\n${head.join('\n')}\nfor (let r = 0; r < n; r++) {\n${body.join('\n')}\n}\n${tail.join('\n')}\n};`;
  const make = new Function('bad', 'wellFormed', 'toWellFormed', 'days', 'dec', code) as (
    b: typeof bad, w: typeof wellFormed, t: typeof toWellFormed, d: typeof dateDays, dc: typeof dec,
  ) => Appender;
  return make(bad, wellFormed, toWellFormed, dateDays, dec);
}

/** Physical type, converted type and logical type of a column, as DuckDB writes them. */
function schemaElement(spec: ColumnSpec): Field[] {
  const f: Field[] = [];
  const physical = spec.kind === 'text' ? TYPE_BYTE_ARRAY : spec.kind === 'f64' ? TYPE_DOUBLE
    : spec.kind === 'i32' ? TYPE_INT32 : spec.kind === 'i64' ? TYPE_INT64 : TYPE_BOOLEAN;
  f.push({ id: 1, t: T_I32, v: physical });
  f.push({ id: 3, t: T_I32, v: REP_OPTIONAL });
  f.push({ id: 4, t: T_BINARY, v: utf8Bytes(spec.name) });
  if (spec.kind === 'text') {
    f.push({ id: 6, t: T_I32, v: CONV_UTF8 });
    f.push({ id: 10, t: T_STRUCT, v: [{ id: 1, t: T_STRUCT, v: [] }] }); // LogicalType.STRING
  } else if (spec.type === 'DATE') {
    f.push({ id: 6, t: T_I32, v: CONV_DATE });
    f.push({ id: 10, t: T_STRUCT, v: [{ id: 6, t: T_STRUCT, v: [] }] }); // LogicalType.DATE
  } else if (spec.factor > 0) {
    const [precision, scale] = spec.type === 'DECIMAL(6,3)' ? [6, 3] : [12, 2];
    f.push({ id: 6, t: T_I32, v: CONV_DECIMAL });
    f.push({ id: 7, t: T_I32, v: scale });
    f.push({ id: 8, t: T_I32, v: precision });
    // LogicalType.DECIMAL { scale, precision }
    f.push({ id: 10, t: T_STRUCT, v: [{ id: 5, t: T_STRUCT, v: [{ id: 1, t: T_I32, v: scale }, { id: 2, t: T_I32, v: precision }] }] });
  }
  return f;
}

interface ChunkMeta {
  spec: ColumnSpec;
  encodings: number[];
  numValues: number;
  uncompressed: number;
  compressed: number;
  dataPageOffset: number;
  dictionaryPageOffset: number | undefined;
  stats: Field[];
}

function pageHeader(type: number, uncompressed: number, compressed: number, sub: Field): Uint8Array {
  return encodeStruct([
    { id: 1, t: T_I32, v: type },
    { id: 2, t: T_I32, v: uncompressed },
    { id: 3, t: T_I32, v: compressed },
    sub,
  ]);
}

/** Text columns get a dictionary when at most this share of a chunk's values are distinct. */
const DICTIONARY_MAX_SHARE = 0.5;
/** and at most this many distinct values (bit widths stay ≤ 16) */
const DICTIONARY_MAX = 65_536;
/** after this many values, more than half of them distinct means no dictionary */
const DICTIONARY_PROBE = 1_024;

/**
 * Longest text kept in a chunk's min/max statistics. Longer values would swell the footer; a
 * chunk with one gets no min/max at all (DuckDB truncates instead and marks them inexact), so
 * whatever reads them (combineParts' key ranges) falls back to the rows.
 */
const TEXT_STATS_MAX_BYTES = 256;

function textStats(min: Uint8Array, max: Uint8Array): Field[] {
  if (min.length > TEXT_STATS_MAX_BYTES || max.length > TEXT_STATS_MAX_BYTES) return [];
  return [{ id: 5, t: T_BINARY, v: max }, { id: 6, t: T_BINARY, v: min }];
}

/**
 * The dictionary page of `count` PLAIN entries, written into `scratch.dict`, compressed onto
 * `out`. Returns its uncompressed size, header included.
 */
function dictionaryPage(count: number, codec: Codec, out: Sink): number {
  const raw = scratch.dict.written();
  const packed = compress(codec, raw);
  const header = pageHeader(PAGE_DICTIONARY, raw.length, packed.length, { id: 7, t: T_STRUCT, v: [{ id: 1, t: T_I32, v: count }, { id: 2, t: T_I32, v: ENC_PLAIN }] });
  out.raw(header);
  out.raw(packed);
  return header.length + raw.length;
}

/** A data page's values as indexes into a dictionary of `count`: their bit width, then the hybrid. */
function dictionaryIndexes(local: Int32Array, m: number, count: number, body: Sink): void {
  const w = bitWidth(count - 1);
  body.byte(w);
  hybrid(local, m, w, body);
}

/** The most entries a chunk of n rows may have in its dictionary. */
function dictionaryCap(n: number): number {
  return Math.min(DICTIONARY_MAX, Math.max(1, Math.floor(n * DICTIONARY_MAX_SHARE)));
}

/** PLAIN numbers of a column kind: 8-byte doubles, 4-byte or 8-byte integers, bit-packed booleans. */
function plainNumbers(kind: Kind, values: Float64Array, m: number, body: Sink): void {
  switch (kind) {
    case 'f64':
      body.ensure(m * 8);
      for (let k = 0; k < m; k++) body.f64(values[k]);
      break;
    case 'i32':
      body.ensure(m * 4);
      for (let k = 0; k < m; k++) body.i32(values[k]);
      break;
    case 'i64':
      body.ensure(m * 8);
      for (let k = 0; k < m; k++) body.i64(values[k]);
      break;
    case 'bool': {
      const bytes = new Uint8Array((m + 7) >> 3);
      for (let k = 0; k < m; k++) if (values[k]) bytes[k >> 3] |= 1 << (k & 7);
      body.raw(bytes);
      break;
    }
    default:
      break;
  }
}

/** min/max statistics of a numeric chunk (parquet.thrift: a zero minimum is -0, a zero maximum +0). */
function numberStats(kind: Kind, min: number, max: number): Field[] {
  switch (kind) {
    case 'f64': return [{ id: 5, t: T_BINARY, v: f64Bytes(max === 0 ? 0 : max) }, { id: 6, t: T_BINARY, v: f64Bytes(min === 0 ? -0 : min) }];
    case 'i32': return [{ id: 5, t: T_BINARY, v: i32Bytes(max) }, { id: 6, t: T_BINARY, v: i32Bytes(min) }];
    case 'i64': return [{ id: 5, t: T_BINARY, v: i64Bytes(max) }, { id: 6, t: T_BINARY, v: i64Bytes(min) }];
    case 'bool': return [{ id: 5, t: T_BINARY, v: Uint8Array.of(max) }, { id: 6, t: T_BINARY, v: Uint8Array.of(min) }];
    default: return [];
  }
}

function f64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
}
function i32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}
function i64Bytes(v: number): Uint8Array {
  const s = new Sink(8);
  s.i64(v);
  return s.take();
}

/**
 * One column chunk: rows `order[lo..hi)` of `col`, as pages appended to `out` (whose `pos`
 * is the file offset minus `base`). Returns its metadata.
 */
function writeChunk(col: ColumnBuffer, order: Int32Array | undefined, lo: number, hi: number, codec: Codec, out: Sink, base: number): ChunkMeta {
  const n = hi - lo;
  const spec = col.spec;
  const defs = scratchDefs(n);
  let nulls = 0;
  const body = scratch.body;
  body.reset();
  const encodings = [ENC_RLE];
  let dictionaryPageOffset: number | undefined;
  let stats: Field[] = [];
  let valueEncoding = ENC_PLAIN;
  const start = base + out.pos;
  let uncompressed = 0;

  if (spec.kind === 'text' && col.isKey) {
    // unique and sorted: DELTA_BYTE_ARRAY, each key as the prefix it shares with the one before
    // and the rest (a block's lab result IDs share all but their last few bytes, so the page is
    // ≈ 1/9 of PLAIN's and zstd has that much less to do); the chunk is in key order, so its
    // first and last values are min and max
    encodings.unshift(ENC_DELTA_BYTE_ARRAY);
    valueEncoding = ENC_DELTA_BYTE_ARRAY;
    writeAllPresent(n, body);
    const o = col.offs, bytes = col.bytes;
    deltaByteArray(bytes, o, order ? (r) => order[lo + r] : (r) => lo + r, n, body);
    if (n > 0) {
      const first = order ? order[lo] : lo, last = order ? order[hi - 1] : hi - 1;
      stats = textStats(bytes.slice(o[first], o[first + 1]), bytes.slice(o[last], o[last + 1]));
    }
  } else if (spec.kind === 'text' && col.arena) {
    // bytes mode: the choices of the branch below (dictionary, PLAIN, statistics), made on the
    // values' UTF-8 bytes, so the same rows give the same page whichever way they were held
    const lens = col.lens, starts = col.starts, bytes = col.bytes;
    for (let r = 0; r < n; r++) {
      if (lens[order ? order[lo + r] : lo + r] < 0) nulls++;
      else defs[r] = 1;
    }
    const m = n - nulls;
    const local = scratchLocal(m);
    const count = m === 0 ? -1 : bytesDictionary(bytes, starts, lens, order, lo, n, dictionaryCap(n), DICTIONARY_PROBE, local);
    let minAt = -1, minLen = 0, maxAt = -1, maxLen = 0;
    const see = (st: number, len: number) => {
      if (minAt < 0 || compareSlices(bytes, st, len, minAt, minLen) < 0) {
        minAt = st;
        minLen = len;
      }
      if (maxAt < 0 || compareSlices(bytes, st, len, maxAt, maxLen) > 0) {
        maxAt = st;
        maxLen = len;
      }
    };
    encodings.unshift(ENC_PLAIN);
    if (count > 0) {
      col.distinctWritten += count;
      const e = bytesEntries();
      const dictBody = scratch.dict;
      dictBody.reset();
      for (let k = 0; k < count; k++) {
        dictBody.slice(bytes, e.starts[k], e.lens[k]);
        see(e.starts[k], e.lens[k]);
      }
      dictionaryPageOffset = start;
      uncompressed += dictionaryPage(count, codec, out);
      encodings.push(ENC_RLE_DICTIONARY);
      valueEncoding = ENC_RLE_DICTIONARY;
      writeLevels(defs, n, body);
      dictionaryIndexes(local, m, count, body);
    } else {
      col.distinctWritten += m;
      writeLevels(defs, n, body);
      for (let r = 0; r < n; r++) {
        const i = order ? order[lo + r] : lo + r;
        if (lens[i] < 0) continue;
        body.slice(bytes, starts[i], lens[i]);
        see(starts[i], lens[i]);
      }
    }
    if (minAt >= 0) stats = textStats(bytes.slice(minAt, minAt + minLen), bytes.slice(maxAt, maxAt + maxLen));
  } else if (spec.kind === 'text') {
    // the chunk's own dictionary, in first-seen order, when few of its values are distinct:
    // decided on the values, so the same rows always get the same encoding
    const ids = col.ids;
    const local = scratchLocal(n);
    // global id → the chunk's own id, -1 while unseen
    const localOf = scratchLocalOf(col.values.length);
    const globals: number[] = [];
    const cap = dictionaryCap(n);
    let useDict = true;
    let m = 0;
    for (let r = 0; r < n; r++) {
      const g = ids[order ? order[lo + r] : lo + r];
      if (g < 0) {
        nulls++;
        continue;
      }
      defs[r] = 1;
      if (useDict) {
        let id = localOf[g];
        if (id < 0) {
          id = globals.length;
          if (id >= cap || (m >= DICTIONARY_PROBE && id * 2 > m)) useDict = false;
          else {
            localOf[g] = id;
            globals.push(g);
          }
        }
        local[m] = id;
      }
      m++;
    }
    if (m === 0) useDict = false;
    const values = col.values;
    const range: { min?: string; max?: string } = {};
    const see = (v: string) => {
      if (range.min === undefined || compareText(v, range.min) < 0) range.min = v;
      if (range.max === undefined || compareText(v, range.max) > 0) range.max = v;
    };
    if (useDict) {
      const dictBody = scratch.dict;
      dictBody.reset();
      for (const g of globals) {
        dictBody.text(values[g]);
        see(values[g]);
      }
      dictionaryPageOffset = start;
      uncompressed += dictionaryPage(globals.length, codec, out);
      encodings.unshift(ENC_PLAIN);
      encodings.push(ENC_RLE_DICTIONARY);
      valueEncoding = ENC_RLE_DICTIONARY;
      writeLevels(defs, n, body);
      dictionaryIndexes(local, m, globals.length, body);
    } else {
      encodings.unshift(ENC_PLAIN);
      writeLevels(defs, n, body);
      const seen = new Uint8Array(values.length);
      for (let r = 0; r < n; r++) {
        const g = ids[order ? order[lo + r] : lo + r];
        if (g < 0) continue;
        body.text(values[g]);
        if (!seen[g]) {
          seen[g] = 1;
          see(values[g]);
        }
      }
    }
    if (range.min !== undefined) stats = textStats(utf8Bytes(range.min), utf8Bytes(range.max!));
  } else {
    encodings.unshift(ENC_PLAIN);
    const values = scratchValues(n);
    let m = 0;
    for (let r = 0; r < n; r++) {
      const i = order ? order[lo + r] : lo + r;
      if (col.present[i]) {
        defs[r] = 1;
        values[m++] = col.nums[i];
      } else nulls++;
    }
    writeLevels(defs, n, body);
    let min = Infinity, max = -Infinity;
    for (let k = 0; k < m; k++) {
      const v = values[k];
      if (v < min || (v === 0 && min === 0 && 1 / v < 0)) min = v;
      if (v > max || (v === 0 && max === 0 && 1 / v > 0)) max = v;
    }
    if (m > 0) stats = numberStats(spec.kind, min, max);
    // numbers get a dictionary by the rule text has (dates, reference ranges and rounded results
    // repeat a lot): fewer bytes, and less for zstd than 8 bytes a value
    const local = scratchLocal(m);
    const count = spec.kind === 'bool' || m === 0 ? -1 : numberDictionary(values, m, dictionaryCap(n), DICTIONARY_PROBE, local);
    if (count > 0) {
      const dictBody = scratch.dict;
      dictBody.reset();
      plainNumbers(spec.kind, dictionaryValues(), count, dictBody);
      dictionaryPageOffset = start;
      uncompressed += dictionaryPage(count, codec, out);
      encodings.push(ENC_RLE_DICTIONARY);
      valueEncoding = ENC_RLE_DICTIONARY;
      dictionaryIndexes(local, m, count, body);
    } else plainNumbers(spec.kind, values, m, body);
  }
  const raw = body.written();
  const packed = compress(codec, raw);
  const dataPageOffset = base + out.pos;
  const header = pageHeader(PAGE_DATA, raw.length, packed.length, {
    id: 5, t: T_STRUCT, v: [
      { id: 1, t: T_I32, v: n },
      { id: 2, t: T_I32, v: valueEncoding },
      { id: 3, t: T_I32, v: ENC_RLE },
      { id: 4, t: T_I32, v: ENC_RLE },
    ],
  });
  out.raw(header);
  out.raw(packed);
  uncompressed += header.length + raw.length;
  return {
    spec,
    encodings,
    numValues: n,
    uncompressed,
    compressed: base + out.pos - start,
    dataPageOffset,
    dictionaryPageOffset,
    // null_count, max_value, min_value, is_max_value_exact, is_min_value_exact
    stats: [{ id: 3, t: T_I64, v: BigInt(nulls) }, ...stats, ...(stats.length ? [{ id: 7, t: T_TRUE, v: undefined }, { id: 8, t: T_TRUE, v: undefined }] : [])],
  };
}

/** Definition levels of n values all present: one run of 1s, with its 4-byte length. */
function writeAllPresent(n: number, out: Sink): void {
  const at = out.pos;
  out.i32(0);
  if (n > 0) {
    out.varint(n * 2);
    out.byte(1);
  }
  new DataView(out.buf.buffer).setInt32(at, out.pos - at - 4, true);
}

/** Definition levels (0 null, 1 present), width 1, with their 4-byte length. */
function writeLevels(defs: Uint8Array, n: number, out: Sink): void {
  out.ensure(4);
  const at = out.pos;
  out.pos += 4;
  hybrid(defs, n, 1, out);
  new DataView(out.buf.buffer).setInt32(at, out.pos - at - 4, true);
}

/** The rows of one table, buffered by column until `write`. */
export class ParquetTableWriter {
  private readonly specs: ColumnSpec[];
  private readonly cols: ColumnBuffer[];
  private readonly appendRow: Appender;
  private count = 0;

  private readonly rowGroupRows: number;

  /** `rowGroupRows`: rows per row group; `textMode`: how text columns hold values (tests set both). */
  constructor(private readonly table: TableDef, opts: { rowGroupRows?: number; textMode?: TextMode } = {}) {
    this.rowGroupRows = opts.rowGroupRows ?? ROW_GROUP_ROWS;
    this.specs = table.columns.map((c: Column) => ({ name: c.name, type: c.type, ...kindOf(c.type) }));
    this.cols = this.specs.map((s) => new ColumnBuffer(s, opts.textMode));
    const key = this.sortColumns();
    const keyIndex = key.length === 1 && key[0] === table.primaryKey[0] && table.primaryKey.length === 1
      ? this.specs.findIndex((s) => s.name === key[0] && s.kind === 'text') : -1;
    if (keyIndex >= 0) this.cols[keyIndex].makeKey();
    this.appendRow = compileAppender(this.specs, table.name, keyIndex);
  }

  /** The columns rows are sorted by: the order columns, then the rest of the primary key. */
  private sortColumns(): string[] {
    const names = orderColumns(this.table).slice();
    for (const k of this.table.primaryKey) if (!names.includes(k)) names.push(k);
    return names;
  }

  get rows(): number {
    return this.count;
  }

  /** Empties the writer for another file of the same table, keeping its column arrays. */
  reset(): void {
    this.count = 0;
    for (const c of this.cols) c.reset();
  }

  append(rows: readonly Row[]): void {
    const cols = this.cols;
    const need = this.count + rows.length;
    for (const c of cols) c.growTo(need);
    this.appendRow(rows, cols, this.count);
    this.count = need;
    for (const c of cols) c.length = need;
  }

  /**
   * The order rows are written in: undefined when they were appended in it already (checked
   * here), else a sorted permutation. Throws DUPLICATE_KEY for a null or repeated primary key.
   */
  private order(): Int32Array | undefined {
    const n = this.count;
    const names = this.sortColumns();
    const keyCols = names.map((name) => this.cols[this.specs.findIndex((s) => s.name === name)]);
    const pk = this.table.primaryKey.map((name) => this.cols[this.specs.findIndex((s) => s.name === name)]);
    for (const c of pk) {
      let nulls = 0;
      if (c.isKey) nulls = c.nullKeys;
      else for (let i = 0; i < n; i++) if (c.spec.kind === 'text' ? c.isNullText(i) : !c.present[i]) nulls++;
      if (nulls > 0) throw new StoreError('DUPLICATE_KEY', `${this.table.name}: ${nulls} row(s) with a null primary key (${this.table.primaryKey.join(', ')})`);
    }
    const cmp = (a: number, b: number): number => {
      for (const c of keyCols) {
        let d: number;
        if (c.isKey) d = compareKeyBytes(c, a, b); // no NULLs (refused above)
        else if (c.spec.kind === 'text') d = c.compareText(a, b);
        else {
          const px = c.present[a], py = c.present[b];
          d = px && py ? c.nums[a] - c.nums[b] : px === py ? 0 : px ? -1 : 1;
        }
        if (d !== 0) return d;
      }
      return 0;
    };
    let sorted = true;
    const single = keyCols.length === 1 && keyCols[0].isKey ? keyCols[0] : undefined;
    if (single?.ordered) {
      // strictly increasing as they came (ColumnBuffer.key)
    } else for (let i = 1; i < n && sorted; i++) if (!(cmp(i - 1, i) < 0)) sorted = false;
    const keyIsOrder = names.length === this.table.primaryKey.length;
    // strictly increasing by exactly the primary key: unique, nothing else to check
    if (sorted && keyIsOrder) return undefined;
    let order: Int32Array | undefined;
    if (!sorted) {
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((a, b) => cmp(a, b) || a - b);
      order = Int32Array.from(idx);
    }
    this.checkUnique(order, keyIsOrder, cmp);
    return order;
  }

  private checkUnique(order: Int32Array | undefined, keyIsOrder: boolean, cmp: (a: number, b: number) => number): void {
    const n = this.count;
    const at = (r: number) => (order ? order[r] : r);
    const pkCols = this.table.primaryKey.map((name) => this.cols[this.specs.findIndex((s) => s.name === name)]);
    const show = (i: number) => pkCols.map((c) => (c.spec.kind === 'text' ? c.text(i) : c.nums[i])).join(', ');
    let dups = 0;
    let example: string | undefined;
    if (keyIsOrder) {
      // sorted by exactly the primary key: repeats are neighbours
      for (let r = 1; r < n; r++) {
        if (cmp(at(r - 1), at(r)) === 0 && (r < 2 || cmp(at(r - 2), at(r - 1)) !== 0)) {
          dups++;
          if (example === undefined || compareText(show(at(r)), example) < 0) example = show(at(r));
        }
      }
    } else {
      const seen = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const k = JSON.stringify(pkCols.map((c) => (c.spec.kind === 'text' ? c.text(i) : c.nums[i])));
        const times = (seen.get(k) ?? 0) + 1;
        seen.set(k, times);
        if (times === 2) {
          dups++;
          if (example === undefined || compareText(show(i), example) < 0) example = show(i);
        }
      }
    }
    if (dups > 0) throw new StoreError('DUPLICATE_KEY', `${this.table.name}: ${dups} duplicated primary key value(s), e.g. ${example}`);
  }

  /** Writes every row to `file` (replacing it), sorted by key, in row groups. Returns the row count. */
  write(file: string, codec: Codec = parquetCodec()): number {
    const fd = openSync(file, 'w');
    try {
      let offset = 0;
      return this.emit(codec, (u) => {
        let done = 0;
        while (done < u.length) done += writeSync(fd, u, done, u.length - done, offset + done);
        offset += u.length;
      });
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The bytes `write` would put in a file, in a buffer of their own (transferable to another
   * thread): a block of a larger dataset goes to the thread that combines the blocks this way,
   * with no file made, written, read back and removed per table and block.
   */
  bytes(codec: Codec = parquetCodec()): { rows: number; bytes: Uint8Array } {
    const parts: Uint8Array[] = [];
    let size = 0;
    const rows = this.emit(codec, (u) => {
      parts.push(u);
      size += u.length;
    });
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const u of parts) {
      bytes.set(u, at);
      at += u.length;
    }
    return { rows, bytes };
  }

  /** The file's bytes in order, handed to `put` piece by piece. Returns the row count. */
  private emit(codec: Codec, put: (u: Uint8Array) => void): number {
    const order = this.order();
    const n = this.count;
    let offset = 0;
    const out = (u: Uint8Array): void => {
      put(u);
      offset += u.length;
    };
    out(MAGIC);
    const rowGroups: Field[][] = [];
    for (let lo = 0; lo < n; lo += this.rowGroupRows) {
      const hi = Math.min(n, lo + this.rowGroupRows);
      const rgStart = offset;
      const sink = new Sink(1 << 20);
      const chunks = this.cols.map((c) => writeChunk(c, order, lo, hi, codec, sink, rgStart));
      out(sink.take());
      rowGroups.push(rowGroup(chunks, hi - lo, rgStart, rowGroups.length, codec));
    }
    const footer = encodeStruct(fileMetaData(this.specs, n, rowGroups));
    out(footer);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setInt32(0, footer.length, true);
    tail.set(MAGIC, 4);
    out(tail);
    return n;
  }
}

const MAGIC = Uint8Array.from([0x50, 0x41, 0x52, 0x31]); // PAR1

function rowGroup(chunks: readonly ChunkMeta[], rows: number, fileOffset: number, ordinal: number, codec: Codec): Field[] {
  let total = 0, totalCompressed = 0;
  const columns = chunks.map((c) => {
    total += c.uncompressed;
    totalCompressed += c.compressed;
    const meta: Field[] = [
      { id: 1, t: T_I32, v: c.spec.kind === 'text' ? TYPE_BYTE_ARRAY : c.spec.kind === 'f64' ? TYPE_DOUBLE : c.spec.kind === 'i32' ? TYPE_INT32 : c.spec.kind === 'i64' ? TYPE_INT64 : TYPE_BOOLEAN },
      { id: 2, t: T_LIST, v: { et: T_I32, items: c.encodings } },
      { id: 3, t: T_LIST, v: { et: T_BINARY, items: [utf8Bytes(c.spec.name)] } },
      { id: 4, t: T_I32, v: codecId(codec) },
      { id: 5, t: T_I64, v: BigInt(c.numValues) },
      { id: 6, t: T_I64, v: BigInt(c.uncompressed) },
      { id: 7, t: T_I64, v: BigInt(c.compressed) },
      { id: 9, t: T_I64, v: BigInt(c.dataPageOffset) },
    ];
    if (c.dictionaryPageOffset !== undefined) meta.push({ id: 11, t: T_I64, v: BigInt(c.dictionaryPageOffset) });
    meta.push({ id: 12, t: T_STRUCT, v: c.stats });
    const first = c.dictionaryPageOffset ?? c.dataPageOffset;
    return [{ id: 2, t: T_I64, v: BigInt(first) }, { id: 3, t: T_STRUCT, v: meta }] as Field[];
  });
  return [
    { id: 1, t: T_LIST, v: { et: T_STRUCT, items: columns } },
    { id: 2, t: T_I64, v: BigInt(total) },
    { id: 3, t: T_I64, v: BigInt(rows) },
    { id: 5, t: T_I64, v: BigInt(fileOffset) },
    { id: 6, t: T_I64, v: BigInt(totalCompressed) },
    { id: 7, t: T_I16, v: ordinal },
  ];
}

function fileMetaData(specs: readonly ColumnSpec[], rows: number, rowGroups: Field[][]): Field[] {
  const root: Field[] = [
    { id: 3, t: T_I32, v: REP_REQUIRED },
    { id: 4, t: T_BINARY, v: utf8Bytes('duckdb_schema') },
    { id: 5, t: T_I32, v: specs.length },
  ];
  return [
    { id: 1, t: T_I32, v: 1 },
    { id: 2, t: T_LIST, v: { et: T_STRUCT, items: [root, ...specs.map(schemaElement)] } },
    { id: 3, t: T_I64, v: BigInt(rows) },
    { id: 4, t: T_LIST, v: { et: T_STRUCT, items: rowGroups } },
    { id: 6, t: T_BINARY, v: utf8Bytes('healthsim') },
    // ColumnOrder.TYPE_ORDER for every column: min/max are by the type's order (UTF-8 bytes for text)
    { id: 7, t: T_LIST, v: { et: T_STRUCT, items: specs.map(() => [{ id: 1, t: T_STRUCT, v: [] }]) } },
  ];
}
