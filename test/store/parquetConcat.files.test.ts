import { describe, expect, it, afterAll, vi } from 'vitest';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { concatParquetFiles } from '../../src/store/parquetConcat.js';
import { tempDir } from './fixtures.js';

/**
 * File handles opened through node:fs/promises while the test runs, counted: how many are open at
 * once and at most. concatParquetFiles must hold one input file (plus its output) open at a time,
 * whatever the number of blocks: a 10M-patient build combines 4,000 of them per table.
 */
const handles = vi.hoisted(() => ({ open: 0, max: 0, opened: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (...args) => {
    const fh = await fs.open(...args);
    handles.opened++;
    handles.max = Math.max(handles.max, ++handles.open);
    const close = fh.close.bind(fh);
    fh.close = async () => {
      handles.open--;
      return close();
    };
    return fh;
  };
  return { ...fs, open, default: { ...fs, open } };
});

const tmp = tempDir('pqcat-files');
afterAll(() => tmp.cleanup());

describe('concatParquetFiles and open files', () => {
  it('holds one block open at a time, and closes every file, however many blocks there are', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const files: string[] = [];
    const BLOCKS = 300;
    try {
      // DuckDB writes the blocks with its own file I/O: only concatParquetFiles' handles are counted
      for (let k = 0; k < BLOCKS; k++) {
        const file = path.join(tmp.dir, `b${String(k).padStart(4, '0')}.parquet`);
        await conn.run(`COPY (SELECT i AS id, 'row ' || i AS label FROM range(${k * 10}, ${k * 10 + 10}) t(i)) TO '${file}' (FORMAT parquet)`);
        files.push(file);
      }
      const out = path.join(tmp.dir, 'all.parquet');
      expect(await concatParquetFiles(files, out)).toBe(BLOCKS * 10);
      expect(handles.max).toBeLessThanOrEqual(2); // the output and one block
      expect(handles.open).toBe(0);
      expect(handles.opened).toBe(2 * BLOCKS + 1); // each block once per pass, and the output
      const check = await conn.runAndReadAll(`SELECT count(*)::INTEGER, min(id)::INTEGER, max(id)::INTEGER, bool_and(label = 'row ' || id) FROM '${out}'`);
      expect(check.getRows()[0]).toEqual([BLOCKS * 10, 0, BLOCKS * 10 - 1, true]);
      const order = await conn.runAndReadAll(`SELECT bool_and(id = rn - 1) FROM (SELECT id, row_number() OVER () AS rn FROM '${out}')`);
      expect(order.getRows()[0][0]).toBe(true);
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});
