// Blocks combined as they arrive (store/blockCombiner.ts): the same bytes as the block files
// concatenated afterwards, whatever order the blocks come in; keys across blocks checked; a
// failure closes everything and says what went wrong.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetTableBytes, writeParquetTables } from '../../src/store/writeParquet.js';
import { combineBlocks, keyRangesFromFooters } from '../../src/store/combineParts.js';
import { BlockCombiner } from '../../src/store/blockCombiner.js';
import { ParquetAppender, ParquetConcatUnsupported, concatParquetFiles, decodeStruct, keyRangeOf } from '../../src/store/parquetConcat.js';
import type { Row } from '../../src/model/types.js';
import { PATIENT_TABLES, patientRows, tables, tempDir, type Rows } from './fixtures.js';

const tmp = tempDir('combiner');
afterAll(() => tmp.cleanup());

const DEFS = tables(...PATIENT_TABLES);

/** `n` patients cut into `k` blocks of patients (every table cut at the same fractions). */
function blocksOf(n: number, k: number): Rows[] {
  const rows = patientRows('cb01', n);
  return Array.from({ length: k }, (_, b) =>
    Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, r.slice(Math.floor((r.length * b) / k), Math.floor((r.length * (b + 1)) / k))])),
  );
}

/** The rows of `block` for the named tables only. */
const only = (block: Rows, ...names: string[]): Rows => Object.fromEntries(names.map((n) => [n, block[n] ?? []]));

async function bytesOf(block: Rows): Promise<Record<string, Uint8Array>> {
  return Object.fromEntries((await parquetTableBytes(DEFS, [block])).map((t) => [t.table, t.bytes]));
}

/** The blocks written as files and combined afterwards: what the streamed combine must equal. */
async function combinedFromFiles(name: string, blocks: Rows[]): Promise<Record<string, Buffer>> {
  const parts: Record<string, string[]> = {};
  for (const [k, b] of blocks.entries()) {
    for (const w of await writeParquetTables(DEFS, [b], path.join(tmp.dir, name, `b${k}`))) (parts[w.table] ??= []).push(w.file);
  }
  const out = path.join(tmp.dir, name, 'out');
  const written = await combineBlocks(DEFS, parts, out);
  return Object.fromEntries(written.map((w) => [w.table, readFileSync(w.file)]));
}

async function streamed(name: string, blocks: Rows[], order: number[], window = 64): Promise<Record<string, Buffer>> {
  const out = path.join(tmp.dir, name);
  const c = await BlockCombiner.create(DEFS, out, blocks.length, window);
  const bytes = await Promise.all(blocks.map(bytesOf));
  for (const i of order) c.add(i, bytes[i]);
  const written = await c.finish();
  expect(written.map((w) => w.table)).toEqual(DEFS.map((t) => t.name));
  return Object.fromEntries(written.map((w) => [w.table, readFileSync(w.file)]));
}

describe('parquetTableBytes', () => {
  it('gives the bytes writeParquetTables writes, each table in a buffer of its own', async () => {
    const [block] = blocksOf(40, 1);
    const files = await writeParquetTables(DEFS, [block], path.join(tmp.dir, 'bytes'));
    const bytes = await parquetTableBytes(DEFS, [block]);
    for (const [i, f] of files.entries()) {
      expect(bytes[i].table).toBe(f.table);
      expect(bytes[i].rows).toBe(f.rows);
      expect(Buffer.from(bytes[i].bytes).equals(readFileSync(f.file))).toBe(true);
      // transferable without taking anything else along
      expect(bytes[i].bytes.byteOffset).toBe(0);
      expect(bytes[i].bytes.buffer.byteLength).toBe(bytes[i].bytes.length);
    }
  });
});

describe('ParquetAppender', () => {
  it('appends whole files as they come to the bytes concatParquetFiles makes of them', async () => {
    const blocks = blocksOf(90, 4);
    const files: string[] = [];
    for (const [k, b] of blocks.entries()) files.push((await writeParquetTables(tables('lab_results'), [only(b, 'lab_results')], path.join(tmp.dir, 'app', `b${k}`)))[0].file);
    const viaFiles = path.join(tmp.dir, 'app', 'files.parquet');
    const rows = await concatParquetFiles(files, viaFiles);
    const viaBytes = path.join(tmp.dir, 'app', 'bytes.parquet');
    const a = await ParquetAppender.create(viaBytes);
    for (const f of files) await a.add(readFileSync(f), f);
    expect(await a.finish()).toBe(rows);
    expect(readFileSync(viaBytes).equals(readFileSync(viaFiles))).toBe(true);
  });

  it('refuses a file of another schema or no Parquet at all, and writes nothing of it', async () => {
    const [block] = blocksOf(20, 1);
    const [patients, encounters] = await parquetTableBytes(tables('patients', 'encounters'), [only(block, 'patients', 'encounters')]);
    const out = path.join(tmp.dir, 'app', 'refused.parquet');
    const a = await ParquetAppender.create(out);
    await a.add(patients.bytes, 'patients');
    const size = readFileSync(out).length;
    await expect(a.add(encounters.bytes, 'encounters')).rejects.toThrow(/a schema other than that of patients/);
    await expect(a.add(new TextEncoder().encode('not parquet, not at all'), 'junk')).rejects.toThrow(ParquetConcatUnsupported);
    expect(readFileSync(out).length).toBe(size);
    // the file still finishes as the one file it took
    expect(await a.finish()).toBe(patients.rows);
  });
});

describe('keyRangeOf', () => {
  it("reads the key range DuckDB's parquet_metadata reads from the same footers", async () => {
    const blocks = blocksOf(60, 3);
    const files: string[] = [];
    for (const [k, b] of blocks.entries()) files.push((await writeParquetTables(tables('lab_results'), [only(b, 'lab_results')], path.join(tmp.dir, 'kr', `b${k}`)))[0].file);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      expect(await keyRangesFromFooters(conn, 'lab_result_id', files)).toEqual({ rows: blocks.reduce((n, b) => n + b.lab_results.length, 0), ordered: true });
      for (const f of files) {
        const r = keyRangeOf(decodeStruct(footer(f)), 'lab_result_id');
        const [[lo, hi, n]] = (await conn.runAndReadAll(`SELECT min(lab_result_id), max(lab_result_id), count(*) FROM read_parquet('${f}')`)).getRowsJson();
        expect([Buffer.from(r.lo!).toString(), Buffer.from(r.hi!).toString(), String(r.rows), r.exact]).toEqual([lo, hi, n, true]);
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('is not exact for a column without statistics, and empty for a file without rows', async () => {
    const [block] = blocksOf(10, 1);
    const [labs] = await parquetTableBytes(tables('lab_results'), [only(block, 'lab_results')]);
    const meta = decodeStruct(footer(Buffer.from(labs.bytes)));
    expect(keyRangeOf(meta, 'no_such_column').exact).toBe(false);
    const [empty] = await parquetTableBytes(tables('procedures'), [{ procedures: [] }]);
    expect(keyRangeOf(decodeStruct(footer(Buffer.from(empty.bytes))), 'procedure_id')).toEqual({ rows: 0, lo: undefined, hi: undefined, exact: true });
  });
});

function footer(file: string | Buffer): Buffer {
  const buf = typeof file === 'string' ? readFileSync(file) : file;
  const len = buf.readUInt32LE(buf.length - 8);
  return buf.subarray(buf.length - 8 - len, buf.length - 8);
}

describe('BlockCombiner', () => {
  it('writes the bytes combineBlocks makes of the same blocks as files, whatever order they arrive in', async () => {
    const blocks = blocksOf(120, 5);
    const expected = await combinedFromFiles('ref', blocks);
    for (const [name, order] of [['inorder', [0, 1, 2, 3, 4]], ['reversed', [4, 3, 2, 1, 0]], ['shuffled', [2, 0, 4, 1, 3]]] as const) {
      const got = await streamed(name, blocks, [...order]);
      for (const t of DEFS) expect(got[t.name].equals(expected[t.name]), `${name} ${t.name}`).toBe(true);
    }
  });

  it('holds a thread back while `window` blocks wait ahead of the next one to write', async () => {
    const blocks = blocksOf(60, 4);
    const bytes = await Promise.all(blocks.map(bytesOf));
    const c = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'window'), 4, 2);
    await c.admit(0);
    await c.admit(1);
    let third = false;
    const admitted = c.admit(2).then(() => (third = true));
    c.add(1, bytes[1]);
    await new Promise((r) => setTimeout(r, 20));
    // block 1 waits for block 0, so nothing was written and block 2 may not start yet
    expect(third).toBe(false);
    c.add(0, bytes[0]);
    await admitted;
    expect(third).toBe(true);
    c.add(2, bytes[2]);
    await c.admit(3);
    c.add(3, bytes[3]);
    expect((await c.finish()).find((w) => w.table === 'patients')!.rows).toBe(60);
  });

  it('finds keys repeated across blocks (ranges out of order) with the full check on the combined file', async () => {
    const [a, b] = blocksOf(40, 2);
    // the second block repeats a lab result of the first
    const repeat: Rows = { ...b, lab_results: [...b.lab_results, a.lab_results[0]].sort(byKey('lab_result_id')) };
    const c = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'dup'), 2, 4);
    c.add(0, await bytesOf(a));
    c.add(1, await bytesOf(repeat));
    await expect(c.finish()).rejects.toThrow(/duplicate/i);
  });

  it('accepts blocks whose key ranges interleave when no key repeats (the full check passes)', async () => {
    const rows = patientRows('cb02', 40);
    // lab results split by odd and even position: every range overlaps the other block's
    const split = (r: Row[], odd: number) => r.filter((_, i) => i % 2 === odd);
    const blocks: Rows[] = [0, 1].map((odd) => ({ ...Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, odd ? [] : r])), lab_results: split(rows.lab_results, odd) }));
    const c = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'interleaved'), 2, 4);
    c.add(0, await bytesOf(blocks[0]));
    c.add(1, await bytesOf(blocks[1]));
    const written = await c.finish();
    expect(written.find((w) => w.table === 'lab_results')!.rows).toBe(rows.lab_results.length);
  });

  it('fails when a block is missing, given twice or lacks a table, and after abort lets waiting threads go', async () => {
    const blocks = blocksOf(30, 3);
    const bytes = await Promise.all(blocks.map(bytesOf));
    const missing = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'missing'), 3, 4);
    missing.add(0, bytes[0]);
    missing.add(2, bytes[2]);
    await expect(missing.finish()).rejects.toThrow(/1 of 3 blocks were combined/);

    const twice = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'twice'), 3, 4);
    twice.add(0, bytes[0]);
    twice.add(0, bytes[0]);
    await expect(twice.finish()).rejects.toThrow(/block 0 given twice/);

    const { lab_results: _dropped, ...partial } = bytes[1];
    const lacking = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'lacking'), 2, 4);
    lacking.add(0, bytes[0]);
    lacking.add(1, partial);
    await expect(lacking.finish()).rejects.toThrow(/block 1 has no lab_results file/);

    const aborted = await BlockCombiner.create(DEFS, path.join(tmp.dir, 'aborted'), 3, 1);
    const waiting = aborted.admit(2);
    waiting.catch(() => undefined); // asserted below, after the abort
    await aborted.abort(new Error('a worker failed'));
    await expect(waiting).rejects.toThrow(/a worker failed/);
    await expect(aborted.admit(0)).rejects.toThrow(/a worker failed/);
    await expect(aborted.finish()).rejects.toThrow(/a worker failed/);
    expect(existsSync(path.join(tmp.dir, 'aborted', 'patients.parquet'))).toBe(true);
  });
});

function byKey(col: string): (a: Row, b: Row) => number {
  return (a, b) => Buffer.compare(Buffer.from(String(a[col])), Buffer.from(String(b[col])));
}
