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

// Thrift compact-protocol wire types
const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;

/** A decoded value: its wire type decides the shape of `v`. */
export type Value = number | bigint | Uint8Array | ListValue | MapValue | Field[] | EncodedStruct | undefined;
export interface Field { id: number; t: number; v: Value }
export interface ListValue { et: number; items: Value[] }
export interface MapValue { kt: number; vt: number; entries: [Value, Value][] }

/** A struct already encoded (its fields and stop byte): written as it is. */
export class EncodedStruct {
  constructor(readonly bytes: Uint8Array) {}
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('truncated Thrift data');
    return this.buf[this.pos++];
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  value(t: number): Value {
    switch (t) {
      case T_TRUE:
      case T_FALSE:
        return undefined; // a field's boolean lives in its type
      case T_BYTE:
        return this.byte();
      case T_I16:
      case T_I32:
        return Number(this.zigzag());
      case T_I64:
        return this.zigzag();
      case T_DOUBLE:
        return this.bytes(8);
      case T_BINARY:
        return this.bytes(Number(this.varint()));
      case T_LIST:
      case T_SET: {
        const h = this.byte();
        const et = h & 0x0f;
        const size = h >> 4 === 0x0f ? Number(this.varint()) : h >> 4;
        const items: Value[] = [];
        // booleans inside a list are one byte each (kept as that byte)
        for (let i = 0; i < size; i++) items.push(et === T_TRUE || et === T_FALSE ? this.byte() : this.value(et));
        return { et, items };
      }
      case T_MAP: {
        const size = Number(this.varint());
        if (size === 0) return { kt: 0, vt: 0, entries: [] };
        const h = this.byte();
        const kt = h >> 4;
        const vt = h & 0x0f;
        const entries: [Value, Value][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(kt), this.value(vt)]);
        return { kt, vt, entries };
      }
      case T_STRUCT:
        return this.struct();
      default:
        throw new Error(`unknown Thrift compact type ${t}`);
    }
  }

  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fields;
      const t = h & 0x0f;
      const delta = h >> 4;
      const id = delta === 0 ? Number(this.zigzag()) : last + delta;
      fields.push({ id, t, v: this.value(t) });
      last = id;
    }
  }

  private bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error('truncated Thrift data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

class Writer {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  private flushBytes(): void {
    if (this.parts.length > 0) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts.length = 0;
    }
  }

  private raw(b: Uint8Array): void {
    this.flushBytes();
    this.chunks.push(b);
  }

  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
  }

  value(t: number, v: Value): void {
    switch (t) {
      case T_TRUE:
      case T_FALSE:
        return;
      case T_BYTE:
        this.parts.push(v as number);
        return;
      case T_I16:
      case T_I32:
        this.zigzag(BigInt(v as number));
        return;
      case T_I64:
        this.zigzag(v as bigint);
        return;
      case T_DOUBLE:
        this.raw(v as Uint8Array);
        return;
      case T_BINARY: {
        const b = v as Uint8Array;
        this.varint(BigInt(b.length));
        this.raw(b);
        return;
      }
      case T_LIST:
      case T_SET: {
        const { et, items } = v as ListValue;
        if (items.length < 15) this.parts.push((items.length << 4) | et);
        else {
          this.parts.push(0xf0 | et);
          this.varint(BigInt(items.length));
        }
        for (const item of items) {
          if (et === T_TRUE || et === T_FALSE) this.parts.push(item as number);
          else this.value(et, item);
        }
        return;
      }
      case T_MAP: {
        const { kt, vt, entries } = v as MapValue;
        this.varint(BigInt(entries.length));
        if (entries.length === 0) return;
        this.parts.push((kt << 4) | vt);
        for (const [k, val] of entries) {
          this.value(kt, k);
          this.value(vt, val);
        }
        return;
      }
      case T_STRUCT:
        if (v instanceof EncodedStruct) this.raw(v.bytes);
        else this.struct(v as Field[]);
        return;
      default:
        throw new Error(`unknown Thrift compact type ${t}`);
    }
  }

  struct(fields: readonly Field[]): void {
    let last = 0;
    for (const f of fields) {
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.parts.push((delta << 4) | f.t);
      else {
        this.parts.push(f.t);
        this.zigzag(BigInt(f.id));
      }
      this.value(f.t, f.v);
      last = f.id;
    }
    this.parts.push(0);
  }

  bytes(): Uint8Array {
    this.flushBytes();
    return Buffer.concat(this.chunks);
  }
}

/** Encodes a decoded struct again (exported for tests: decode → encode must give the same bytes). */
export function encodeStruct(fields: readonly Field[]): Uint8Array {
  const w = new Writer();
  w.struct(fields);
  return w.bytes();
}

export function decodeStruct(bytes: Uint8Array): Field[] {
  const r = new Reader(bytes);
  const s = r.struct();
  if (r.pos !== bytes.length) throw new Error('trailing bytes after the Thrift struct');
  return s;
}

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
  if (!tail.subarray(4).equals(MAGIC) || !head.equals(MAGIC)) throw new ParquetConcatUnsupported(file, 'no PAR1 magic (encrypted or not Parquet)');
  const len = tail.readUInt32LE(0);
  const dataEnd = size - 8 - len;
  if (dataEnd < 4) throw new ParquetConcatUnsupported(file, 'footer length out of range');
  const buf = Buffer.alloc(len);
  await fh.read(buf, 0, len, dataEnd);
  try {
    return { meta: decodeStruct(buf), dataEnd, size };
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
  let first: Field[] | undefined;
  let schema: Buffer | undefined;
  const rowGroups: EncodedStruct[] = [];
  const regions: { file: string; dataEnd: number; size: number }[] = [];
  let rows = 0n;
  let pos = 4n; // after the leading magic
  for (const file of files) {
    const ft = await withFile(file, (fh) => readFooter(fh, file));
    if (field(ft.meta, FMD_ENCRYPTION) || field(ft.meta, FMD_SIGNING_KEY)) throw new ParquetConcatUnsupported(file, 'encryption');
    const s = field(ft.meta, FMD_SCHEMA);
    if (!first) {
      if (!s) throw new ParquetConcatUnsupported(file, 'no schema');
      first = ft.meta;
      schema = Buffer.from(encodeStruct([s]));
    } else if (!s || !Buffer.from(encodeStruct([s])).equals(schema!)) {
      throw new ParquetConcatUnsupported(file, `a schema other than that of ${files[0]}`);
    }
    const delta = pos - 4n;
    for (const rg of ((field(ft.meta, FMD_ROW_GROUPS)?.v as ListValue | undefined)?.items ?? []) as Field[][]) {
      moveRowGroup(rg, delta, rowGroups.length, file);
      rowGroups.push(new EncodedStruct(encodeStruct(rg)));
    }
    rows += (field(ft.meta, FMD_NUM_ROWS)?.v as bigint | undefined) ?? 0n;
    regions.push({ file, dataEnd: ft.dataEnd, size: ft.size });
    pos += BigInt(ft.dataEnd - 4);
  }
  const meta: Field[] = first!.map((f) => {
    if (f.id === FMD_NUM_ROWS) return { ...f, v: rows };
    if (f.id === FMD_ROW_GROUPS) return { ...f, v: { et: T_STRUCT, items: rowGroups } };
    return f;
  });
  if (!field(meta, FMD_ROW_GROUPS)) throw new ParquetConcatUnsupported(files[0], 'no row_groups field');
  const footer = encodeStruct(meta);
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
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(footer.length, 0);
    MAGIC.copy(tail, 4);
    await outFh.write(footer);
    await outFh.write(tail);
  } finally {
    await outFh.close();
  }
  return Number(rows);
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

