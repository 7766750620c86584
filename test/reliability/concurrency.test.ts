/**
 * Guarantee: processes sharing one project never corrupt it. A second `build` fails at once naming
 * the holder's pid (exit 1) or, with `--wait`, waits for it; `build` and `query` exclude each other
 * on the DuckDB file (one writer process) with a clear "locked by pid N" message; `watch` holds
 * nothing between rebuilds, so a `build` beside an idle watcher proceeds.
 */
import { spawn } from 'node:child_process';
import { cp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, datasetRowCounts, dbContents, exists, leftovers, rmrf, runCli, smallProject, tempDir } from './helpers.js';

const EXPECTED_PATIENTS = { 'both.patients': 18, 'cohort.patients': 12, 'hf.patients': 6 };
const patients = async (dir: string): Promise<Record<string, number>> =>
  Object.fromEntries(Object.entries(datasetRowCounts(await dbContents(dir), ['both', 'cohort', 'hf'])).filter(([k]) => k.endsWith('.patients')));

async function waitFor(cond: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether process `pid` has `file` open (Linux /proc; elsewhere: after a 2 s grace period). */
const started = new Map<number, number>();
async function holdsFile(pid: number, file: string): Promise<boolean> {
  if (process.platform !== 'linux') {
    if (!started.has(pid)) started.set(pid, performance.now());
    return performance.now() - started.get(pid)! > 2_000;
  }
  try {
    for (const fd of await readdir(`/proc/${pid}/fd`)) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target === file) return true;
    }
  } catch {
    /* exited */
  }
  return false;
}

/** A long SELECT (interrupted by --timeout) that keeps the database open read-only meanwhile. */
const SLOW_SQL = 'SELECT sum(hash(a.range * 7 + b.range)) AS n FROM range(40000) a, range(40000) b';

let built: string; // a project built once, copied by the tests that need a built project
const dirs: string[] = [];

beforeAll(async () => {
  built = await smallProject();
  const r = await runCli(built, ['build']);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  for (const d of [built, ...dirs]) if (d) await rmrf(d);
});

async function copyOfBuilt(): Promise<string> {
  const dir = await tempDir('hs-rel-conc-');
  dirs.push(dir);
  await cp(built, dir, { recursive: true });
  return dir;
}

describe.concurrent('processes sharing one project', () => {
describe('two builds on one project', () => {
  it('the second fails naming the first one\'s pid (exit 1); with --wait it waits and then finds everything up to date', async () => {
    const dir = await smallProject();
    dirs.push(dir);
    const pidFile = path.join(dir, '.healthsim', 'build.pid');
    const first = spawn(process.execPath, [BIN, 'build'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: 'ignore' });
    const firstDone = new Promise<number | null>((r) => first.on('close', (c) => r(c)));
    await waitFor(() => exists(pidFile), 30_000, 'the first build to take the project lock');

    const second = await runCli(dir, ['build']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`project is locked by pid ${first.pid}`);
    expect(second.stderr).not.toMatch(/internal error|\n\s+at /);

    const waiting = runCli(dir, ['build', '--wait', '120']);
    expect(await firstDone).toBe(0);
    const third = await waiting;
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/everything up to date/);

    expect(await patients(dir)).toEqual(EXPECTED_PATIENTS);
    expect(await leftovers(dir)).toEqual([]);
    expect(await exists(pidFile)).toBe(false);
  });
});

describe('build and query', () => {
  it('a build that needs the database while a query reads it fails clearly (exit 1, pid named); afterwards it succeeds', async () => {
    const dir = await copyOfBuilt();
    const q = spawn(process.execPath, [BIN, 'query', 'cohort', SLOW_SQL, '--timeout', '5'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let qerr = '';
    q.stderr!.on('data', (c) => (qerr += String(c)));
    const qDone = new Promise<number | null>((r) => q.on('close', (c) => r(c)));
    await waitFor(() => holdsFile(q.pid!, path.join(dir, 'outputs', 'healthsim.duckdb')), 30_000, 'the query to open the database');
    // without its recorded state the build must read the catalog, i.e. open the database
    await rm(path.join(dir, '.healthsim', 'db-state.json'));
    const b = await runCli(dir, ['build']);
    const qCode = await qDone;
    expect(qCode === 0 || /query exceeded 5 s/.test(qerr), qerr).toBe(true);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(new RegExp(`database .*healthsim\\.duckdb is locked by pid ${q.pid}`));
    expect(b.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false);

    const again = await runCli(dir, ['build']);
    expect(again.code, again.stderr).toBe(0);
    // a copied project's views still read the original's cache: they are re-pointed, nothing regenerated
    expect(again.stdout).not.toMatch(/^ran\s+(generate|merge|clone|export)/m);
    expect(await patients(dir)).toEqual(EXPECTED_PATIENTS);
    expect((await runCli(dir, ['build'])).stdout).toMatch(/everything up to date/);
  });

  it('a query while a build holds the database gets a clear locked message or its answer; the build is unharmed', async () => {
    const dir = await copyOfBuilt();
    let lines = '';
    const b = spawn(process.execPath, [BIN, 'build', '--force'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    b.stdout!.on('data', (c) => (lines += String(c)));
    let bExited = false;
    const bDone = new Promise<number | null>((r) => b.on('close', (c) => ((bExited = true), r(c))));
    // "ran persist:…" printed: the build has the database open until it finishes
    await waitFor(() => /ran\s+persist:/.test(lines) || bExited, 60_000, 'the build to persist a dataset');
    const q = await runCli(dir, ['query', 'cohort', 'SELECT count(*) AS n FROM patients', '--format', 'json']);
    const stillRunning = !bExited;
    expect(await bDone).toBe(0);
    if (q.code === 0) {
      expect(JSON.parse(q.stdout).rows).toEqual([{ n: 12 }]);
    } else {
      expect(q.code).toBe(1);
      expect(q.stderr).toMatch(new RegExp(`is locked by pid ${b.pid}`));
      expect(q.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    if (stillRunning && q.code === 0) {
      // only possible if the build released the database before the query opened it
      expect(/ran\s+persist:.*\n[\s\S]*ran\s+persist:.*\n[\s\S]*ran\s+persist:/.test(lines)).toBe(true);
    }
    expect(await patients(dir)).toEqual(EXPECTED_PATIENTS);
  });
});

describe('watch and build', () => {
  it('a build beside an idle watcher proceeds; one during a rebuild waits with --wait', async () => {
    const dir = await copyOfBuilt();
    let out = '';
    const w = spawn(process.execPath, [BIN, 'watch', '--json', '--debounce', '50'], { cwd: dir, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    w.stdout!.on('data', (c) => (out += String(c)));
    const wDone = new Promise<number | null>((r) => w.on('close', (c) => r(c)));
    const ends = (): number => out.split('\n').filter((l) => l.includes('"rebuild-end"')).length;
    try {
      await waitFor(() => ends() >= 1, 60_000, 'the watcher\'s initial build');
      const idle = await runCli(dir, ['build']);
      expect(idle.code, idle.stderr).toBe(0);
      expect(idle.stdout).toMatch(/everything up to date/);

      // a saved change: the watcher rebuilds hf and the merge; a build meanwhile waits for it
      const cfg = path.join(dir, 'healthsim.config.yaml');
      const text = (await import('node:fs/promises')).readFile(cfg, 'utf8');
      await writeFile(cfg, (await text).replace('count: 6', 'count: 7'));
      await waitFor(() => out.includes('"rebuild-start"') && out.split('"rebuild-start"').length > 2, 30_000, 'the watcher to start rebuilding');
      const during = await runCli(dir, ['build', '--wait', '120']);
      expect(during.code, during.stderr).toBe(0);
      expect(during.stderr).not.toMatch(/internal error/);
      await waitFor(() => ends() >= 2, 60_000, 'the watcher\'s rebuild');
      expect(out.split('\n').filter((l) => l.includes('"rebuild-end"'))[1]).toContain('"ok":true');
    } finally {
      w.kill('SIGTERM');
      await wDone;
    }
    expect(await patients(dir)).toEqual({ 'both.patients': 19, 'cohort.patients': 12, 'hf.patients': 7 });
    expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false);
    expect(await leftovers(dir)).toEqual([]);
  });
});
});
