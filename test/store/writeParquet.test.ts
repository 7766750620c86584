import { describe, expect, it, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeParquetTables } from '../../src/store/writeParquet.js';
import { combineBlocks, keyRangesFromFooters } from '../../src/store/combineParts.js';
import type { Row } from '../../src/model/types.js';
import { PATIENT_TABLES, inBatches, patientRows, tables, tempDir } from './fixtures.js';
import { tableByName } from '../../src/model/registry.js';

const tmp = tempDir('wp');
afterAll(() => tmp.cleanup());

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('writeParquetTables', () => {
  const defs = tables(...PATIENT_TABLES);
  const rows = patientRows('ab12', 300);

  it('writes byte-identical Parquet whatever the batch boundaries, and reversed batch order sorts the same', async () => {
    const a = await writeParquetTables(defs, inBatches(rows, 7), path.join(tmp.dir, 'a'));
    const b = await writeParquetTables(defs, [rows], path.join(tmp.dir, 'b'));
    async function* asyncBatches() { for (const x of inBatches(rows, 1000)) yield x; }
    const c = await writeParquetTables(defs, asyncBatches(), path.join(tmp.dir, 'c'));
    // Rows arriving in another order still sort to the same bytes.
    const reversed = Object.fromEntries(Object.entries(rows).map(([t, r]) => [t, [...r].reverse()]));
    const d = await writeParquetTables(defs, inBatches(reversed, 50), path.join(tmp.dir, 'd'));
    expect(a.map((w) => w.table)).toEqual(PATIENT_TABLES);
    expect(a.map((w) => w.rows)).toEqual(PATIENT_TABLES.map((t) => rows[t].length));
    for (let i = 0; i < a.length; i++) {
      expect(sha(b[i].file)).toBe(sha(a[i].file));
      expect(sha(c[i].file)).toBe(sha(a[i].file));
      expect(sha(d[i].file)).toBe(sha(a[i].file));
    }
  });

  it('writes the same bytes from in-order rows (unpacked on the fly) as from shuffled rows (sorted), past a row group', async () => {
    const labs = tableByName('lab_results')!;
    // more rows than one Parquet row group (122,880), so the writer's row-group edges are compared too
    const n = 130_000;
    const row = (i: number): Row => ({
      lab_result_id: `L${String(i).padStart(7, '0')}`, patient_id: `P${i >> 6}`, encounter_id: i % 3 ? null : `E${i}`, effective_date: '2024-03-01',
      panel: 'cmp', code: '2345-7', code_system: 'LOINC', description: 'Glucose', value: 80 + (i % 97) / 10, unit: 'mg/dL',
      reference_low: 70, reference_high: i % 5 ? 99 : null, interpretation: 'N',
    });
    const inOrder = Array.from({ length: n }, (_, i) => row(i));
    const swapped = [...inOrder];
    [swapped[10], swapped[n - 10]] = [swapped[n - 10], swapped[10]];
    const a = await writeParquetTables([labs], inBatches({ lab_results: inOrder }, 5000), path.join(tmp.dir, 'rg-a'));
    const b = await writeParquetTables([labs], [{ lab_results: swapped }], path.join(tmp.dir, 'rg-b'));
    expect(a[0].rows).toBe(n);
    expect(sha(b[0].file)).toBe(sha(a[0].file));
  });

  it('keeps real types, nulls and order', async () => {
    const out = await writeParquetTables(tables('patients', 'medications', 'allergies'), [{ patients: rows.patients.slice(0, 3), medications: rows.medications.slice(0, 4) }], path.join(tmp.dir, 'types'));
    expect(out.find((w) => w.table === 'allergies')).toMatchObject({ rows: 0 });
    expect(existsSync(path.join(tmp.dir, 'types', 'allergies.parquet'))).toBe(true);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const desc = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out[0].file}')`);
    const types = Object.fromEntries(desc.getRows().map((r) => [r[0], r[1]]));
    expect(types).toMatchObject({ patient_id: 'VARCHAR', birth_date: 'DATE', age: 'INTEGER', plan_id: 'VARCHAR' });
    const m = await conn.runAndReadAll(`SELECT medication_id, dose_value, start_date::VARCHAR, end_date FROM read_parquet('${out[1].file}')`);
    expect(m.getRowsJson()).toEqual([
      ['ab12-P000001-M1', 500, '2020-02-02', null],
      ['ab12-P000001-M2', 20, '2023-02-02', null],
      ['ab12-P000002-M1', 500, '2020-02-03', null],
      ['ab12-P000003-M1', 500, '2020-02-04', null],
    ]);
    inst.closeSync();
  });

  it('stores DECIMAL and BOOLEAN exactly', async () => {
    const claims = tableByName('claims')!;
    const row = { claim_id: 'c1', member_id: 'm1', service_date: '2024-02-29', billed_amount: 1.005, paid_amount: 12345.67, allowed_amount: 0.1 + 0.2, member_responsibility: -3.5 };
    const out = await writeParquetTables([claims], [{ claims: [row] }], path.join(tmp.dir, 'dec'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(`SELECT billed_amount::VARCHAR, paid_amount::VARCHAR, allowed_amount::VARCHAR, member_responsibility::VARCHAR, typeof(paid_amount) FROM read_parquet('${out[0].file}')`);
    expect(r.getRowsJson()).toEqual([['1.01', '12345.67', '0.30', '-3.50', 'DECIMAL(12,2)']]);
    inst.closeSync();
  });

  it('rejects bad values, duplicate keys and unknown tables with clear messages', async () => {
    const p = tableByName('patients')!;
    await expect(writeParquetTables([p], [{ patients: [{ patient_id: 'x', person_id: 'y', birth_date: '2024-02-30' }] }], path.join(tmp.dir, 'bad1')))
      .rejects.toThrow('patients.birth_date: expected YYYY-MM-DD date, got "2024-02-30"');
    // the same value among rows out of key order (unpacked into the typed table, then sorted)
    await expect(writeParquetTables([p], [{ patients: [{ patient_id: 'y', person_id: 'y' }, { patient_id: 'x', person_id: 'x', birth_date: '2023-02-29' }] }], path.join(tmp.dir, 'bad1b')))
      .rejects.toThrow('patients.birth_date: expected YYYY-MM-DD date, got "2023-02-29"');
    await expect(writeParquetTables([p], [{ patients: [{ patient_id: 'x', person_id: 'y', age: 'old' }] }], path.join(tmp.dir, 'bad2')))
      .rejects.toThrow('patients.age: expected integer, got "old"');
    await expect(writeParquetTables([p], [{ patients: [{ patient_id: 'x', person_id: 'y' }] }, { patients: [{ patient_id: 'x', person_id: 'z' }] }], path.join(tmp.dir, 'bad3')))
      .rejects.toThrow('patients: 1 duplicated primary key value(s), e.g. x');
    await expect(writeParquetTables([p], [{ visits: [] }], path.join(tmp.dir, 'bad4')))
      .rejects.toThrow('generated rows for table "visits", which is not among the dataset\'s tables (patients)');
  });

  it('writes the same bytes after failed calls as before them (writers are reused from call to call, never one that failed)', async () => {
    const before = await writeParquetTables(defs, [rows], path.join(tmp.dir, 'before'));
    // one call fails while appending, one while writing (a repeated key, after the tables before
    // patients were written and their writers put back)
    await expect(writeParquetTables(defs, [{ ...rows, patients: [{ patient_id: 'x', person_id: 'y', age: 'old' }] }], path.join(tmp.dir, 'fail1')))
      .rejects.toThrow('patients.age: expected integer, got "old"');
    await expect(writeParquetTables(defs, [rows, { patients: [rows.patients[0]] }], path.join(tmp.dir, 'fail2')))
      .rejects.toThrow('patients: 1 duplicated primary key value(s)');
    const after = await writeParquetTables(defs, inBatches(rows, 13), path.join(tmp.dir, 'after'));
    expect(after.map((w) => w.rows)).toEqual(before.map((w) => w.rows));
    for (let i = 0; i < before.length; i++) expect(sha(after[i].file)).toBe(sha(before[i].file));
  });

  it('loads every value exactly, whether a row is packed or (holding a separator character) typed', async () => {
    const labs = tableByName('lab_results')!;
    const doubles = [0.1 + 0.2, 1e-300, -0, 5e-324, 1.7976931348623157e308, 123456.789, -42];
    const rows = doubles.map((value, i) => ({
      lab_result_id: `L${i}`, patient_id: 'P1', encounter_id: i % 2 ? null : `E${i}`, effective_date: '2024-02-29',
      panel: i === 3 ? 'odd\u001fpanel' : i === 4 ? 'odd\u001epanel' : i === 5 ? 'odd\u001dpanel' : 'cmp', code: '2345-7', code_system: 'LOINC',
      description: 'quote " comma , newline \n tab \t', value, unit: '', reference_low: null, reference_high: 99, interpretation: 'N',
    }));
    const out = await writeParquetTables([labs], [{ lab_results: rows.slice(0, 4) }, { lab_results: rows.slice(4) }], path.join(tmp.dir, 'exact'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(`SELECT lab_result_id, encounter_id, effective_date::VARCHAR, panel, description, value, unit, reference_low FROM read_parquet('${out[0].file}') ORDER BY lab_result_id`);
    const got = r.getRowsJson() as unknown[][];
    expect(got.map((g) => g[3])).toEqual(['cmp', 'cmp', 'cmp', 'odd\u001fpanel', 'odd\u001epanel', 'odd\u001dpanel', 'cmp']);
    const values = (r.getRows() as unknown[][]).map((g) => g[5] as number);
    values.forEach((v, i) => expect(Object.is(v, doubles[i])).toBe(true));
    expect(got.map((g) => g[1])).toEqual(['E0', null, 'E2', null, 'E4', null, 'E6']);
    expect(new Set(got.map((g) => `${g[2]}|${g[4]}|${g[6]}|${g[7]}`))).toEqual(new Set(['2024-02-29|quote " comma , newline \n tab \t||null']));
    inst.closeSync();
  });

  it('keeps empty strings and NULLs apart at the ends of lines, across many packed flushes', async () => {
    const labs = tableByName('lab_results')!;
    const pick = <T>(i: number, xs: T[]): T => xs[i % xs.length];
    const rows = Array.from({ length: 9_000 }, (_, i) => ({
      lab_result_id: `L${String(i).padStart(5, '0')}`, patient_id: 'P1', encounter_id: pick(i, [null, '', 'E']), effective_date: '2024-01-01',
      panel: 'cmp', code: '2345-7', code_system: 'LOINC', description: pick(i, ['', 'd', '']), value: i, unit: pick(i, ['', null, 'mg/dL', '']),
      reference_low: null, reference_high: null, interpretation: pick(i, [null, '', 'N', '', null]),
    }));
    const out = await writeParquetTables([labs], inBatches({ lab_results: rows }, 700), path.join(tmp.dir, 'ends'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(`SELECT lab_result_id, encounter_id, description, unit, interpretation, value FROM read_parquet('${out[0].file}')`);
    expect(r.getRowsJson()).toEqual(rows.map((x) => [x.lab_result_id, x.encounter_id, x.description, x.unit, x.interpretation, x.value]));
    inst.closeSync();
  });

  it('loads text exactly as UTF-8: accents, CJK, emoji, NUL, a lone surrogate, and values longer than the packing buffer', async () => {
    const labs = tableByName('lab_results')!;
    const long = 'x'.repeat(3 << 20); // 3 MB: longer than the 1 MB packing buffer
    const texts = ['Sjögren', '糖尿病', 'emoji 🩺 ok', 'nul \u0000 inside', 'lone \ud800 surrogate', 'é at the end é', long, 'after the long one', 'ascii'];
    const rows = texts.map((description, i) => ({
      lab_result_id: `L${i}`, patient_id: 'P1', encounter_id: null, effective_date: '2024-01-01', panel: 'cmp', code: '2345-7',
      code_system: 'LOINC', description, value: i, unit: 'mg/dL', reference_low: null, reference_high: null, interpretation: 'N',
    }));
    const out = await writeParquetTables([labs], inBatches({ lab_results: rows }, 3), path.join(tmp.dir, 'utf8'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const r = await conn.runAndReadAll(`SELECT description FROM read_parquet('${out[0].file}') ORDER BY lab_result_id`);
    // a lone surrogate is not representable in UTF-8: it arrives as U+FFFD, as DuckDB's own string conversion does
    expect(r.getRowsJson().map((g) => g[0])).toEqual(texts.map((t) => t.replace('\ud800', '\ufffd')));
    inst.closeSync();
  });

  describe('combineBlocks', () => {
    const cut = (fractions: number[], reverse = false) => {
      const at = fractions.map((f) => Math.floor(f * rows.patients.length));
      return at.slice(0, -1).map((from, k) => {
        const ids = new Set(rows.patients.slice(from, at[k + 1]).map((p) => p.patient_id));
        return Object.fromEntries(Object.entries(rows).map(([t, r]) => {
          const mine = t === 'providers' || t === 'facilities' ? (k === 0 ? r : []) : r.filter((x) => ids.has(x.patient_id as string));
          return [t, reverse ? [...mine].reverse() : mine];
        }));
      });
    };
    async function writeBlocks(blocks: Record<string, Row[]>[], name: string, batch = 1000): Promise<Record<string, string[]>> {
      const parts: Record<string, string[]> = {};
      for (const [k, b] of blocks.entries()) {
        const w = await writeParquetTables(defs, inBatches(b, batch), path.join(tmp.dir, name, `block-${k}`));
        for (const f of w) (parts[f.table] ??= []).push(f.file);
      }
      return parts;
    }
    const digest = async (file: string) => {
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      const r = await conn.runAndReadAll(`SELECT count(*), bit_xor(hash(t)) FROM read_parquet('${file}') t`);
      inst.closeSync();
      return r.getRowsJson()[0];
    };

    it('concatenates sorted blocks into the same rows as a one-piece write, the same bytes however each block was fed', async () => {
      const whole = await writeParquetTables(defs, [rows], path.join(tmp.dir, 'whole'));
      const blocks = cut([0, 0.2, 0.75, 1]);
      const a = await combineBlocks(defs, await writeBlocks(blocks, 'a', 7), path.join(tmp.dir, 'a', 'out'));
      // rows fed in another order and other batches: each block file sorts to the same bytes
      const b = await combineBlocks(defs, await writeBlocks(cut([0, 0.2, 0.75, 1], true), 'b', 1000), path.join(tmp.dir, 'b', 'out'));
      expect(a.map((w) => w.rows)).toEqual(whole.map((w) => w.rows));
      for (let i = 0; i < a.length; i++) {
        expect(sha(b[i].file)).toBe(sha(a[i].file));
        expect(await digest(a[i].file)).toEqual(await digest(whole[i].file));
      }
      // the concatenation is in key order
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      const file = a.find((w) => w.table === 'lab_results')!.file;
      const r = await conn.runAndReadAll(`SELECT count(*) FROM (SELECT lab_result_id < lead(lab_result_id) OVER () AS up FROM read_parquet('${file}')) WHERE up = false`);
      expect(Number(r.getRows()[0][0])).toBe(0);
      inst.closeSync();
    });

    it('gives one block the sorted write of a one-piece table', async () => {
      const whole = await writeParquetTables(defs, [rows], path.join(tmp.dir, 'whole1'));
      const one = await combineBlocks(defs, await writeBlocks(cut([0, 1], true), 'one'), path.join(tmp.dir, 'one', 'out'));
      one.forEach((w, i) => expect(sha(w.file)).toBe(sha(whole[i].file)));
    });

    it('accepts blocks out of key order when no key repeats, and refuses a key in two blocks', async () => {
      const parts = await writeBlocks(cut([0, 0.5, 1]), 'swap');
      const swapped = Object.fromEntries(Object.entries(parts).map(([t, f]) => [t, [...f].reverse()]));
      const out = await combineBlocks(tables('patients'), swapped, path.join(tmp.dir, 'swap', 'out'));
      expect(out[0].rows).toBe(rows.patients.length);
      const dup = { patients: [parts.patients[0], parts.patients[1], parts.patients[0]] };
      await expect(combineBlocks(tables('patients'), dup, path.join(tmp.dir, 'dup'))).rejects.toThrow(/patients: \d+ duplicated primary key value\(s\), e\.g\. /);
    });

    it('reads the blocks\' key ranges from their footers when the writer recorded them exactly, and from the rows otherwise', async () => {
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      try {
        const parts = await writeBlocks(cut([0, 0.3, 0.6, 1]), 'ranges');
        expect(await keyRangesFromFooters(conn, 'patient_id', parts.patients)).toEqual({ rows: rows.patients.length, ordered: true });
        expect(await keyRangesFromFooters(conn, 'lab_result_id', parts.lab_results)).toEqual({ rows: rows.lab_results.length, ordered: true });
        expect(await keyRangesFromFooters(conn, 'patient_id', [parts.patients[1], parts.patients[0], parts.patients[2]])).toEqual({ rows: rows.patients.length, ordered: false });
        // blocks whose key ranges interleave without a shared key: out of order, yet unique
        const odd = rows.patients.filter((_r, i) => i % 2 === 1);
        const even = rows.patients.filter((_r, i) => i % 2 === 0);
        const interleaved = await writeBlocks([{ patients: even }, { patients: odd }], 'interleaved');
        expect(await keyRangesFromFooters(conn, 'patient_id', interleaved.patients)).toEqual({ rows: rows.patients.length, ordered: false });
        const out = await combineBlocks(tables('patients'), { patients: interleaved.patients }, path.join(tmp.dir, 'interleaved', 'out'));
        expect(out[0].rows).toBe(rows.patients.length);
        // keys of 300 characters: the writer keeps no min/max for text over 256 bytes (DuckDB
        // truncates it and marks it inexact), so the footers cannot tell; combineBlocks then reads
        // the rows, and still finds a key that two blocks share
        const long = (r: Row) => ({ ...r, patient_id: `${'x'.repeat(300)}${r.patient_id as string}` });
        const lp = rows.patients.map(long);
        const longParts = await writeBlocks([{ patients: lp.slice(0, 100) }, { patients: lp.slice(100) }], 'long');
        expect(await keyRangesFromFooters(conn, 'patient_id', longParts.patients)).toBeUndefined();
        const longOut = await combineBlocks(tables('patients'), { patients: longParts.patients }, path.join(tmp.dir, 'long', 'out'));
        expect(longOut[0].rows).toBe(lp.length);
        const longDup = await writeBlocks([{ patients: lp.slice(0, 100) }, { patients: lp.slice(99) }], 'longdup');
        await expect(combineBlocks(tables('patients'), { patients: longDup.patients }, path.join(tmp.dir, 'longdup', 'out'))).rejects.toThrow(/patients: 1 duplicated primary key value/);
      } finally {
        conn.closeSync();
        inst.closeSync();
      }
    });
  });
});
