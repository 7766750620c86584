import { spawn } from 'node:child_process';
import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, exampleProject, exists, hashTree, healthsim, healthsimWithEnv } from './helpers.js';

/** A small project: one patientsim cohort with a journey, a merge, a clone and two exports. */
const CONFIG = `version: 1
seed: 7
reference_date: 2025-01-01
datasets:
  cohort:
    profile: profiles/elderly-diabetic.yaml
    journey: journeys/diabetic-year-one.yaml
    count: 40
    tags: [diabetes, training]
  hf:
    profile: profiles/heart-failure.yaml
    count: 20
    tags: [training]
  merged:
    merge: [cohort, hf]
  cohort-copy:
    clone: cohort
exports:
  merged-csv: { dataset: merged, format: csv, path: outputs/exports/merged-csv }
  cohort-parquet: { dataset: cohort, format: parquet, path: outputs/exports/cohort-parquet }
`;

/** Changes one byte of the merged CSV export's patients.csv in place (same size); returns its path and original bytes. */
async function alterExportedByte(dir: string): Promise<{ csv: string; original: Buffer }> {
  const csv = path.join(dir, 'outputs', 'exports', 'merged-csv', 'patients.csv');
  const original = await readFile(csv);
  const altered = Buffer.from(original);
  altered[altered.length - 2] = altered[altered.length - 2] === 0x30 ? 0x31 : 0x30;
  await writeFile(csv, altered);
  return { csv, original };
}

async function readDb(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('healthsim build (real CLI process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await exampleProject();
    await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('builds every dataset and export, then a no-op rebuild does nothing', async () => {
    const first = healthsim(dir, 'build');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ran\s+generate:cohort/m);
    expect(await exists(path.join(dir, 'healthsim.lock'))).toBe(true);

    const again = healthsim(dir, 'build', '--json');
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { steps: { id: string; status: string }[] };
    expect(report.steps.filter((s) => s.status !== 'up-to-date')).toEqual([]);

    const explain = healthsim(dir, 'build', '--explain');
    expect(explain.stdout.split('\n').filter(Boolean).every((l) => l.endsWith(': up to date') || l.includes('up to date'))).toBe(true);
  });

  it('stops writing quietly when the reader of its output goes away (`healthsim query … | head`)', async () => {
    // the pipe's reader is closed before the CLI writes: it used to die of EPIPE with a stack trace
    const child = spawn(process.execPath, [BIN, 'query', 'cohort', 'SELECT * FROM lab_results', '--limit', '500'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('persists one schema per dataset with the model tables and a catalog', async () => {
    const db = path.join(dir, 'outputs', 'healthsim.duckdb');
    const tables = await readDb(db, "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = 'cohort' ORDER BY table_name");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['patients', 'encounters', 'diagnoses', 'lab_results', 'medications']));
    const n = await readDb(db, 'SELECT count(*)::INTEGER AS n FROM cohort.patients');
    expect(n[0].n).toBe(40);
    const merged = await readDb(db, 'SELECT source_dataset, count(*)::INTEGER AS n FROM merged.patients GROUP BY 1 ORDER BY 1');
    expect(merged).toEqual([{ source_dataset: 'cohort', n: 40 }, { source_dataset: 'hf', n: 20 }]);
    const clone = await readDb(db, 'SELECT count(*)::INTEGER AS n FROM cohort_copy.patients c JOIN cohort.patients p USING (patient_id)');
    expect(clone[0].n).toBe(0); // new IDs
  });

  it('exports read back with DuckDB and have the declared columns in model order', async () => {
    const csv = path.join(dir, 'outputs', 'exports', 'merged-csv', 'patients.csv');
    const header = (await readFile(csv, 'utf8')).split('\n')[0];
    expect(header.startsWith('patient_id,person_id,mrn,first_name,last_name,sex,birth_date')).toBe(true);
    const pq = path.join(dir, 'outputs', 'exports', 'cohort-parquet', 'lab_results.parquet');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const types = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${pq}')`)).getRowObjectsJson();
    expect(types.find((t) => t.column_name === 'effective_date')?.column_type).toBe('DATE');
    expect(types.find((t) => t.column_name === 'value')?.column_type).toBe('DOUBLE');
    conn.closeSync();
    inst.closeSync();
  });

  it('a second clean build produces byte-identical exports and cache', async () => {
    const before = await hashTree(path.join(dir, 'outputs', 'exports'));
    const lockBefore = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    expect(healthsim(dir, 'clean').code).toBe(0);
    expect(await exists(path.join(dir, 'outputs', 'healthsim.duckdb'))).toBe(false);
    // --jobs 3: datasets run on worker threads
    const r = healthsim(dir, 'build', '--jobs', '3');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(before);
    expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(lockBefore);
  });

  it('datasets cut into many blocks build to the same bytes in process, on three workers, and on workers that run out of memory', async () => {
    // blocks of 7 entities: 40 patients are 6 blocks, pulled by three workers in whatever order they finish
    expect(healthsim(dir, 'clean').code).toBe(0);
    const one = healthsimWithEnv(dir, { HEALTHSIM_BLOCK_SIZE: '7' }, 'build', '--jobs', '1');
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    const exports = await hashTree(path.join(dir, 'outputs', 'exports'));
    const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    expect(healthsim(dir, 'clean').code).toBe(0);
    const three = healthsimWithEnv(dir, { HEALTHSIM_BLOCK_SIZE: '7' }, 'build', '--jobs', '3');
    expect(three.stderr).toBe('');
    expect(three.code).toBe(0);
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(exports);
    expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(lock);
    // workers with a heap cap far too small run out of memory; their blocks run again uncapped
    expect(healthsim(dir, 'clean').code).toBe(0);
    const starved = healthsimWithEnv(dir, { HEALTHSIM_BLOCK_SIZE: '7', HEALTHSIM_WORKER_HEAP_MB: '4' }, 'build', '--jobs', '2');
    expect(starved.stderr).toBe('');
    expect(starved.code).toBe(0);
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(exports);
    expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(lock);
    // the block size is part of the generate keys: back to the default, the cache is not reused
    const back = healthsim(dir, 'build', '--json');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout).steps.filter((st: { id: string; status: string }) => st.id.startsWith('generate:') && st.status === 'ran').length).toBeGreaterThan(0);
  });

  it('verify passes on a clean tree and fails naming the file when one exported byte changes', async () => {
    const ok = healthsim(dir, 'verify');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const { csv, original } = await alterExportedByte(dir);
    const bad = healthsim(dir, 'verify');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('outputs/exports/merged-csv/patients.csv');
    await writeFile(csv, original);
  });

  it('rebuilds an export whose file was edited in place, and stamps the files it hashed so later no-ops need not read them', async () => {
    // the same size, other bytes: only the new mtime can tell, so the file is hashed again
    const { csv, original } = await alterExportedByte(dir);
    const run = healthsim(dir, 'build');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ran\s+export:merged-csv/);
    expect(run.stdout).not.toMatch(/ran\s+export:cohort-parquet/);
    expect(await readFile(csv)).toEqual(original);
    // what the check hashed is recorded with the size and mtime it had, keyed by path
    const stamps = JSON.parse(await readFile(path.join(dir, '.healthsim', 'file-stamps.json'), 'utf8')) as Record<string, { sha256: string; size: number }>;
    const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    const stamped = Object.entries(stamps).filter(([f]) => f.includes(`${path.sep}cohort-parquet${path.sep}`));
    expect(stamped.length).toBeGreaterThan(0);
    for (const [, s] of stamped) expect(lock).toContain(s.sha256);
    expect(healthsim(dir, 'build').stdout).toMatch(/everything up to date/);
  });

  it('comment-only edits rebuild nothing; a journey edit regenerates only its dataset and dependents', async () => {
    await appendFile(path.join(dir, 'profiles', 'heart-failure.yaml'), '\n# just a comment\n');
    const none = JSON.parse(healthsim(dir, 'build', '--json').stdout) as { steps: { id: string; status: string }[] };
    expect(none.steps.filter((s) => s.status === 'ran')).toEqual([]);

    const jf = path.join(dir, 'journeys', 'diabetic-year-one.yaml');
    await writeFile(jf, (await readFile(jf, 'utf8')).replace('day: 200', 'day: 210'));
    const r = JSON.parse(healthsim(dir, 'build', '--json').stdout) as { steps: { id: string; status: string }[] };
    expect(r.steps.filter((s) => s.status === 'ran').map((s) => s.id).sort()).toEqual([
      'clone:cohort-copy',
      'export:cohort-parquet',
      'export:merged-csv',
      'generate:cohort',
      'merge:merged',
      'persist:cohort',
      'persist:cohort-copy',
      'persist:merged',
    ]);
  });

  it('--frozen fails naming each step that would change the lock', async () => {
    const cfg = path.join(dir, 'healthsim.config.yaml');
    await writeFile(cfg, CONFIG.replace('count: 20', 'count: 21'));
    const r = healthsim(dir, 'build', '--frozen');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('generate:hf');
    expect(r.stderr).not.toContain('generate:cohort,');
    await writeFile(cfg, CONFIG);
  });
});

describe('CLI basics', () => {
  it('--version, --help and usage errors', async () => {
    const dir = await exampleProject();
    const v = healthsim(dir, '--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = healthsim(dir, 'build', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--jobs');
    expect(healthsim(dir, 'no-such-command').code).toBe(2);
    expect(healthsim(dir, 'build', '--jobs', 'many').code).toBe(2);
    const unknown = healthsim(dir, 'build', 'no-such-dataset');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown target no-such-dataset');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the example project in this repository', () => {
  it('its committed healthsim.lock is what a build writes: a fresh clone passes build --frozen (a generation change must update it)', async () => {
    const dir = await exampleProject();
    try {
      // as a clone has it: the repository's skills/ directory is also the example project's skills
      await cp(path.join(REPO, 'skills'), path.join(dir, 'skills'), { recursive: true });
      await cp(path.join(REPO, 'healthsim.lock'), path.join(dir, 'healthsim.lock'));
      const r = healthsim(dir, 'build', '--frozen');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(await readFile(path.join(REPO, 'healthsim.lock'), 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
