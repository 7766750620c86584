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
  EncodedStruct, T_I64, T_STRUCT, decodeStruct, encodeStruct,
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

