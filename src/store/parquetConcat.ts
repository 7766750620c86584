/**
 * Concatenation of Parquet files at the byte level: the row groups of several files with the
 * same schema become one file without decoding or re-compressing a single page.
 *
 * A Parquet file is `PAR1`, the column chunks (and, from DuckDB, bloom filters), the footer (a
 * Thrift compact-protocol `FileMetaData`), the footer's length and `PAR1`. Everything between
 * the leading magic and the footer is addressed by absolute file offsets kept in the footer, so
 * the data regions of the inputs can be laid end to end as they are, and the footer rebuilt:
 * every offset of file k moved by where its region now starts, row-group ordinals renumbered,
 * `num_rows` summed. The rest of the footer (schema, key-value metadata, `created_by`, column
 * orders) is the first file's, and the inputs must agree on the schema.
 *
 * The output depends only on the input bytes. Files this code does not know how to move (page
 * indexes, whose own structures hold offsets; encryption; column chunks in other files) are
 * refused with `ParquetConcatUnsupported`, so the caller can fall back to a re-encoding COPY.
 *
 * The Thrift compact protocol is read into a generic tree (field id, wire type, value) and
 * written back unchanged except for the patched fields, so fields this code does not name
 * (statistics, encodings, geo types of newer writers) pass through as they are.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class ParquetConcatUnsupported extends Error {
  constructor(file: string, what: string) {
    super(`${file}: ${what}; cannot concatenate it byte for byte`);
    this.name = 'ParquetConcatUnsupported';
  }
}

const MAGIC = Buffer.from('PAR1', 'latin1');
/** Bytes copied per read/write of a data region. */
const COPY_CHUNK = 8 << 20;

import {
  EncodedStruct, T_I64, T_STRUCT, T_TRUE, decodeStruct, encodeStruct,
  type Field, type ListValue,
} from './thrift.js';

export { EncodedStruct, decodeStruct, encodeStruct, type Field, type ListValue, type MapValue, type Value } from './thrift.js';

const field = (s: readonly Field[], id: number): Field | undefined => s.find((f) => f.id === id);

/** The footer of one file and where its data region ends. */
interface Footer { meta: Field[]; dataEnd: number; size: number }

async function readFooter(fh: FileHandle, file: string): Promise<Footer> {
  const { size } = await fh.stat();
  if (size < 12) throw new ParquetConcatUnsupported(file, 'too short to be a Parquet file');
  const tail = Buffer.alloc(8);
  await fh.read(tail, 0, 8, size - 8);
  const head = Buffer.alloc(4);
  await fh.read(head, 0, 4, 0);
  const dataEnd = checkEnds(head, tail, size, file);
  const buf = Buffer.alloc(size - 8 - dataEnd);
  await fh.read(buf, 0, buf.length, dataEnd);
  return { meta: decodeFooter(buf, file), dataEnd, size };
}

/** The footer of a whole file held in memory. */
function footerOfBytes(bytes: Uint8Array, file: string): Footer {
  const size = bytes.length;
  if (size < 12) throw new ParquetConcatUnsupported(file, 'too short to be a Parquet file');
  const dataEnd = checkEnds(bytes.subarray(0, 4), bytes.subarray(size - 8), size, file);
  return { meta: decodeFooter(bytes.subarray(dataEnd, size - 8), file), dataEnd, size };
}

/** Checks both magics; returns where the data region ends (the footer starts). */
function checkEnds(head: Uint8Array, tail: Uint8Array, size: number, file: string): number {
  if (!MAGIC.equals(tail.subarray(4)) || !MAGIC.equals(head)) throw new ParquetConcatUnsupported(file, 'no PAR1 magic (encrypted or not Parquet)');
  const len = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
  const dataEnd = size - 8 - len;
  if (dataEnd < 4) throw new ParquetConcatUnsupported(file, 'footer length out of range');
  return dataEnd;
}

function decodeFooter(buf: Uint8Array, file: string): Field[] {
  try {
    return decodeStruct(buf);
  } catch (e) {
    // a footer this reader does not follow (a newer Thrift type, damage): re-encode instead
    throw new ParquetConcatUnsupported(file, `footer not readable (${e instanceof Error ? e.message : String(e)})`);
  }
}

// FileMetaData
const FMD_SCHEMA = 2;
const FMD_NUM_ROWS = 3;
const FMD_ROW_GROUPS = 4;
const FMD_ENCRYPTION = 8;
const FMD_SIGNING_KEY = 9;
// RowGroup
const RG_COLUMNS = 1;
const RG_FILE_OFFSET = 5;
const RG_ORDINAL = 7;
// ColumnChunk
const CC_FILE_PATH = 1;
const CC_FILE_OFFSET = 2;
const CC_META = 3;
const CC_OFFSET_INDEX = 4;
const CC_COLUMN_INDEX = 6;
const CC_CRYPTO = 8;
const CC_ENCRYPTED_META = 9;
// ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset, bloom_filter_offset
const CMD_OFFSETS = [9, 10, 11, 14];

/** Moves an offset by `delta`. 0 is left alone: no data starts there (the file starts with PAR1),
 * and writers use it for "not set" (DuckDB writes ColumnChunk.file_offset = 0). */
function shiftI64(f: Field | undefined, delta: bigint): void {
  if (f && f.t === T_I64 && (f.v as bigint) > 0n) f.v = (f.v as bigint) + delta;
}

/** Moves one row group's offsets by `delta` and gives it `ordinal` (when it carries one). */
function moveRowGroup(rg: Field[], delta: bigint, ordinal: number, file: string): void {
  shiftI64(field(rg, RG_FILE_OFFSET), delta);
  const ord = field(rg, RG_ORDINAL);
  if (ord) {
    if (ordinal > 32767) throw new ParquetConcatUnsupported(file, 'more than 32,767 row groups in all');
    ord.v = ordinal;
  }
  const cols = field(rg, RG_COLUMNS);
  for (const cc of ((cols?.v as ListValue | undefined)?.items ?? []) as Field[][]) {
    if (field(cc, CC_FILE_PATH)) throw new ParquetConcatUnsupported(file, 'a column chunk stored in another file');
    if (field(cc, CC_OFFSET_INDEX) || field(cc, CC_COLUMN_INDEX)) throw new ParquetConcatUnsupported(file, 'page indexes');
    if (field(cc, CC_CRYPTO) || field(cc, CC_ENCRYPTED_META)) throw new ParquetConcatUnsupported(file, 'encrypted columns');
    shiftI64(field(cc, CC_FILE_OFFSET), delta);
    const meta = field(cc, CC_META)?.v as Field[] | undefined;
    if (meta) for (const id of CMD_OFFSETS) shiftI64(field(meta, id), delta);
  }
}

/**
 * Writes `out` as the row groups of `files`, in order. Returns the total row count. Throws
 * ParquetConcatUnsupported (before writing anything) when a file cannot be moved byte for byte.
 * `chunkBytes`: how much of a data region is copied at a time (tests use small chunks).
 */
export async function concatParquetFiles(files: readonly string[], out: string, chunkBytes = COPY_CHUNK): Promise<number> {
  if (files.length === 0) throw new Error('concatParquetFiles: no input files');
  // First pass, one file open at a time: check each footer and keep its row groups moved and
  // encoded again, not as decoded trees. Memory and open files then stay flat however many
  // blocks there are (a 10M-patient build has 4,000: holding every decoded footer took the
  // combine step to 1.8 GB RSS, with 4,000 files open at once).
  const footer = new ConcatFooter();
  const regions: { file: string; dataEnd: number; size: number }[] = [];
  for (const file of files) {
    const ft = await withFile(file, (fh) => readFooter(fh, file));
    footer.take(ft, file);
    regions.push({ file, dataEnd: ft.dataEnd, size: ft.size });
  }
  const encoded = footer.encode(files[0]);
  const outFh = await open(out, 'w');
  try {
    await outFh.write(MAGIC);
    const buf = Buffer.allocUnsafe(chunkBytes);
    // second pass: each file's data region [4, dataEnd), copied in chunks whatever its size
    for (const r of regions) {
      await withFile(r.file, async (fh) => {
        if ((await fh.stat()).size !== r.size) throw new Error(`${r.file}: changed while its blocks were being combined`);
        for (let at = 4; at < r.dataEnd; ) {
          const want = Math.min(chunkBytes, r.dataEnd - at);
          const { bytesRead } = await fh.read(buf, 0, want, at);
          if (bytesRead !== want) throw new Error(`${r.file}: short read`);
          await outFh.write(buf.subarray(0, want));
          at += want;
        }
      });
    }
    await outFh.write(encoded);
  } finally {
    await outFh.close();
  }
  return footer.rowCount();
}

/**
 * The footer of files laid end to end, built one file at a time: each file's schema checked
 * against the first's, its row groups moved to where its data region lands and kept encoded
 * (not as decoded trees), its rows counted.
 */
class ConcatFooter {
  private first: Field[] | undefined;
  private firstName = '';
  private schema: Buffer | undefined;
  private readonly rowGroups: EncodedStruct[] = [];
  private rows = 0n;
  /** where the next file's data region starts in the output (after the leading magic) */
  private pos = 4n;

  take(ft: Footer, file: string): void {
    if (field(ft.meta, FMD_ENCRYPTION) || field(ft.meta, FMD_SIGNING_KEY)) throw new ParquetConcatUnsupported(file, 'encryption');
    const s = field(ft.meta, FMD_SCHEMA);
    if (!this.first) {
      if (!s) throw new ParquetConcatUnsupported(file, 'no schema');
      if (!field(ft.meta, FMD_ROW_GROUPS)) throw new ParquetConcatUnsupported(file, 'no row_groups field');
      this.first = ft.meta;
      this.firstName = file;
      this.schema = Buffer.from(encodeStruct([s]));
    } else if (!s || !Buffer.from(encodeStruct([s])).equals(this.schema!)) {
      throw new ParquetConcatUnsupported(file, `a schema other than that of ${this.firstName}`);
    }
    const delta = this.pos - 4n;
    const moved: EncodedStruct[] = [];
    for (const rg of ((field(ft.meta, FMD_ROW_GROUPS)?.v as ListValue | undefined)?.items ?? []) as Field[][]) {
      moveRowGroup(rg, delta, this.rowGroups.length + moved.length, file);
      moved.push(new EncodedStruct(encodeStruct(rg)));
    }
    // only a file taken whole counts
    this.rowGroups.push(...moved);
    this.rows += (field(ft.meta, FMD_NUM_ROWS)?.v as bigint | undefined) ?? 0n;
    this.pos += BigInt(ft.dataEnd - 4);
  }

  rowCount(): number {
    return Number(this.rows);
  }

  /** The footer, its length and the closing magic. */
  encode(name: string): Uint8Array {
    if (!this.first) throw new Error(`${name}: no input files`);
    const meta: Field[] = this.first.map((f) => {
      if (f.id === FMD_NUM_ROWS) return { ...f, v: this.rows };
      if (f.id === FMD_ROW_GROUPS) return { ...f, v: { et: T_STRUCT, items: this.rowGroups } };
      return f;
    });
    const footer = encodeStruct(meta);
    const out = Buffer.alloc(footer.length + 8);
    out.set(footer, 0);
    out.writeUInt32LE(footer.length, footer.length);
    MAGIC.copy(out, footer.length + 4);
    return out;
  }
}

/**
 * Parquet files given whole, as bytes, appended to `out` one after another as they come: the
 * streaming form of concatParquetFiles (the same output for the same inputs), for blocks that
 * arrive from generation threads in block order. Each file's data region is written as it is
 * added; the footer when the last one is in.
 */
export class ParquetAppender {
  private readonly footer = new ConcatFooter();
  private at = 0;
  private done = false;

  private constructor(private readonly out: string, private readonly fh: FileHandle) {}

  static async create(out: string): Promise<ParquetAppender> {
    const fh = await open(out, 'w');
    try {
      await fh.write(MAGIC, 0, 4, 0);
    } catch (e) {
      await fh.close();
      throw e;
    }
    const a = new ParquetAppender(out, fh);
    a.at = 4;
    return a;
  }

  /** Adds one whole file; returns its decoded footer (for the caller's own checks). */
  async add(bytes: Uint8Array, name: string): Promise<Field[]> {
    const ft = footerOfBytes(bytes, name);
    // the footer is checked and taken before a byte is written: a refused file leaves the output as it was
    this.footer.take(ft, name);
    await this.writeAll(bytes.subarray(4, ft.dataEnd));
    return ft.meta;
  }

  /** Writes the footer and closes the file. Returns the row count. */
  async finish(): Promise<number> {
    try {
      await this.writeAll(this.footer.encode(this.out));
    } finally {
      await this.close();
    }
    return this.footer.rowCount();
  }

  /** Closes the file as it stands (after a failure; the caller removes it). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.fh.close();
  }

  private async writeAll(u: Uint8Array): Promise<void> {
    let done = 0;
    while (done < u.length) {
      const { bytesWritten } = await this.fh.write(u, done, u.length - done, this.at + done);
      done += bytesWritten;
    }
    this.at += u.length;
  }
}

/** The key column's range in one file, from its footer's row-group statistics. */
export interface KeyRange {
  rows: number;
  /** smallest and largest value over the file's non-empty row groups (undefined when it has none) */
  lo: Uint8Array | undefined;
  hi: Uint8Array | undefined;
  /** every non-empty row group has both values, marked exact, and no NULLs */
  exact: boolean;
}

// ColumnChunk.meta_data → ColumnMetaData.path_in_schema, .statistics
const CMD_PATH = 3;
const CMD_STATISTICS = 12;
// Statistics: null_count, max_value, min_value, is_max_value_exact, is_min_value_exact
const ST_NULL_COUNT = 3;
const ST_MAX_VALUE = 5;
const ST_MIN_VALUE = 6;
const ST_MAX_EXACT = 7;
const ST_MIN_EXACT = 8;
// RowGroup.num_rows
const RG_NUM_ROWS = 3;

/**
 * What the footer says of `column` (a top-level column): the range keyRangesFromFooters reads
 * through DuckDB's `parquet_metadata`, taken from the decoded footer itself. Values compare as
 * bytes, as DuckDB compares text.
 */
export function keyRangeOf(meta: readonly Field[], column: string): KeyRange {
  const r: KeyRange = { rows: 0, lo: undefined, hi: undefined, exact: true };
  for (const rg of ((field(meta, FMD_ROW_GROUPS)?.v as ListValue | undefined)?.items ?? []) as Field[][]) {
    const n = Number((field(rg, RG_NUM_ROWS)?.v as bigint | undefined) ?? 0n);
    if (n <= 0) continue;
    r.rows += n;
    const cc = (((field(rg, RG_COLUMNS)?.v as ListValue | undefined)?.items ?? []) as Field[][]).find((c) => {
      const path = (field((field(c, CC_META)?.v as Field[] | undefined) ?? [], CMD_PATH)?.v as ListValue | undefined)?.items;
      return path?.length === 1 && Buffer.from(path[0] as Uint8Array).toString('utf8') === column;
    });
    const stats = field((field(cc ?? [], CC_META)?.v as Field[] | undefined) ?? [], CMD_STATISTICS)?.v as Field[] | undefined;
    const lo = field(stats ?? [], ST_MIN_VALUE)?.v as Uint8Array | undefined;
    const hi = field(stats ?? [], ST_MAX_VALUE)?.v as Uint8Array | undefined;
    const nulls = field(stats ?? [], ST_NULL_COUNT)?.v as bigint | undefined;
    const exact = field(stats ?? [], ST_MIN_EXACT)?.t === T_TRUE && field(stats ?? [], ST_MAX_EXACT)?.t === T_TRUE;
    if (!lo || !hi || nulls !== 0n || !exact) {
      r.exact = false;
      continue;
    }
    if (!r.lo || Buffer.compare(lo, r.lo) < 0) r.lo = lo;
    if (!r.hi || Buffer.compare(hi, r.hi) > 0) r.hi = hi;
  }
  return r;
}

async function withFile<T>(file: string, use: (fh: FileHandle) => Promise<T>): Promise<T> {
  const fh = await open(file, 'r');
  try {
    return await use(fh);
  } finally {
    await fh.close();
  }
}

/** For tests: the decoded footer of a file. */
export async function parquetFooter(file: string): Promise<Field[]> {
  return (await withFile(file, (fh) => readFooter(fh, file))).meta;
}

