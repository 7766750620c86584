import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ParquetTableWriter, compareText, dateDays, loadCodec, type TextMode } from '../../src/store/parquetWriter.js';
import { concatParquetFiles } from '../../src/store/parquetConcat.js';
import { col, type Row, type TableDef } from '../../src/model/types.js';
import { tempDir } from './fixtures.js';

const tmp = tempDir('pw');
let inst: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  await loadCodec();
  inst = await DuckDBInstance.create(':memory:');
  conn = await inst.connect();
});
afterAll(() => {
  conn?.closeSync();
  inst?.closeSync();
  tmp.cleanup();
});

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A table with every column type the model has. */
const ALL: TableDef = {
  name: 'all_types',
  description: 'test',
  products: ['patientsim'],
  primaryKey: ['id'],
  columns: [
    col('id', 'VARCHAR', 'key', { nullable: false }),
    col('label', 'VARCHAR', 'low-cardinality text'),
    col('note', 'VARCHAR', 'high-cardinality text'),
    col('n', 'INTEGER', 'int'),
    col('big', 'BIGINT', 'bigint'),
    col('x', 'DOUBLE', 'double'),
    col('flag', 'BOOLEAN', 'bool'),
    col('day', 'DATE', 'date'),
    col('amount', 'DECIMAL(12,2)', 'money'),
    col('dose', 'DECIMAL(6,3)', 'small decimal'),
  ],
};

const DATES = ['2024-02-29', '1900-03-01', '1970-01-01', '1969-12-31', '2000-02-29', '9999-12-31', '0001-01-01'];

function allRow(i: number): Row {
  return {
    id: `K${String(i).padStart(6, '0')}`,
    label: i % 11 === 0 ? null : ['alpha', 'beta', 'gamma', 'Ωmega'][i % 4],
    note: i % 7 === 0 ? null : `note ${i * 7919}`,
    n: i % 5 === 0 ? null : (i % 2 ? -1 : 1) * i * 1000,
    big: i % 6 === 0 ? null : (i % 2 ? -1 : 1) * (2 ** 40 + i),
    x: i % 9 === 0 ? null : [0, -0, 1.5, -2.25, 1e-300, 1e300, Infinity, -Infinity, Math.PI][i % 9],
    flag: i % 4 === 3 ? null : i % 3 === 0,
    day: i % 8 === 7 ? null : DATES[i % DATES.length],
    amount: i % 10 === 9 ? null : (i % 2 ? -1 : 1) * (i * 12.345),
    dose: i % 12 === 11 ? null : (i % 1000) / 8,
  };
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
}

/** The rows DuckDB reads back, as JSON-comparable values. */
async function readBack(file: string): Promise<unknown[][]> {
  const r = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
  return r.getRowsJson() as unknown[][];
}

let tables = 0;

/** The same rows typed by DuckDB itself, for comparison. */
async function viaDuckDb(table: TableDef, data: readonly Row[]): Promise<unknown[][]> {
  const name = `expected_${table.name}_${++tables}`;
  await conn.run(`CREATE TABLE ${name} (${table.columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  const values = data.map((r) => `(${table.columns.map((c) => {
    const v = r[c.name];
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'::${c.type}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `'${v > 0 ? 'inf' : '-inf'}'::DOUBLE`;
    return `${Object.is(v, -0) ? '-0.0' : String(v)}::${c.type}`;
  }).join(', ')})`);
  for (let k = 0; k < values.length; k += 500) await conn.run(`INSERT INTO ${name} VALUES ${values.slice(k, k + 500).join(', ')}`);
  const r = await conn.runAndReadAll(`SELECT * FROM ${name} ORDER BY ${table.primaryKey.map((k) => `"${k}"`).join(', ')}`);
  return r.getRowsJson() as unknown[][];
}

function write(table: TableDef, data: readonly Row[], file: string, opts: { batches?: number; rowGroupRows?: number; textMode?: TextMode } = {}): number {
  const w = new ParquetTableWriter(table, { rowGroupRows: opts.rowGroupRows, textMode: opts.textMode });
  const size = opts.batches ?? data.length;
  for (let k = 0; k < data.length; k += Math.max(1, size)) w.append(data.slice(k, k + size));
  return w.write(path.join(tmp.dir, file));
}

describe('ParquetTableWriter', () => {
  const data = Array.from({ length: 3_000 }, (_, i) => allRow(i));

  it('writes every column type so DuckDB reads back the same values and types as its own', async () => {
    expect(write(ALL, data, 'all.parquet', { rowGroupRows: 1_000 })).toBe(data.length);
    const file = path.join(tmp.dir, 'all.parquet');
    const types = await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`);
    expect(types).toEqual(ALL.columns.map((c) => [c.name, c.type]));
    expect(await readBack(file)).toEqual(await viaDuckDb(ALL, data));
    // three row groups of 1,000, each with min/max statistics DuckDB reads as exact
    const meta = await rows(`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${file}') ORDER BY 1`);
    expect(meta.map((m) => Number(m[1]))).toEqual([1000, 1000, 1000]);
    const keyStats = await rows(`SELECT stats_min_value, stats_max_value, min_is_exact, max_is_exact, stats_null_count FROM parquet_metadata('${file}') WHERE path_in_schema = 'id' ORDER BY row_group_id`);
    expect(keyStats[0]).toEqual(['K000000', 'K000999', true, true, 0n]);
    const n = await rows(`SELECT min(n), max(n), count(n) FROM read_parquet('${file}') WHERE n BETWEEN -5000 AND 5000`);
    expect(n[0]).toEqual([-3000, 4000, 4n]);
  });

  it('uses a dictionary for values that repeat (text and numbers), DELTA_BYTE_ARRAY for the key, PLAIN for the rest', async () => {
    const file = path.join(tmp.dir, 'all.parquet');
    const enc = await rows(`SELECT path_in_schema, encodings FROM parquet_metadata('${file}') WHERE row_group_id = 0 ORDER BY column_id`);
    const of = (c: string) => String(enc.find((e) => e[0] === c)?.[1]);
    expect(of('id')).toContain('DELTA_BYTE_ARRAY');
    expect(of('id')).not.toContain('DICTIONARY');
    // few distinct values: 4 labels, 9 doubles, 7 dates, 2 booleans (never a dictionary)
    for (const c of ['label', 'x', 'day']) expect(of(c)).toContain('RLE_DICTIONARY');
    // (almost) every value distinct
    for (const c of ['note', 'n', 'big', 'amount', 'flag']) expect(of(c)).not.toContain('DICTIONARY');
  });

  it('keeps 0 and -0 apart in a dictionary of doubles, and gives up on one past half distinct values', async () => {
    const t: TableDef = { ...ALL, name: 'numbers', columns: [col('id', 'VARCHAR', 'key', { nullable: false }), col('x', 'DOUBLE', 'double'), col('d', 'DECIMAL(12,2)', 'money'), col('k', 'INTEGER', 'int')] };
    const n = 4_000;
    const r = Array.from({ length: n }, (_, i): Row => ({
      id: `N${String(i).padStart(5, '0')}`,
      x: [0, -0, 2.5, null][i % 4],
      // distinct for the first half of the chunk, then repeats: the probe gives up at 1,024
      d: i < 2_000 ? i / 100 : 1.25,
      // 1,000 distinct values, all within the first 1,024: a dictionary
      k: i % 1_000,
    }));
    const file = path.join(tmp.dir, 'numbers.parquet');
    write(t, r, 'numbers.parquet');
    const enc = await rows(`SELECT path_in_schema, encodings FROM parquet_metadata('${file}') ORDER BY column_id`);
    const of = (c: string) => String(enc.find((e) => e[0] === c)?.[1]);
    expect(of('x')).toContain('RLE_DICTIONARY');
    expect(of('d')).not.toContain('DICTIONARY');
    expect(of('k')).toContain('RLE_DICTIONARY');
    expect(await rows(`SELECT count(*) FILTER (x = 0 AND signbit(x)), count(*) FILTER (x = 0 AND NOT signbit(x)), count(x) FROM read_parquet('${file}')`)).toEqual([[1_000n, 1_000n, 3_000n]]);
    expect(await readBack(file)).toEqual(await viaDuckDb(t, r));
  });

  it('writes keys as DELTA_BYTE_ARRAY that DuckDB reads back, whatever their count, lengths and shared prefixes', async () => {
    const t: TableDef = { ...ALL, name: 'keys', columns: [col('id', 'VARCHAR', 'key', { nullable: false }), col('v', 'INTEGER', 'int')] };
    // counts around the 32-value miniblocks and 128-value blocks; keys from 1 to 300 bytes, some
    // sharing nothing with the one before, some sharing all of it (a key that is a prefix of the next)
    for (const n of [1, 2, 32, 33, 128, 129, 130, 257, 1_000]) {
      const keys = Array.from({ length: n }, (_, i) => {
        const base = `${String.fromCharCode(65 + (i % 26))}${'x'.repeat((i * 37) % 300)}`;
        return i % 5 === 0 ? `${base}é${i}` : i % 7 === 0 ? base : `${base}-${i}`;
      });
      const unique = [...new Set(keys)];
      const r = unique.map((id, i): Row => ({ id, v: i }));
      const file = path.join(tmp.dir, `keys-${n}.parquet`);
      write(t, r, `keys-${n}.parquet`, { rowGroupRows: 100 });
      const back = await rows(`SELECT id, v FROM read_parquet('${file}')`);
      const expected = (await viaDuckDb(t, r)).map((x) => [x[0], x[1]]);
      expect(back).toEqual(expected);
    }
  });

  it('gives the same bytes whatever the batches and the order rows arrive in', () => {
    write(ALL, data, 'one.parquet');
    write(ALL, data, 'batched.parquet', { batches: 7 });
    write(ALL, [...data].reverse(), 'reversed.parquet', { batches: 100 });
    const shuffled = [...data];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    write(ALL, shuffled, 'shuffled.parquet', { batches: 333 });
    const a = sha(path.join(tmp.dir, 'one.parquet'));
    for (const f of ['batched', 'reversed', 'shuffled']) expect(sha(path.join(tmp.dir, `${f}.parquet`))).toBe(a);
  });

  it('writes the same bytes from a reset writer as from a new one, whatever the last file held', () => {
    // the writer pool of writeParquetTables reuses writers block after block: a reset must forget
    // the last file's rows, dictionaries, last values, order and NULL keys, and keep nothing but
    // arrays (a larger last file leaves larger arrays)
    const other = Array.from({ length: 5_000 }, (_, i) => ({ ...allRow(10_000 + i), label: `other ${i % 3}` }));
    const reversed = [...other].reverse();
    const w = new ParquetTableWriter(ALL, { rowGroupRows: 1_000 });
    w.append(reversed);
    w.append([{ ...allRow(1), id: null }]);
    expect(() => w.write(path.join(tmp.dir, 'refused.parquet'))).toThrow(/null primary key/);
    w.reset();
    w.append(reversed);
    expect(w.write(path.join(tmp.dir, 'first.parquet'))).toBe(5_000);
    w.reset();
    for (let k = 0; k < data.length; k += 250) w.append(data.slice(k, k + 250));
    expect(w.write(path.join(tmp.dir, 'reused.parquet'))).toBe(data.length);
    write(ALL, data, 'fresh.parquet', { rowGroupRows: 1_000 });
    expect(sha(path.join(tmp.dir, 'reused.parquet'))).toBe(sha(path.join(tmp.dir, 'fresh.parquet')));
    write(ALL, other, 'first-fresh.parquet', { rowGroupRows: 1_000 });
    expect(sha(path.join(tmp.dir, 'first.parquet'))).toBe(sha(path.join(tmp.dir, 'first-fresh.parquet')));
  });

  it('sorts text keys in UTF-8 byte order, as DuckDB does (JavaScript would put an astral character first)', async () => {
    const keys = ['b', 'a', 'é', '\uff01', '😀', 'Z', 'a\u0000', 'ab', '\ud7ff', '\ue000'];
    const t: TableDef = { ...ALL, name: 'keys', columns: [col('id', 'VARCHAR', 'key', { nullable: false })] };
    write(t, keys.map((id) => ({ id })), 'utf8.parquet');
    const got = (await rows(`SELECT id FROM read_parquet('${path.join(tmp.dir, 'utf8.parquet')}')`)).map((r) => r[0]);
    const duck = (await rows(`SELECT id FROM (VALUES ${keys.map((k) => `('${k.replaceAll('\u0000', "' || chr(0) || '")}')`).join(', ')}) v(id) ORDER BY id`)).map((r) => r[0]);
    expect(got).toEqual(duck);
    expect(compareText('😀', '\uff01')).toBeGreaterThan(0);
    expect('😀' < '\uff01').toBe(true);
  });

  it('sorts by order columns then the rest of a composite key, NULLs last, and finds repeats that are not neighbours', async () => {
    const t: TableDef = {
      name: 'visits_by_day', description: 'test', products: ['patientsim'],
      primaryKey: ['site', 'seq'], orderBy: ['day'],
      columns: [col('site', 'VARCHAR', 'site', { nullable: false }), col('seq', 'INTEGER', 'seq', { nullable: false }), col('day', 'DATE', 'day'), col('v', 'DOUBLE', 'v')],
    };
    const data: Row[] = [];
    for (let i = 0; i < 200; i++) data.push({ site: ['b', 'a', 'é', 'A'][i % 4], seq: 199 - i, day: i % 9 === 0 ? null : DATES[i % 5], v: i / 3 });
    write(t, data, 'composite.parquet', { batches: 17 });
    const got = await rows(`SELECT site, seq FROM read_parquet('${path.join(tmp.dir, 'composite.parquet')}')`);
    await conn.run(`CREATE TABLE composite AS SELECT * FROM read_parquet('${path.join(tmp.dir, 'composite.parquet')}')`);
    expect(got).toEqual(await rows('SELECT site, seq FROM composite ORDER BY day ASC NULLS LAST, site, seq'));
    // the same (site, seq) on two days: not neighbours in the written order, still a repeat
    const dup = [...data, { site: 'b', seq: 199, day: '2000-02-29', v: 0 }];
    expect(() => write(t, dup, 'composite-dup.parquet')).toThrow(/visits_by_day: 1 duplicated primary key value\(s\), e\.g\. b, 199/);
  });

  describe('text held as ids or as bytes', () => {
    const MODES: TextMode[] = ['dict', 'bytes', 'auto'];
    const TEXT: TableDef = {
      name: 'texts', description: 'test', products: ['patientsim'], primaryKey: ['id'], orderBy: ['grp'],
      columns: [col('id', 'VARCHAR', 'key', { nullable: false }), col('grp', 'VARCHAR', 'order column'), col('run', 'VARCHAR', 'runs'), col('few', 'VARCHAR', 'few values'), col('many', 'VARCHAR', 'mostly distinct'), col('odd', 'VARCHAR', 'odd text')],
    };
    const ODD = ['é', 'Ωmega', '糖尿病', '🩺', 'a\ud800', 'a\udbff', 'a\ufffd', '', 'nul \u0000', 'x'.repeat(300), 'x'.repeat(299) + 'y'];
    const textRow = (i: number, salt = ''): Row => ({
      id: `T${salt}${String(i).padStart(6, '0')}`,
      grp: i % 13 === 0 ? null : ['b', 'a', 'é', 'A', '🩺'][i % 5],
      run: i % 50 === 49 ? null : `${salt}encounter-${Math.floor(i / 7)}`,
      few: ['alpha', 'beta', null, 'Ωmega'][i % 4],
      many: i % 3 === 0 ? null : `${salt}note ${i * 7919}`,
      odd: ODD[i % ODD.length],
    });

    it('writes the same bytes whichever way, for runs, few and many values, NULLs, non-ASCII, lone surrogates and a text order column', async () => {
      const data = Array.from({ length: 5_000 }, (_, i) => textRow(i));
      const shas = MODES.map((m) => {
        write(TEXT, data, `texts-${m}.parquet`, { rowGroupRows: 2_000, batches: 333, textMode: m });
        return sha(path.join(tmp.dir, `texts-${m}.parquet`));
      });
      expect(new Set(shas).size).toBe(1);
      const file = path.join(tmp.dir, 'texts-bytes.parquet');
      // two values that differ only in a lone surrogate are one value in UTF-8 (U+FFFD), and
      // the dictionary has each value once
      const odd = await rows(`SELECT count(DISTINCT odd), count(*) FILTER (odd = 'a\ufffd') FROM read_parquet('${file}')`);
      const replaced = data.filter((r) => ['a\ud800', 'a\udbff', 'a\ufffd'].includes(r.odd as string)).length;
      expect(odd).toEqual([[BigInt(ODD.length - 2), BigInt(replaced)]]);
      const enc = await rows(`SELECT path_in_schema, encodings, stats_min_value, stats_max_value FROM parquet_metadata('${file}') WHERE row_group_id = 0 ORDER BY column_id`);
      const of = (c: string) => enc.find((e) => e[0] === c)!;
      expect(String(of('few')[1])).toContain('RLE_DICTIONARY');
      expect(String(of('many')[1])).not.toContain('DICTIONARY');
      // min/max by UTF-8 bytes: the empty string first, the emoji (a 0xF0 lead byte) last
      expect(of('odd').slice(2)).toEqual(['', '🩺']);
      expect(of('few').slice(2)).toEqual(['alpha', 'Ωmega']);
      await conn.run(`CREATE TABLE texts_back AS SELECT * FROM read_parquet('${file}')`);
      expect(await rows('SELECT id FROM texts_back')).toEqual(await rows('SELECT id FROM texts_back ORDER BY grp ASC NULLS LAST, id'));
      expect((await readBack(file)).map((r) => r[2])).toEqual(
        (await rows('SELECT run FROM texts_back')).map((r) => r[0]),
      );
      // in key order the runs stay runs: a dictionary, built from the bytes of each run once
      const byId: TableDef = { ...TEXT, name: 'texts_by_id', orderBy: undefined };
      const runShas = MODES.map((m) => {
        write(byId, data, `runs-${m}.parquet`, { rowGroupRows: 2_000, textMode: m });
        return sha(path.join(tmp.dir, `runs-${m}.parquet`));
      });
      expect(new Set(runShas).size).toBe(1);
      const runEnc = await rows(`SELECT encodings FROM parquet_metadata('${path.join(tmp.dir, 'runs-bytes.parquet')}') WHERE path_in_schema = 'run'`);
      for (const e of runEnc) expect(String(e[0])).toContain('RLE_DICTIONARY');
      expect(await rows(`SELECT count(DISTINCT run), count(run) FROM read_parquet('${path.join(tmp.dir, 'runs-bytes.parquet')}')`)).toEqual([[715n, 4_900n]]);
    });

    it('switches way from block to block by the last block (auto), and each file is the one a new writer writes', () => {
      // unique values, then few, then unique again: `many` goes to bytes, back to ids, to bytes
      const blocks = [
        Array.from({ length: 3_000 }, (_, i) => textRow(i, 'a')),
        Array.from({ length: 3_000 }, (_, i) => ({ ...textRow(i, 'b'), many: ['x', 'y'][i % 2], run: 'same' })),
        Array.from({ length: 3_000 }, (_, i) => textRow(i, 'c')),
        Array.from({ length: 10 }, (_, i) => textRow(i, 'd')),
      ];
      const w = new ParquetTableWriter(TEXT, { rowGroupRows: 1_000 });
      blocks.forEach((b, k) => {
        w.reset();
        for (let j = 0; j < b.length; j += 250) w.append(b.slice(j, j + 250));
        w.write(path.join(tmp.dir, `switch-${k}.parquet`));
        write(TEXT, b, `switch-fresh-${k}.parquet`, { rowGroupRows: 1_000, textMode: 'dict' });
        expect(sha(path.join(tmp.dir, `switch-${k}.parquet`)), `block ${k}`).toBe(sha(path.join(tmp.dir, `switch-fresh-${k}.parquet`)));
      });
    });

    it('finds a repeated key, a NULL key and a value of the wrong type in bytes mode too', () => {
      const dup = [...Array.from({ length: 100 }, (_, i) => textRow(i)), { ...textRow(7), grp: 'zz' }];
      expect(() => write(TEXT, dup, 'texts-dup.parquet', { textMode: 'bytes' })).toThrow(/texts: 1 duplicated primary key value\(s\), e\.g\. T000007/);
      expect(() => write(TEXT, [textRow(1), { ...textRow(2), id: null }], 'texts-null.parquet', { textMode: 'bytes' })).toThrow(/texts: 1 row\(s\) with a null primary key/);
      expect(() => write(TEXT, [textRow(1), { ...textRow(2), many: 5 }], 'texts-type.parquet', { textMode: 'bytes' })).toThrow('texts.many: expected string, got 5');
    });
  });

  it('writes a table of no rows that reads back empty with its types', async () => {
    expect(write(ALL, [], 'empty.parquet')).toBe(0);
    const file = path.join(tmp.dir, 'empty.parquet');
    expect(await rows(`SELECT count(*) FROM read_parquet('${file}')`)).toEqual([[0n]]);
    expect((await rows(`SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).map((r) => r[0])).toEqual(ALL.columns.map((c) => c.type));
  });

  it('encodes long runs, alternating nulls and more than 65,536 distinct values', async () => {
    const t: TableDef = { ...ALL, name: 'runs', columns: [col('id', 'VARCHAR', 'key', { nullable: false }), col('v', 'VARCHAR', 'text'), col('g', 'INTEGER', 'int')] };
    const n = 140_000;
    const r = Array.from({ length: n }, (_, i): Row => ({
      id: `R${String(i).padStart(7, '0')}`,
      // runs of 1, 3, 9, 27 … then distinct values beyond the dictionary's limit
      v: i < 60_000 ? `run${Math.floor(Math.log(i + 1) / Math.log(3))}` : i % 2 ? null : `u${i}`,
      g: i % 3 === 0 ? null : i,
    }));
    write(t, r, 'runs.parquet', { rowGroupRows: 70_000 });
    expect(await readBack(path.join(tmp.dir, 'runs.parquet'))).toEqual(r.map((x) => [x.id, x.v, x.g]));
  });

  it('writes files that concatenate byte for byte with parquetConcat', async () => {
    const half = data.length / 2;
    write(ALL, data.slice(0, half), 'part0.parquet', { rowGroupRows: 1_000 });
    write(ALL, data.slice(half), 'part1.parquet', { rowGroupRows: 1_000 });
    const out = path.join(tmp.dir, 'joined.parquet');
    expect(await concatParquetFiles([path.join(tmp.dir, 'part0.parquet'), path.join(tmp.dir, 'part1.parquet')], out)).toBe(data.length);
    expect(await readBack(out)).toEqual(await readBack(path.join(tmp.dir, 'all.parquet')));
  });

  it('refuses a repeated or missing key, naming the table and an example', () => {
    const dup = [allRow(1), allRow(2), allRow(1), allRow(3), allRow(3)];
    expect(() => write(ALL, dup, 'dup.parquet')).toThrow(/all_types: 2 duplicated primary key value\(s\), e\.g\. K000001/);
    expect(() => write(ALL, [allRow(1), { ...allRow(2), id: null }], 'nullkey.parquet')).toThrow(/all_types: 1 row\(s\) with a null primary key \(id\)/);
  });

  it('refuses a value of the wrong type, naming table, column, what was expected and what came', () => {
    const bad = (patch: Row) => () => write(ALL, [{ ...allRow(1), ...patch }], 'bad.parquet');
    expect(bad({ n: 'seven' })).toThrow('all_types.n: expected integer, got "seven"');
    expect(bad({ n: 2 ** 31 })).toThrow('all_types.n: expected integer, got 2147483648');
    expect(bad({ big: 1.5 })).toThrow('all_types.big: expected integer, got 1.5');
    expect(bad({ x: Number.NaN })).toThrow('all_types.x: expected number, got NaN');
    expect(bad({ label: 3 })).toThrow('all_types.label: expected string, got 3');
    expect(bad({ id: 3 })).toThrow('all_types.id: expected string, got 3');
    expect(bad({ flag: 'yes' })).toThrow('all_types.flag: expected boolean, got "yes"');
    expect(bad({ day: '2023-02-29' })).toThrow('all_types.day: expected YYYY-MM-DD date, got "2023-02-29"');
    expect(bad({ day: '2024-1-05' })).toThrow('all_types.day: expected YYYY-MM-DD date');
    expect(bad({ amount: 1e13 })).toThrow('all_types.amount: expected DECIMAL(12,2), got 10000000000000');
    expect(bad({ dose: 1000 })).toThrow('all_types.dose: expected DECIMAL(6,3), got 1000');
  });

  it('rounds decimals half away from zero on their decimal digits', async () => {
    const t: TableDef = { ...ALL, name: 'dec', columns: [col('id', 'VARCHAR', 'key', { nullable: false }), col('amount', 'DECIMAL(12,2)', 'm'), col('dose', 'DECIMAL(6,3)', 'd')] };
    write(t, [{ id: 'a', amount: 1.005, dose: 0.0005 }, { id: 'b', amount: -1.005, dose: -0.0005 }, { id: 'c', amount: 0.1 + 0.2, dose: 2.675 }], 'dec.parquet');
    expect(await rows(`SELECT amount::VARCHAR, dose::VARCHAR FROM read_parquet('${path.join(tmp.dir, 'dec.parquet')}')`)).toEqual([
      ['1.01', '0.001'], ['-1.01', '-0.001'], ['0.30', '2.675'],
    ]);
  });
});

describe('dateDays', () => {
  it('counts days from 1970-01-01 in the proleptic Gregorian calendar and refuses what is not a date', () => {
    for (const d of ['1970-01-01', '2024-02-29', '1900-03-01', '0001-01-01', '9999-12-31', '1600-02-29', '2000-12-31']) {
      const [y, m, day] = d.split('-').map(Number);
      const ms = new Date(0).setUTCFullYear(y, m - 1, day);
      expect(dateDays(d)).toBe(Math.round(ms / 86_400_000));
    }
    for (const d of ['1900-02-29', '2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-01', '2024-01-01T00:00', 'abcd-ef-gh', '']) expect(dateDays(d)).toBeUndefined();
  });
});
