import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { openProjectDb, type ProjectDb } from '../../src/store/projectDb.js';
import { getSummary, listDatasets, listTags, removeDataset, getSpec } from '../../src/store/catalog.js';
import { DatabaseLockedError, DatasetNotFoundError, NotADatabaseError } from '../../src/store/errors.js';
import { MEMBER_TABLES, PATIENT_TABLES, memberRows, patientRows, tempDir } from './fixtures.js';
import { corruptFile, persistFiles, writeDataset } from './helpers.js';
import { queryRows } from '../../src/store/values.js';

const tmp = tempDir('cat');
let db: ProjectDb;
let diabetes: Record<string, string>;
let diabetesV2: Record<string, string>;
let members: Record<string, string>;

beforeAll(async () => {
  diabetes = await writeDataset(tmp.dir, 'd1', patientRows('d1', 20), PATIENT_TABLES);
  diabetesV2 = await writeDataset(tmp.dir, 'd2', patientRows('d2', 30), PATIENT_TABLES);
  members = await writeDataset(tmp.dir, 'm1', memberRows('m1', 10), MEMBER_TABLES);
  db = await openProjectDb(path.join(tmp.dir, 'outputs', 'healthsim.duckdb'));
});
afterAll(() => { db.close(); tmp.cleanup(); });

describe('persist and catalog', () => {
  it('persists a dataset into its own schema and records it', async () => {
    const res = await persistFiles(db, 'diabetes-cohort', diabetes, { products: ['patientsim'], tags: ['training', 'diabetes', 'training'] });
    expect(res.rowCounts).toEqual({ providers: 1, facilities: 1, patients: 20, encounters: 40, diagnoses: 34, lab_results: 40, medications: 25, procedures: 10, allergies: 0 });
    const rows = await queryRows(db.conn, 'SELECT count(*) AS n, min(birth_date)::VARCHAR AS b FROM "diabetes_cohort"."patients"');
    expect(rows).toEqual([{ n: 20, b: '1950-02-07' }]);
    await persistFiles(db, 'ma-members', members, { products: ['membersim'], tags: ['medicare'] });
    const list = await listDatasets(db);
    expect(list.map((d) => [d.name, d.schemaName, d.kind, d.tags, d.products, d.builtAt, d.seed])).toEqual([
      ['diabetes-cohort', 'diabetes_cohort', 'generate', ['diabetes', 'training'], ['patientsim'], '2025-01-01', 42],
      ['ma-members', 'ma_members', 'generate', ['medicare'], ['membersim'], '2025-01-01', 42],
    ]);
    expect((await listDatasets(db, { tag: 'medicare' })).map((d) => d.name)).toEqual(['ma-members']);
    expect(await listTags(db)).toEqual([{ tag: 'diabetes', datasets: 1 }, { tag: 'medicare', datasets: 1 }, { tag: 'training', datasets: 1 }]);
    expect(await getSpec(db, 'diabetes-cohort')).toEqual({ profile: 'diabetes-cohort' });
  });

  it('rolls back a failed persist and leaves the previous dataset intact', async () => {
    await persistFiles(db, 'diabetes-cohort', diabetes, { products: ['patientsim'], tags: ['training'] });
    const broken = { ...diabetesV2, lab_results: corruptFile(tmp.dir, 'broken.parquet') };
    await expect(persistFiles(db, 'diabetes-cohort', broken, { products: ['patientsim'], tags: ['v2'] })).rejects.toThrow(/broken\.parquet/);
    const rows = await queryRows(db.conn, 'SELECT count(*) AS n FROM "diabetes_cohort"."patients"');
    expect(rows).toEqual([{ n: 20 }]);
    const entry = (await listDatasets(db)).find((d) => d.name === 'diabetes-cohort');
    expect(entry?.tags).toEqual(['training']);
    expect(entry?.rowCounts.patients).toBe(20);
    // A later successful persist replaces it completely.
    await persistFiles(db, 'diabetes-cohort', diabetesV2, { products: ['patientsim'], tags: ['v2'] });
    expect(await queryRows(db.conn, 'SELECT count(*) AS n FROM "diabetes_cohort"."patients"')).toEqual([{ n: 30 }]);
    expect((await getSummary(db, 'diabetes-cohort')).counts.patients).toBe(30);
  });

  it('rejects duplicate keys in a persisted file (the model declares primary keys)', async () => {
    const dup = await writeDataset(tmp.dir, 'dup', { patients: [{ patient_id: 'a', person_id: 'p' }] }, ['patients']);
    await persistFiles(db, 'tiny', dup, { products: ['patientsim'] });
    const twice = { patients: dup.patients, encounters: dup.patients };
    await expect(persistFiles(db, 'tiny', twice, { products: ['patientsim'] })).rejects.toThrow();
    expect(await queryRows(db.conn, 'SELECT count(*) AS n FROM tiny.patients')).toEqual([{ n: 1 }]);
  });

  it('removes datasets and reports unknown ones', async () => {
    expect(await removeDataset(db, 'tiny')).toBe(true);
    expect(await removeDataset(db, 'tiny')).toBe(false);
    await expect(getSummary(db, 'tiny')).rejects.toBeInstanceOf(DatasetNotFoundError);
    expect(await queryRows(db.conn, "SELECT count(*) AS n FROM duckdb_schemas() WHERE schema_name = 'tiny'")).toEqual([{ n: 0 }]);
  });

  it('rejects invalid names', async () => {
    await expect(persistFiles(db, 'Bad Name', diabetes, { products: ['patientsim'] })).rejects.toThrow('invalid dataset name "Bad Name"');
  });

  it('shares one instance per file within a process', async () => {
    const again = await openProjectDb(path.join(tmp.dir, 'outputs', 'healthsim.duckdb'));
    expect(again).toBe(db);
    again.close(); // refcount: db stays usable
    expect((await listDatasets(db)).length).toBe(2);
  });
});

describe('open errors', () => {
  it('names the pid holding the lock', async () => {
    const file = path.join(tmp.dir, 'locked.duckdb');
    const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { await DuckDBInstance.create(${JSON.stringify(file)}); process.stdout.write('ready\\n'); setTimeout(() => {}, 20000); });`;
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => { child.stdout.once('data', () => resolve()); child.once('exit', () => reject(new Error('child exited'))); });
      const err = await openProjectDb(file).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseLockedError);
      expect((err as DatabaseLockedError).pid).toBe(child.pid);
      expect((err as Error).message).toBe(`database ${file} is locked by pid ${child.pid} (another healthsim build?)`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('explains a file that is not a DuckDB database', async () => {
    const file = path.join(tmp.dir, 'notes.duckdb');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const err = await openProjectDb(file).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NotADatabaseError);
    expect((err as Error).message).toBe(`${file} is not a DuckDB database file; move or delete it (healthsim rebuilds the database from its cache), or point the config's database path elsewhere`);
  });
});
