/**
 * Guarantee: damaged state on disk is detected and reported with what to do, never used silently;
 * the next build heals it (cache, lock) or fails clearly until the user acts (database file).
 */
import { cp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbContents, halfCacheEntries, hashTree, leftovers, rmrf, runCli, smallProject, snapshot, tempDir, type Snapshot } from './helpers.js';

let built: string;
let reference: Snapshot;
const dirs: string[] = [];

beforeAll(async () => {
  built = await smallProject();
  const r = await runCli(built, ['build']);
  expect(r.code, r.stderr).toBe(0);
  reference = await snapshot(built);
}, 120_000);

afterAll(async () => {
  for (const d of [built, ...dirs]) if (d) await rmrf(d);
});

async function copyOfBuilt(): Promise<string> {
  const dir = await tempDir('hs-rel-corrupt-');
  dirs.push(dir);
  await cp(built, dir, { recursive: true });
  return dir;
}

async function stepKey(dir: string, step: string): Promise<string> {
  const lock = JSON.parse(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')) as { steps: Record<string, { key: string }> };
  return lock.steps[step].key;
}

const cacheFile = (dir: string, key: string, file: string): string => path.join(dir, '.healthsim', 'cache', key, file);

/** Everything equal to the clean build, nothing half-written left. */
async function expectHealed(dir: string): Promise<void> {
  const got = await snapshot(dir);
  expect(got.db).toEqual(reference.db);
  expect(got.exports).toEqual(reference.exports);
  expect(got.cache).toEqual(reference.cache);
  expect(got.lock).toBe(reference.lock);
  expect(await leftovers(dir)).toEqual([]);
  expect(await halfCacheEntries(dir)).toEqual([]);
}

/** Damage on disk, one kind each; the reason the build must report. */
const flipMiddleByte = async (file: string): Promise<void> => {
  const fh = await open(file, 'r+');
  const { size } = await fh.stat();
  const buf = Buffer.alloc(1);
  await fh.read(buf, 0, 1, Math.floor(size / 2));
  buf[0] ^= 0xff;
  await fh.write(buf, 0, 1, Math.floor(size / 2));
  await fh.close();
};

describe.concurrent('damaged state on disk', () => {
describe('a damaged cache entry is never used', () => {
  it('altered (same size), truncated, unreadable manifest: each reported, regenerated, outputs identical to a clean build', async () => {
    const dir = await copyOfBuilt();
    const [cohort, hf, both] = [await stepKey(dir, 'generate:cohort'), await stepKey(dir, 'generate:hf'), await stepKey(dir, 'merge:both')];
    await flipMiddleByte(cacheFile(dir, cohort, 'patients.parquet'));
    await truncate(cacheFile(dir, hf, 'lab_results.parquet'), 100);
    await writeFile(cacheFile(dir, both, 'manifest.json'), '{"key": "oops');
    await rm(path.join(dir, 'outputs'), { recursive: true }); // so the build needs every entry again
    const r = await runCli(dir, ['build']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`generate:cohort: cache entry ${cohort.slice(0, 12)} is corrupt (patients.parquet does not match its sha256 in the manifest); regenerating`);
    expect(r.stderr).toMatch(new RegExp(`generate:hf: cache entry ${hf.slice(0, 12)} is corrupt \\(lab_results\\.parquet has 100 bytes, manifest says \\d+\\); regenerating`));
    expect(r.stderr).toContain(`merge:both: cache entry ${both.slice(0, 12)} is corrupt (manifest.json is not valid JSON); regenerating`);
    for (const step of ['generate:cohort', 'generate:hf', 'merge:both']) expect(r.stdout).toMatch(new RegExp(`^ran\\s+${step}`, 'm'));
    await expectHealed(dir);
  });

  it('a deleted file, a manifest for another key: --explain names them; a targeted build regenerates them', async () => {
    const dir = await copyOfBuilt();
    const [cohort, hf] = [await stepKey(dir, 'generate:cohort'), await stepKey(dir, 'generate:hf')];
    await rm(cacheFile(dir, cohort, 'patients.parquet'));
    const m = JSON.parse(await readFile(cacheFile(dir, hf, 'manifest.json'), 'utf8'));
    await writeFile(cacheFile(dir, hf, 'manifest.json'), JSON.stringify({ ...m, key: '0'.repeat(64) }));
    await rm(path.join(dir, 'outputs', 'healthsim.duckdb'));

    const explain = await runCli(dir, ['build', '--explain']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(`generate:cohort: would run because cache entry ${cohort.slice(0, 12)} is corrupt (patients.parquet is missing)`);
    expect(explain.stdout).toContain(`generate:hf: would run because cache entry ${hf.slice(0, 12)} is corrupt (manifest does not describe this key)`);

    const r = await runCli(dir, ['build', 'cohort', 'hf']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`generate:cohort: cache entry ${cohort.slice(0, 12)} is corrupt (patients.parquet is missing); regenerating`);
    expect(r.stderr).toContain(`generate:hf: cache entry ${hf.slice(0, 12)} is corrupt (manifest does not describe this key); regenerating`);
    const got = await snapshot(dir);
    expect(got.cache).toEqual(reference.cache);
    expect(got.lock).toBe(reference.lock);
    const only = (db: Record<string, unknown>) => Object.fromEntries(Object.entries(db).filter(([k]) => /^(cohort|hf)\./.test(k)));
    expect(only(got.db)).toEqual(only(reference.db));
    expect(await halfCacheEntries(dir)).toEqual([]);
  });
});

describe('a damaged healthsim.lock', () => {
  const cases: { name: string; edit: (text: string) => string; reason: string; heal?: boolean }[] = [
    { name: 'invalid JSON', edit: (t) => t.slice(0, t.length / 2), reason: 'not valid JSON', heal: true },
    { name: 'another version', edit: (t) => t.replace('"version": 1', '"version": 2'), reason: 'not a healthsim.lock version 1 file' },
    {
      name: 'a malformed step key',
      edit: (t) => {
        const j = JSON.parse(t);
        j.steps['generate:cohort'].key = 'not-a-key';
        return JSON.stringify(j);
      },
      reason: 'step generate:cohort has no valid key',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: --frozen refuses; build warns${c.heal ? ', rebuilds what it must and rewrites the lock' : ' (dry run)'}`, async () => {
      const dir = await copyOfBuilt();
      const lockFile = path.join(dir, 'healthsim.lock');
      await writeFile(lockFile, c.edit(await readFile(lockFile, 'utf8')));
      const frozen = await runCli(dir, ['build', '--frozen']);
      expect(frozen.code).toBe(1);
      expect(frozen.stderr).toContain('--frozen: healthsim.lock is invalid');
      const r = await runCli(dir, c.heal ? ['build'] : ['build', '--dry-run']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`healthsim.lock is not usable (${c.reason}`);
      expect(r.stderr).toContain('every step is treated as new and the lock will be rewritten');
      if (c.heal) await expectHealed(dir);
    });
  }

  it('a well-formed but wrong key: --frozen names the step; build restores the right key', async () => {
    const dir = await copyOfBuilt();
    const lockFile = path.join(dir, 'healthsim.lock');
    const j = JSON.parse(await readFile(lockFile, 'utf8'));
    j.steps['generate:hf'].key = 'f'.repeat(64);
    await writeFile(lockFile, JSON.stringify(j));
    const frozen = await runCli(dir, ['build', '--frozen']);
    expect(frozen.code).toBe(1);
    expect(frozen.stderr).toContain('--frozen: the build would change healthsim.lock for generate:hf');
    const r = await runCli(dir, ['build']);
    expect(r.code, r.stderr).toBe(0);
    await expectHealed(dir);
  });
});

describe('a copied project', () => {
  // Regression: .healthsim/project-cache.json of the original (copied along with cp -r) named the
  // original's root, so the copy's build validated and built the ORIGINAL project.
  it('plans from its own specs, not from the validated-project cache of the directory it was copied from', async () => {
    const dir = await copyOfBuilt();
    const cfg = path.join(dir, 'healthsim.config.yaml');
    await writeFile(cfg, (await readFile(cfg, 'utf8')).replace('count: 6', 'count: 7')); // same size, same second
    const r = await runCli(dir, ['build', '--explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^generate:hf: would run because /m);
    expect(r.stdout).toMatch(/^generate:cohort: up to date/m);
    expect(await readFile(path.join(built, 'healthsim.lock'), 'utf8')).toBe(reference.lock);
  });
});

describe('a database file that is not a database', () => {
  for (const c of [
    {
      name: 'garbage bytes',
      write: async (f: string) => writeFile(f, Buffer.from('this is not a duckdb file\n'.repeat(4000))),
      msg: 'is not a DuckDB database file; move or delete it',
      commands: [['build'], ['query', 'cohort', 'SELECT 1 AS x'], ['list']],
    },
    {
      name: 'a truncated database',
      write: async (f: string) => truncate(f, Math.floor((await stat(f)).size / 3)),
      msg: 'is damaged (',
      commands: [['build'], ['query', 'cohort', 'SELECT 1 AS x']],
    },
  ]) {
    it(`${c.name}: build, query and list fail clearly (exit 1, what to do); after deleting it build rebuilds it from the cache`, async () => {
      const dir = await copyOfBuilt();
      const db = path.join(dir, 'outputs', 'healthsim.duckdb');
      await c.write(db);
      for (const args of c.commands) {
        const r = await runCli(dir, args);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toContain(c.msg);
        expect(r.stderr).toContain('move or delete it (healthsim rebuilds the database from its cache)');
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
      // the exports and the lock are untouched by the failed builds
      expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(reference.exports);
      expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(reference.lock);
      await rm(db);
      const r = await runCli(dir, ['build']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ran\s+persist:cohort/m);
      expect(r.stdout).toMatch(/^up to date\s+export:both-csv/m);
      expect(r.stdout).toMatch(/^cached\s+generate:cohort/m);
      expect(await dbContents(dir)).toEqual(reference.db);
      await expectHealed(dir);
    });
  }
});
});
