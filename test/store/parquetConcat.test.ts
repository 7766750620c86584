import { describe, expect, it, afterAll } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { writeParquetTables } from '../../src/store/writeParquet.js';
import { combineBlocks } from '../../src/store/combineParts.js';
import { ParquetConcatUnsupported, concatParquetFiles, decodeStruct, encodeStruct, type Field, type ListValue } from '../../src/store/parquetConcat.js';
import { MEMBER_TABLES, PATIENT_TABLES, memberRows, patientRows, tables, tempDir } from './fixtures.js';

const tmp = tempDir('pqcat');
afterAll(() => tmp.cleanup());

/** The footer bytes of a Parquet file. */
function footerBytes(file: string): Uint8Array {
  const buf = readFileSync(file);
  const len = buf.readUInt32LE(buf.length - 8);
  return buf.subarray(buf.length - 8 - len, buf.length - 8);
}

async function withDb<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const rowsOf = async (conn: DuckDBConnection, sql: string) => (await conn.runAndReadAll(sql)).getRowsJson();

/** Each table of `n` patients cut into three blocks of patients, written as block files. */
async function patientBlocks(name: string, n: number): Promise<Record<string, string[]>> {
  const defs = tables(...PATIENT_TABLES, ...MEMBER_TABLES.filter((t) => !PATIENT_TABLES.includes(t)));
  const rows = { ...memberRows('ab12', n), ...patientRows('ab12', n) };
  const parts: Record<string, string[]> = {};
  const cuts = [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n];
  for (let k = 0; k < 3; k++) {
    const block = Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.slice(Math.floor((r.length * cuts[k]) / n), Math.floor((r.length * cuts[k + 1]) / n))]));
    const w = await writeParquetTables(defs, [block], path.join(tmp.dir, name, `b${k}`));
    for (const f of w) (parts[f.table] ??= []).push(f.file);
  }
  return parts;
}

/** A copy of `file` whose footer claims a page index for its first column chunk. */
function withPageIndex(file: string, out: string): string {
  const src = readFileSync(file);
  const meta = decodeStruct(footerBytes(file));
  const rowGroup = (meta.find((f) => f.id === 4)!.v as ListValue).items[0] as Field[];
  const chunk = (rowGroup.find((f) => f.id === 1)!.v as ListValue).items[0] as Field[];
  chunk.push({ id: 4, t: 6, v: 4n }, { id: 5, t: 5, v: 10 });
  chunk.sort((x, y) => x.id - y.id);
  const footer = Buffer.from(encodeStruct(meta));
  const len = src.readUInt32LE(src.length - 8);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(footer.length, 0);
  tail.write('PAR1', 4, 'latin1');
  writeFileSync(out, Buffer.concat([src.subarray(0, src.length - 8 - len), footer, tail]));
  return out;
}

describe('concatParquetFiles', () => {
  it('decodes and re-encodes DuckDB footers to the same bytes', async () => {
    const parts = await patientBlocks('rt', 60);
    for (const files of Object.values(parts)) {
      const bytes = footerBytes(files[0]);
      expect(Buffer.from(encodeStruct(decodeStruct(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('lays the row groups of the blocks end to end: every row, in block order, readable with its statistics and bloom filters', async () => {
    const ours = await patientBlocks('cat', 300);
    // the same blocks as DuckDB's own COPY writes them (with bloom filters, which ours lack)
    const duck: Record<string, string[]> = {};
    await withDb(async (conn) => {
      for (const [table, files] of Object.entries(ours)) {
        duck[table] = [];
        for (const [k, f] of files.entries()) {
          const g = path.join(tmp.dir, 'cat', `duck-${table}-${k}.parquet`);
          await conn.run(`COPY (SELECT * FROM read_parquet('${f}')) TO '${g}' (FORMAT parquet, COMPRESSION zstd)`);
          duck[table].push(g);
        }
      }
    });
    for (const [writer, parts] of [['ours', ours], ['duckdb', duck]] as const) for (const [table, files] of Object.entries(parts)) {
      const out = path.join(tmp.dir, 'cat', `${writer}-${table}.parquet`);
      const rows = await concatParquetFiles(files, out);
      await withDb(async (conn) => {
        const list = `[${files.map((f) => `'${f}'`).join(', ')}]`;
        const [[expected]] = await rowsOf(conn, `SELECT count(*) FROM read_parquet(${list})`);
        expect(String(rows)).toBe(expected);
        // the same rows in the same sequence (file order, then row order)
        const a = await rowsOf(conn, `SELECT * FROM read_parquet(${list})`);
        const b = await rowsOf(conn, `SELECT * FROM read_parquet('${out}')`);
        expect(b).toEqual(a);
        // one row group per block row group, offsets inside the file and increasing
        const rg = await rowsOf(conn, `SELECT count(*) FROM (SELECT DISTINCT file_name, row_group_id FROM parquet_metadata(${list}))`);
        const rgOut = await rowsOf(conn, `SELECT count(DISTINCT row_group_id), coalesce(max(coalesce(dictionary_page_offset, data_page_offset)), 0) < (SELECT file_size_bytes FROM parquet_file_metadata('${out}')) FROM parquet_metadata('${out}')`);
        expect(rgOut[0][0]).toBe(String(Number(rg[0][0])));
        expect(rgOut[0][1]).toBe(true);
        // every offset moved with its bytes: each column chunk (dictionary and data pages) and
        // bloom filter of the output holds the very bytes it held in its block
        const chunks = async (list: string) => (await rowsOf(conn,
          `SELECT file_name, coalesce(dictionary_page_offset, data_page_offset), total_compressed_size, bloom_filter_offset, bloom_filter_length
           FROM parquet_metadata(${list}) ORDER BY list_position([${files.map((f) => `'${f}'`).join(', ')}], file_name), row_group_id, column_id`));
        const slice = (file: string, at: unknown, len: unknown) => readFileSync(file).subarray(Number(at), Number(at) + Number(len));
        const before = await chunks(list);
        const after = await chunks(`'${out}'`);
        expect(after.length).toBe(before.length);
        let blooms = 0;
        before.forEach(([f, at, len, bAt, bLen], i) => {
          expect(slice(out, after[i][1], after[i][2]).equals(slice(String(f), at, len))).toBe(true);
          expect(after[i][4]).toBe(bLen);
          if (bAt !== null) {
            blooms++;
            expect(slice(out, after[i][3], bLen).equals(slice(String(f), bAt, bLen))).toBe(true);
          }
        });
        if (table === 'lab_results' && writer === 'duckdb') expect(blooms).toBeGreaterThan(0);
      });
    }
    const parts = ours;
    // a point lookup (DuckDB consults the row groups' statistics and bloom filters) in each block
    const labs = path.join(tmp.dir, 'cat', 'ours-lab_results.parquet');
    await withDb(async (conn) => {
      for (const f of parts.lab_results) {
        const [[id, pid]] = await rowsOf(conn, `SELECT lab_result_id, patient_id FROM read_parquet('${f}') ORDER BY lab_result_id DESC LIMIT 1`);
        expect(await rowsOf(conn, `SELECT count(*) FROM read_parquet('${labs}') WHERE lab_result_id = '${id}'`)).toEqual([['1']]);
        const [[n]] = await rowsOf(conn, `SELECT count(*) FROM read_parquet('${f}') WHERE patient_id = '${pid}'`);
        expect(await rowsOf(conn, `SELECT count(*) FROM read_parquet('${labs}') WHERE patient_id = '${pid}'`)).toEqual([[n]]);
      }
    });
  });

  it('gives the same bytes for the same inputs, however the regions are copied', async () => {
    const parts = await patientBlocks('det', 90);
    const a = path.join(tmp.dir, 'det', 'a.parquet');
    const b = path.join(tmp.dir, 'det', 'b.parquet');
    await concatParquetFiles(parts.claims, a);
    // copied in 1,000-byte pieces instead of whole regions: the same bytes
    await concatParquetFiles(parts.claims, b, 1000);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    expect(readFileSync(a).length).toBeGreaterThan(3000);
  });

  it('refuses files it cannot move byte for byte, before writing anything', async () => {
    const parts = await patientBlocks('bad', 30);
    const out = path.join(tmp.dir, 'bad', 'out.parquet');
    // another schema
    await expect(concatParquetFiles([parts.patients[0], parts.encounters[0]], out)).rejects.toThrow(ParquetConcatUnsupported);
    await expect(concatParquetFiles([parts.patients[0], parts.encounters[0]], out)).rejects.toThrow(/a schema other than that of/);
    // not Parquet
    const junk = path.join(tmp.dir, 'bad', 'junk.parquet');
    writeFileSync(junk, 'this is not a parquet file at all');
    await expect(concatParquetFiles([parts.patients[0], junk], out)).rejects.toThrow(/no PAR1 magic/);
    // a footer that does not decode (cut short, here) is refused the same way
    const cut = path.join(tmp.dir, 'bad', 'cut.parquet');
    const whole = readFileSync(parts.patients[0]);
    const flen = whole.readUInt32LE(whole.length - 8);
    const shorter = Buffer.from(whole);
    shorter.writeUInt32LE(flen - 5, shorter.length - 8);
    writeFileSync(cut, Buffer.concat([shorter.subarray(0, shorter.length - 8 - flen), shorter.subarray(shorter.length - 8 - flen, shorter.length - 13), shorter.subarray(shorter.length - 8)]));
    await expect(concatParquetFiles([parts.patients[0], cut], out)).rejects.toThrow(/footer not readable/);
    // a footer that names a page index (whose own structures hold offsets) is refused
    const withIndex = withPageIndex(parts.patients[0], path.join(tmp.dir, 'bad', 'indexed.parquet'));
    await expect(concatParquetFiles([parts.patients[0], withIndex], out)).rejects.toThrow(/page indexes/);
    expect(existsSync(out)).toBe(false);
  });

  it('lets combineBlocks fall back to DuckDB\'s COPY for blocks it cannot concatenate, with the same rows', async () => {
    const parts = await patientBlocks('fallback', 90);
    const indexed = withPageIndex(parts.patients[1], path.join(tmp.dir, 'fallback', 'indexed.parquet'));
    const written = await combineBlocks(tables('patients'), { patients: [parts.patients[0], indexed, parts.patients[2]] }, path.join(tmp.dir, 'fallback', 'out'));
    await withDb(async (conn) => {
      const list = [parts.patients[0], parts.patients[1], parts.patients[2]].map((f) => `'${f}'`).join(', ');
      expect(await rowsOf(conn, `SELECT * FROM read_parquet('${written[0].file}')`)).toEqual(await rowsOf(conn, `SELECT * FROM read_parquet([${list}])`));
      // written by DuckDB: its own footer, not the blocks' row groups side by side
      const [[groups]] = await rowsOf(conn, `SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${written[0].file}')`);
      expect(groups).toBe('1');
    });
    expect(written[0].rows).toBe(90);
  });
});
