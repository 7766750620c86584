import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, healthsim } from './helpers.js';

const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  cohort: { profile: profiles/elderly-diabetic.yaml, count: 30 }
  members: { profile: profiles/medicare-advantage-ca.yaml, count: 12 }
`;

async function relations(dir: string): Promise<string[]> {
  const inst = await DuckDBInstance.create(path.join(dir, 'outputs', 'healthsim.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT table_schema || '.' || table_name || ' ' || table_type FROM information_schema.tables WHERE table_schema IN ('cohort', 'members') AND table_name IN ('patients', 'members') ORDER BY 1`);
    return r.getRows().map((row) => String(row[0]));
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

const countPatients = (dir: string) => healthsim(dir, 'query', 'cohort', 'SELECT count(*) AS n FROM patients', '--format', 'json');

describe('storage: views (default) and tables', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await exampleProject();
    await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
    // before any build there is no database: a query says so and what to do (not an internal error)
    const early = healthsim(dir, 'query', 'cohort', 'SELECT 1');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^error: no database yet at .*healthsim\.duckdb: run healthsim build first$/m);
    const r = healthsim(dir, 'build');
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('stores datasets as views over the build cache, which queries read', () => {
    return relations(dir).then((rel) => {
      expect(rel).toEqual(['cohort.patients VIEW', 'members.members VIEW']);
      const q = countPatients(dir);
      expect(q.code, q.stderr).toBe(0);
      expect(q.stdout).toContain('30');
    });
  });

  it('cache gc keeps the entries the views read, even when healthsim.lock names none', async () => {
    const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    await rm(path.join(dir, 'healthsim.lock'));
    try {
      const before = await readdir(path.join(dir, '.healthsim', 'cache'));
      const gc = healthsim(dir, 'cache', 'gc');
      expect(gc.code, gc.stderr).toBe(0);
      expect(await readdir(path.join(dir, '.healthsim', 'cache'))).toEqual(before);
      expect(countPatients(dir).code).toBe(0);
    } finally {
      await writeFile(path.join(dir, 'healthsim.lock'), lock);
    }
  });

  it('a removed cache: queries say what is missing and what to do; build regenerates and re-points the views', () => {
    return rm(path.join(dir, '.healthsim', 'cache'), { recursive: true }).then(() => {
      const q = countPatients(dir);
      expect(q.code).toBe(1);
      expect(q.stderr).toMatch(/data file .*patients\.parquet is missing .*run healthsim build/);
      expect(q.stderr).not.toMatch(/internal error/);
      const b = healthsim(dir, 'build');
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toMatch(/^ran\s+generate:cohort/m);
      expect(countPatients(dir).stdout).toContain('30');
      expect(healthsim(dir, 'build').stdout).toMatch(/everything up to date/);
    });
  });

  it('storage: tables copies the rows into the database: only the persists run again, the lock keeps its generate keys', async () => {
    const lockBefore = JSON.parse(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')) as { steps: Record<string, { key: string }> };
    await writeFile(path.join(dir, 'healthsim.config.yaml'), `storage: tables\n${CONFIG}`);
    const b = healthsim(dir, 'build');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^ran\s+persist:cohort/m);
    expect(b.stdout).not.toMatch(/^ran\s+generate/m);
    expect(await relations(dir)).toEqual(['cohort.patients BASE TABLE', 'members.members BASE TABLE']);
    const lockAfter = JSON.parse(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')) as { steps: Record<string, { key: string }> };
    expect(lockAfter.steps['generate:cohort'].key).toBe(lockBefore.steps['generate:cohort'].key);
    // a self-contained database: queries answer without the cache
    await rm(path.join(dir, '.healthsim', 'cache'), { recursive: true });
    expect(countPatients(dir).stdout).toContain('30');
  });

  it('rejects an unknown storage mode at its line and column, naming the choices', async () => {
    await writeFile(path.join(dir, 'healthsim.config.yaml'), `storage: parquet\n${CONFIG}`);
    const v = healthsim(dir, 'validate');
    expect(v.code).toBe(1);
    expect(v.stderr + v.stdout).toMatch(/healthsim\.config\.yaml:1:10/);
    expect(v.stderr + v.stdout).toMatch(/views.*tables|"views", "tables"/);
  });
});
