import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { openProjectDb, type ProjectDb } from '../../src/store/projectDb.js';
import { listDatasets, referencedFiles, relationNames, removeDataset } from '../../src/store/catalog.js';
import { runGuardedQuery } from '../../src/store/queryGuard.js';
import { sampleEntities } from '../../src/store/sample.js';
import { QueryRefusedError } from '../../src/store/errors.js';
import { queryRows } from '../../src/store/values.js';
import { PATIENT_TABLES, patientRows, tempDir } from './fixtures.js';
import { persistFiles, writeDataset } from './helpers.js';

const tmp = tempDir('views');
const dbPath = path.join(tmp.dir, 'outputs', 'healthsim.duckdb');
let files: Record<string, string>;

beforeAll(async () => {
  files = await writeDataset(tmp.dir, 'd1', patientRows('d1', 20), PATIENT_TABLES);
  const db = await openProjectDb(dbPath);
  try {
    await persistFiles(db, 'as-views', files, { products: ['patientsim'], storage: 'view' });
    await persistFiles(db, 'as-tables', files, { products: ['patientsim'], storage: 'table' });
  } finally {
    db.close();
  }
});
afterAll(() => tmp.cleanup());

async function withDb<T>(fn: (db: ProjectDb) => Promise<T>): Promise<T> {
  const db = await openProjectDb(dbPath);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

describe('datasets stored as views over their Parquet files', () => {
  it('holds views, not tables, with exactly the rows a table copy holds; the catalog lists the files read', async () => {
    await withDb(async (db) => {
      const kinds = await queryRows(db.conn, `SELECT table_schema AS s, table_type AS t, count(*) AS n FROM information_schema.tables WHERE table_schema IN ('as_views', 'as_tables') GROUP BY ALL ORDER BY ALL`);
      expect(kinds).toEqual([{ s: 'as_tables', t: 'BASE TABLE', n: PATIENT_TABLES.length }, { s: 'as_views', t: 'VIEW', n: PATIENT_TABLES.length }]);
      expect(await relationNames(db.conn, 'as_views')).toEqual([...PATIENT_TABLES].sort());
      for (const t of PATIENT_TABLES) {
        const diff = await queryRows(db.conn, `SELECT count(*) AS n FROM (SELECT * FROM as_views.${t} EXCEPT ALL SELECT * FROM as_tables.${t}) UNION ALL SELECT count(*) FROM (SELECT * FROM as_tables.${t} EXCEPT ALL SELECT * FROM as_views.${t})`);
        expect(diff, t).toEqual([{ n: 0 }, { n: 0 }]);
      }
      const list = await listDatasets(db);
      const views = list.find((d) => d.name === 'as-views')!;
      expect(views.files).toEqual(Object.values(files).map((f) => path.resolve(f)).sort());
      expect(list.find((d) => d.name === 'as-tables')!.files).toEqual([]);
      expect(views.rowCounts).toEqual(list.find((d) => d.name === 'as-tables')!.rowCounts);
    });
  });

  it('lets guarded queries read the views but no other file, and names a missing file with what to do', async () => {
    const r = await runGuardedQuery(dbPath, 'as-views', 'SELECT count(*) AS n FROM patients');
    expect(r.rows).toEqual([[20]]);
    const other = path.join(tmp.dir, 'other.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    await expect(runGuardedQuery(dbPath, 'as-views', `SELECT * FROM read_csv('${other}')`)).rejects.toBeInstanceOf(QueryRefusedError);
    const sibling = path.join(path.dirname(files.patients), 'copy.parquet');
    copyFileSync(files.patients, sibling);
    await expect(runGuardedQuery(dbPath, 'as-views', `SELECT * FROM read_parquet('${sibling}')`)).rejects.toBeInstanceOf(QueryRefusedError);

    const moved = `${files.lab_results}.moved`;
    renameSync(files.lab_results, moved);
    try {
      const err = await runGuardedQuery(dbPath, 'as-views', 'SELECT count(*) FROM lab_results').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DATA_MISSING' });
      expect(String((err as Error).message)).toContain(`${path.resolve(files.lab_results)} is missing`);
      expect(String((err as Error).message)).toContain('run healthsim build');
      // tables of the same dataset whose files are there still answer
      expect((await runGuardedQuery(dbPath, 'as-views', 'SELECT count(*) FROM patients')).rows).toEqual([[20]]);
      await expect(withDb((db) => sampleEntities(db, 'as-views', 'lab_results'))).rejects.toMatchObject({ code: 'DATA_MISSING' });
    } finally {
      renameSync(moved, files.lab_results);
    }
  });

  it('forgets the files of a removed or re-persisted dataset', async () => {
    await withDb(async (db) => {
      expect(await db.exclusive((c) => referencedFiles(c))).toHaveLength(PATIENT_TABLES.length);
      await persistFiles(db, 'as-views', files, { products: ['patientsim'], storage: 'table' });
      expect(await db.exclusive((c) => referencedFiles(c))).toEqual([]);
      await persistFiles(db, 'as-views', files, { products: ['patientsim'], storage: 'view' });
      expect(await db.exclusive((c) => referencedFiles(c))).toHaveLength(PATIENT_TABLES.length);
      expect(await removeDataset(db, 'as-views')).toBe(true);
      expect(await db.exclusive((c) => referencedFiles(c))).toEqual([]);
      expect(await relationNames(db.conn, 'as_views')).toEqual([]);
    });
  });
});
