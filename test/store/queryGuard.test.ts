import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { openProjectDb } from '../../src/store/projectDb.js';
import { runGuardedQuery } from '../../src/store/queryGuard.js';
import { DatabaseLockedError, DatasetNotFoundError, QueryRefusedError, QueryTimeoutError, StoreError } from '../../src/store/errors.js';
import { MEMBER_TABLES, PATIENT_TABLES, memberRows, patientRows, tempDir } from './fixtures.js';
import { persistFiles, writeDataset } from './helpers.js';

const tmp = tempDir('guard');
const dbPath = path.join(tmp.dir, 'healthsim.duckdb');
const sha = () => createHash('sha256').update(readFileSync(dbPath)).digest('hex');

beforeAll(async () => {
  const db = await openProjectDb(dbPath);
  await persistFiles(db, 'diabetes-cohort', await writeDataset(tmp.dir, 'd', patientRows('d1', 25), PATIENT_TABLES), { products: ['patientsim'] });
  await persistFiles(db, 'ma-members', await writeDataset(tmp.dir, 'm', memberRows('m1', 8), MEMBER_TABLES), { products: ['membersim'] });
  db.close();
});
afterAll(() => tmp.cleanup());

const q = (sql: string, opts = {}) => runGuardedQuery(dbPath, 'diabetes-cohort', sql, opts);

describe('runGuardedQuery: SELECTs', () => {
  it('resolves unqualified names to the dataset schema and pages results', async () => {
    const r = await q('SELECT patient_id, age, birth_date FROM patients ORDER BY patient_id', { limit: 2, offset: 1 });
    expect(r).toEqual({
      columns: [{ name: 'patient_id', type: 'VARCHAR' }, { name: 'age', type: 'INTEGER' }, { name: 'birth_date', type: 'DATE' }],
      rows: [['d1-P000002', 67, '1950-03-16'], ['d1-P000003', 68, '1950-04-22']],
      total: 25, offset: 1, limit: 2, hasMore: true,
    });
    const last = await q('SELECT patient_id FROM patients ORDER BY patient_id;  ', { limit: 5, offset: 23 });
    expect(last.rows).toEqual([['d1-P000024'], ['d1-P000025']]);
    expect(last.hasMore).toBe(false);
  });

  it('returns JSON-safe numbers for BIGINT and DECIMAL, strings for dates', async () => {
    const r = await runGuardedQuery(dbPath, 'ma-members', 'SELECT count(*) AS n, sum(billed_amount) AS billed, max(service_date) AS last, 9007199254740993::BIGINT AS big FROM claims');
    expect(r.rows).toEqual([[16, 27584.5, '2024-04-09', '9007199254740993']]);
  });

  it('allows cross-dataset queries with qualified names', async () => {
    const r = await q('SELECT (SELECT count(*) FROM patients) AS p, (SELECT count(*) FROM ma_members.members) AS m');
    expect(r.rows).toEqual([[25, 8]]);
  });

  it('allows harmless introspection', async () => {
    const r = await q("SELECT name FROM duckdb_settings() WHERE name = 'enable_external_access'");
    expect(r.rows).toEqual([['enable_external_access']]);
    expect((await q("SELECT current_setting('enable_external_access') AS v")).rows).toEqual([[false]]);
  });

  it('reports unknown datasets and tables', async () => {
    await expect(runGuardedQuery(dbPath, 'nope', 'SELECT 1')).rejects.toBeInstanceOf(DatasetNotFoundError);
    await expect(q('SELECT * FROM no_such_table')).rejects.toThrow(/Table with name no_such_table does not exist/);
  });
});

/** [sql, expected message pattern] — every one must be refused without touching files. */
const HOSTILE: [string, RegExp][] = [
  ['DELETE FROM patients', /refused: DELETE statements are not allowed; only SELECT queries can be run/],
  ['UPDATE patients SET age = 1', /refused: UPDATE statements are not allowed/],
  ["INSERT INTO patients (patient_id, person_id) VALUES ('x', 'y')", /refused: INSERT statements are not allowed/],
  ['DROP TABLE patients', /refused: DROP statements are not allowed/],
  ['DROP SCHEMA diabetes_cohort CASCADE', /refused: DROP statements are not allowed/],
  ['CREATE TABLE x (a INTEGER)', /refused: CREATE statements are not allowed/],
  ['CREATE MACRO evil(a) AS a', /refused: CREATE statements are not allowed/],
  ['ALTER TABLE patients ADD COLUMN x INTEGER', /refused: ALTER statements are not allowed/],
  [`ATTACH '${'/tmp/hs-evil.duckdb'}' AS evil`, /refused: ATTACH statements are not allowed/],
  ['DETACH diabetes_cohort', /refused: DETACH statements are not allowed/],
  ["COPY patients TO '/tmp/hs-evil.csv'", /refused: queries may only read the database, not files or URLs/],
  ["COPY patients FROM '/etc/passwd'", /refused: queries may only read the database, not files or URLs/],
  ["COPY (SELECT * FROM patients) TO '/tmp/hs-evil.parquet' (FORMAT parquet)", /refused: queries may only read the database, not files or URLs/],
  ["EXPORT DATABASE '/tmp/hs-evil-export'", /refused: queries may only read the database, not files or URLs/],
  ['PRAGMA enable_profiling', /refused: PRAGMA statements are not allowed|refused: SET statements are not allowed/],
  ['SET threads = 1', /refused: SET statements are not allowed/],
  ['SET enable_external_access = true', /refused: SET statements are not allowed/],
  ['RESET lock_configuration', /refused: SET statements are not allowed/],
  ['SET VARIABLE x = 1', /refused: SET statements are not allowed/],
  ['INSTALL httpfs', /refused: LOAD statements are not allowed/],
  ['LOAD httpfs', /refused: LOAD statements are not allowed/],
  ['CALL pragma_version()', /refused: CALL statements are not allowed/],
  ['CHECKPOINT', /refused: CALL statements are not allowed/],
  ['VACUUM', /refused: VACUUM statements are not allowed/],
  ['BEGIN TRANSACTION', /refused: TRANSACTION statements are not allowed/],
  ['PREPARE p AS SELECT 1', /refused: PREPARE statements are not allowed/],
  ['EXPLAIN ANALYZE SELECT 1', /refused: EXPLAIN statements are not allowed/],
  ['SELECT 1; DROP TABLE patients', /refused: 2 statements given; only one SELECT statement is allowed/],
  ['SELECT 1;\n/* harmless? */ DELETE FROM patients;', /refused: 2 statements given/],
  ['/* SELECT */ DELETE FROM patients -- SELECT', /refused: DELETE statements are not allowed/],
  ['WITH d AS (DELETE FROM patients RETURNING *) SELECT * FROM d', /A CTE needs a SELECT|syntax error/],
  ['SELECT * FROM (DELETE FROM patients RETURNING *)', /syntax error/],
  ["SELECT * FROM read_csv('/etc/passwd')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM read_csv_auto('/etc/passwd')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT content FROM read_text('/etc/passwd')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT content FROM read_blob('/etc/hostname')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM glob('/etc/*')", /refused: queries may only read the database, not files or URLs/],
  [`SELECT * FROM read_parquet('${'/tmp'}/x.parquet')`, /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM '/etc/passwd'", /refused: queries may only read the database, not files or URLs|does not exist/],
  ["SELECT * FROM read_json_auto('/etc/passwd')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM read_json_auto('https://example.com/x.json')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM read_parquet('s3://bucket/x.parquet')", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM sqlite_scan('/tmp/x.db', 't')", /refused: extensions are not available to queries/],
  ["SELECT * FROM postgres_scan('host=localhost', 'public', 't')", /refused: extensions are not available to queries/],
  ["SELECT * FROM (SELECT 1) WHERE (SELECT count(*) FROM read_text('/etc/passwd')) > 0", /refused: queries may only read the database, not files or URLs/],
  ["WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x", /refused: queries may only read the database, not files or URLs/],
  ["SELECT * FROM query('DROP TABLE patients')", /refused|not allowed|Parser Error|only SELECT/i],
  ["SELECT * FROM query_table('patients')", /^$/], // allowed (a read); checked below
];

describe('runGuardedQuery: hostile statements', () => {
  it('refuses every one with a clear message, touches no file and leaves the database unchanged', async () => {
    const before = sha();
    let refused = 0;
    for (const [sql, pattern] of HOSTILE) {
      if (pattern.source === '^$') {
        await expect(q(sql)).resolves.toMatchObject({ total: 25 });
        continue;
      }
      const err = await q(sql).then(() => undefined, (e: unknown) => e);
      expect(err, sql).toBeInstanceOf(StoreError);
      expect((err as Error).message, sql).toMatch(pattern);
      refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(45);
    for (const f of ['/tmp/hs-evil.csv', '/tmp/hs-evil.parquet', '/tmp/hs-evil-export', '/tmp/hs-evil.duckdb']) expect(existsSync(f), f).toBe(false);
    expect(sha()).toBe(before);
    // the data is still there
    expect((await q('SELECT count(*) FROM patients')).rows).toEqual([[25]]);
  });

  it('classifies refusals as QueryRefusedError', async () => {
    await expect(q('DELETE FROM patients')).rejects.toBeInstanceOf(QueryRefusedError);
    await expect(q("SELECT * FROM read_text('/etc/passwd')")).rejects.toBeInstanceOf(QueryRefusedError);
    await expect(q('')).rejects.toThrow('refused: the query is empty; give one SELECT statement');
    await expect(q('  -- only a comment\n')).rejects.toThrow('refused: the query is empty');
  });

  it('handles a 1 MB query', async () => {
    const big = `SELECT length('${'x'.repeat(1_000_000)}') AS n, (SELECT count(*) FROM patients) AS p`;
    expect(big.length).toBeGreaterThan(1_000_000);
    expect((await q(big)).rows).toEqual([[1_000_000, 25]]);
    const ids = Array.from({ length: 2_000 }, (_, i) => `'d1-P${String(i).padStart(6, '0')}'`);
    expect((await q(`SELECT count(*) FROM patients WHERE patient_id IN (${ids.join(', ')})`)).rows).toEqual([[25]]);
    const deep = `SELECT ${Array.from({ length: 100_000 }, (_, i) => `${i}`).join('+')} AS s`;
    await expect(q(deep)).rejects.toThrow('Parser Error: Max expression depth limit of 1000 exceeded.');
    const comment = `SELECT 1 AS one /* ${'x'.repeat(1_000_000)} */`;
    expect((await q(comment)).rows).toEqual([[1]]);
  });

  it('interrupts a runaway query at the timeout', async () => {
    const started = Date.now();
    const err = await q('WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t', { timeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect((err as Error).message).toBe('query exceeded 0.5 s and was interrupted');
    expect(Date.now() - started).toBeLessThan(10_000);
    const cross = await q('SELECT count(*) FROM range(100000000) a, range(1000) b', { timeoutMs: 1000 }).then(() => undefined, (e: unknown) => e);
    expect((cross as Error).message).toBe('query exceeded 1 s and was interrupted');
  });

  it('refuses while this process holds the database open for writing', async () => {
    const db = await openProjectDb(dbPath);
    try {
      await expect(q('SELECT 1')).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      db.close();
    }
  });
});
