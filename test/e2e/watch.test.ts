/**
 * `healthsim watch` as a user runs it: a real watcher process on a temp project, real file edits
 * (in place and atomic write-then-rename, like editors), other CLI processes (query, validate,
 * build) running against the same project between rebuilds, and SIGINT to stop it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cp, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalCache } from '../../src/pipeline/cache.js';
import { BIN, exampleProject, exists, hashTree, healthsim, tempDir } from './helpers.js';

/** Small counts so a rebuild takes a second or two. */
const CONFIG = (aCount: number, extra = '  b:\n    profile: profiles/copd.yaml\n    count: 12\n') => `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  a:
    profile: profiles/heart-failure.yaml
    count: ${aCount}
${extra}exports:
  a-csv: { dataset: a, format: csv, path: outputs/exports/a-csv }
`;

/** A running `healthsim watch`: output is collected; waits look only at output after a mark. */
class WatchProcess {
  readonly proc: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(readonly cwd: string, args: string[]) {
    this.proc = spawn(process.execPath, [BIN, 'watch', ...args], { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1' } });
    this.proc.stdout.setEncoding('utf8').on('data', (d: string) => this.feed('stdout', d));
    this.proc.stderr.setEncoding('utf8').on('data', (d: string) => this.feed('stderr', d));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  private feed(stream: 'stdout' | 'stderr', d: string): void {
    this[stream] += d;
    for (const w of this.waiters.splice(0)) w();
  }

  mark(): { out: number; err: number } {
    return { out: this.stdout.length, err: this.stderr.length };
  }

  /** Resolve when `test` holds for the output since `from`; fail with the output on timeout. */
  async until<T>(test: (out: string, err: string) => T | undefined | false, from = { out: 0, err: 0 }, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = test(this.stdout.slice(from.out), this.stderr.slice(from.err));
      if (r) return r;
      if (Date.now() > deadline || this.proc.exitCode !== null) {
        throw new Error(`watch: condition not met within ${timeoutMs} ms\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 250);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** --json: events parsed from stdout lines. */
  events(from = 0): WatchEventJson[] {
    return this.stdout
      .slice(from)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as WatchEventJson);
  }

  async untilEvent(pred: (e: WatchEventJson) => boolean, from = 0, timeoutMs = 20_000): Promise<WatchEventJson> {
    return this.until(() => this.events(from).find(pred), { out: 0, err: 0 }, timeoutMs);
  }

  async stop(): Promise<number | null> {
    if (this.proc.exitCode === null) this.proc.kill('SIGINT');
    return this.exited;
  }
}

interface WatchEventJson {
  type: string;
  time: string;
  n?: number;
  outcome?: string;
  trigger?: string[];
  ran?: string[];
  file?: string;
  interrupted?: boolean;
  report?: { id: string; status: string };
  summaries?: Record<string, string>;
}

const running: WatchProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const w of running) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function project(config: string): Promise<string> {
  const dir = await exampleProject();
  dirs.push(dir);
  await writeFile(path.join(dir, 'healthsim.config.yaml'), config);
  return dir;
}

function watch(dir: string, ...args: string[]): WatchProcess {
  const w = new WatchProcess(dir, args);
  running.push(w);
  return w;
}

/** A save as editors that write atomically do it: a temporary file renamed over the target. */
async function atomicWrite(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp~`, text);
  await rename(`${file}.tmp~`, file);
}

async function queryCount(dir: string, dataset: string, table: string, stderr = ''): Promise<number> {
  const r = healthsim(dir, 'query', dataset, `SELECT count(*)::INTEGER AS n FROM ${table}`, '--format', 'json');
  expect(r.stderr).toBe(stderr);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { rows: { n: number }[] }).rows[0]!.n;
}

/** Row count of every table of every dataset schema, read directly from the database file. */
async function dbCounts(dir: string): Promise<Record<string, number>> {
  const inst = await DuckDBInstance.create(path.join(dir, 'outputs', 'healthsim.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    const tables = (await conn.runAndReadAll(
      "SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1, 2",
    )).getRowObjectsJson() as { s: string; t: string }[];
    const out: Record<string, number> = {};
    for (const { s, t } of tables) {
      const r = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM "${s}"."${t}"`)).getRowObjectsJson() as { n: number }[];
      out[`${s}.${t}`] = r[0]!.n;
    }
    return out;
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/** No temporaries, every cache entry complete and matching its manifest, no project lock. */
async function expectCleanState(dir: string): Promise<void> {
  expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false);
  const cacheDir = path.join(dir, '.healthsim', 'cache');
  const names = await readdir(cacheDir);
  expect(names.filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  const cache = new LocalCache(cacheDir);
  for (const key of await cache.keys()) expect((await cache.lookup(key)).status, key).toBe('hit');
  expect(names.length).toBe((await cache.keys()).length);
}

const BUILT = /rebuilt \d+ steps? in [\d.]+ m?s.*; waiting for changes\n/;

describe('healthsim watch (people)', () => {
  it('rebuilds what a save affects, shows spec errors like validate, picks up new files, stops cleanly on Ctrl-C', async () => {
    const dir = await project(CONFIG(10));
    const w = watch(dir);
    await w.until((out) => BUILT.test(out));
    expect(w.stdout).toMatch(/^watching .*; Ctrl-C to stop\n\[\d\d:\d\d:\d\d\] rebuild 1: \(initial build\)\n/);
    expect(w.stdout).toMatch(/^ {2}ran +persist:a +new: .*patients 10,/m);
    expect(w.stderr).toBe('');

    expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false); // idle: no project lock

    // a save changes dataset a only: its steps run, b stays up to date
    let m = w.mark();
    await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG(15));
    let block = await w.until((out) => BUILT.test(out) && out, m);
    expect(block).toMatch(/^\[\d\d:\d\d:\d\d\] rebuild 2: healthsim.config.yaml\n/);
    const stepLines = block.split('\n').filter((l) => /^ {2}(ran|cached|failed|skipped) /.test(l));
    expect(stepLines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(['ran export:a-csv', 'ran generate:a', 'ran persist:a']);
    expect(block).toMatch(/^ {2}ran +persist:a +patients 10 → 15, encounters \d+ → \d+.* \d+(\.\d+)? m?s$/m);
    expect(block).toMatch(/^ {2}a: 15 patients, /m);
    expect(block).not.toMatch(/^ {2}b: /m);
    expect(block).toMatch(/^rebuilt 3 steps in [\d.]+ m?s \(2 up to date\); waiting for changes$/m);
    expect(await queryCount(dir, 'a', 'patients')).toBe(15); // idle: the database is free for other processes

    // a spec error: the same diagnostic as validate; nothing is rebuilt; outputs stay queryable
    const copd = path.join(dir, 'profiles', 'copd.yaml');
    const goodCopd = await readFile(copd, 'utf8');
    m = w.mark();
    await atomicWrite(copd, goodCopd.replace('mean: 66', 'mean: sixty-six'));
    const errBlock = await w.until((_out, err) => /^not rebuilt: .*\n/m.test(err) && err, m);
    const validate = healthsim(dir, 'validate');
    expect(validate.code).toBe(1);
    const diagnostics = validate.stderr.replace(/error: 1 error; nothing was built or changed\n$/, '');
    expect(diagnostics).toMatch(/^profiles\/copd.yaml:7:32 demographics.age.mean must be a number \(got "sixty-six"\)\n/);
    expect(errBlock).toBe(`${diagnostics}not rebuilt: fix the errors above; the last good outputs are still in place; waiting for changes\n`);
    expect(w.proc.exitCode).toBe(null);
    const warning = 'warning: the specs have 1 error (run healthsim validate); reading the database of the last good build\n';
    expect(await queryCount(dir, 'b', 'patients', warning)).toBe(12);

    // fixed: back to the built version, nothing to do
    m = w.mark();
    await writeFile(copd, goodCopd);
    block = await w.until((out) => /waiting for changes\n/.test(out) && out, m);
    expect(block).toMatch(/^nothing to rebuild \(5 up to date\), [\d.]+ m?s; waiting for changes$/m);

    // the config references a profile that does not exist yet: a diagnostic, then it is picked up
    const extra = '  c:\n    profile: profiles/new-profile.yaml\n    count: 6\n';
    m = w.mark();
    await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG(15, `  b:\n    profile: profiles/copd.yaml\n    count: 12\n${extra}`));
    const missing = await w.until((_out, err) => /^not rebuilt: /m.test(err) && err, m);
    expect(missing).toMatch(/^healthsim.config.yaml:\d+:\d+ .*profiles\/new-profile.yaml/m);
    m = w.mark();
    await writeFile(path.join(dir, 'profiles', 'new-profile.yaml'), goodCopd.replace('id: copd', 'id: new-profile'));
    block = await w.until((out) => BUILT.test(out) && out, m);
    expect(block).toMatch(/rebuild \d+: profiles\/new-profile.yaml\n/);
    expect(block).toMatch(/^ {2}ran +generate:c /m);
    expect(block).toMatch(/^ {2}ran +persist:c +new: .*patients 6,/m);
    expect(block).toMatch(/^ {2}c: 6 patients, /m);

    // deleting it is a diagnostic, not a crash
    m = w.mark();
    await unlink(path.join(dir, 'profiles', 'new-profile.yaml'));
    const deleted = await w.until((_out, err) => /^not rebuilt: /m.test(err) && err, m);
    expect(deleted).toMatch(/^healthsim.config.yaml:\d+:\d+ .*profiles\/new-profile.yaml/m);
    expect(w.proc.exitCode).toBe(null);

    // Ctrl-C: exit 0, nothing left behind
    expect(await w.stop()).toBe(0);
    expect(w.stdout.endsWith('stopped\n')).toBe(true);
    await expectCleanState(dir);
  });
});

describe('healthsim watch --json', () => {
  it('debounces a burst of saves, ends equal to a clean build, and never loses a change made during a rebuild', async () => {
    const onlyA = (n: number) => CONFIG(n, '');
    const dir = await project(onlyA(10));
    const w = watch(dir, '--json');
    await w.untilEvent((e) => e.type === 'rebuild-end' && e.n === 1);
    expect(w.events()[0]).toMatchObject({ type: 'watching', polling: false });
    expect(w.stderr).toBe('');
    const config = path.join(dir, 'healthsim.config.yaml');

    // latency: save → rebuild-start
    let from = w.stdout.length;
    const hf = path.join(dir, 'profiles', 'heart-failure.yaml');
    await writeFile(hf, (await readFile(hf, 'utf8')).replace('mean: 70', 'mean: 71'));
    const saved = Date.now();
    const start = await w.untilEvent((e) => e.type === 'rebuild-start', from);
    const end = await w.untilEvent((e) => e.type === 'rebuild-end', from);
    const latency = Date.parse(start.time) - saved;
    console.log(`watch latency: save → rebuild start ${latency} ms, save → rebuild done ${Date.parse(end.time) - saved} ms`);
    expect(latency).toBeLessThan(2000);
    expect(start.trigger).toEqual(['profiles/heart-failure.yaml']);
    expect(end.outcome).toBe('built');
    expect([...end.ran!].sort()).toEqual(['export:a-csv', 'generate:a', 'persist:a']);
    expect(Object.keys(end.summaries!)).toEqual(['a']);

    // 20 rapid saves (in place and atomic, 25 ms apart) → at most 2 rebuilds, final state = the last save
    from = w.stdout.length;
    const before = w.events().filter((e) => e.type === 'rebuild-start').length;
    for (let i = 0; i < 20; i++) {
      const text = onlyA(11 + i);
      if (i % 2) await atomicWrite(config, text);
      else await writeFile(config, text);
      await new Promise((r) => setTimeout(r, 25));
    }
    // quiet: a rebuild ended and nothing started for 0.6 s (4 × the debounce) after it
    await w.until(() => {
      const evs = w.events(from);
      const last = evs[evs.length - 1];
      return last?.type === 'rebuild-end' && Date.now() - Date.parse(last.time) > 600;
    });
    const burstRebuilds = w.events().filter((e) => e.type === 'rebuild-start').length - before;
    console.log(`watch: 20 saves → ${burstRebuilds} rebuild(s)`);
    expect(burstRebuilds).toBeGreaterThanOrEqual(1);
    expect(burstRebuilds).toBeLessThanOrEqual(2);
    expect(w.events(from).filter((e) => e.type === 'rebuild-end').every((e) => e.outcome === 'built')).toBe(true);

    // the same specs built from scratch by `healthsim build` give identical outputs
    const clean = await tempDir();
    dirs.push(clean);
    for (const f of ['healthsim.config.yaml', 'profiles', 'journeys']) await cp(path.join(dir, f), path.join(clean, f), { recursive: true });
    const built = healthsim(clean, 'build');
    expect(built.code).toBe(0);
    expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(await readFile(path.join(clean, 'healthsim.lock'), 'utf8'));
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(await hashTree(path.join(clean, 'outputs', 'exports')));
    const counts = await dbCounts(dir);
    expect(counts['a.patients']).toBe(30);
    expect(counts).toEqual(await dbCounts(clean));

    // a save during a rebuild is not lost: another rebuild follows with the newer specs
    from = w.stdout.length;
    await writeFile(config, onlyA(41));
    const first = await w.untilEvent((e) => e.type === 'rebuild-start', from);
    await w.untilEvent((e) => e.type === 'step' && e.report?.id === 'generate:a', from);
    await atomicWrite(config, onlyA(42));
    await w.untilEvent((e) => e.type === 'queued' && e.file === 'healthsim.config.yaml', from);
    const firstEnd = await w.untilEvent((e) => e.type === 'rebuild-end' && e.n === first.n, from);
    expect(firstEnd.outcome).toBe('built');
    const second = await w.untilEvent((e) => e.type === 'rebuild-start' && e.n === first.n! + 1, from);
    expect(second.trigger).toEqual(['healthsim.config.yaml']);
    const secondEnd = await w.untilEvent((e) => e.type === 'rebuild-end' && e.n === second.n, from);
    expect(secondEnd.outcome).toBe('built');
    expect([...secondEnd.ran!].sort()).toEqual(['export:a-csv', 'generate:a', 'persist:a']);
    expect((await dbCounts(dir))['a.patients']).toBe(42);

    expect(await w.stop()).toBe(0);
    expect(w.events().at(-1)).toMatchObject({ type: 'stopped' });
    expect(w.stderr).toBe('');
    await expectCleanState(dir);
  });

  it('on the example project: reacts to a save within 2 s; Ctrl-C during a rebuild exits 0 and leaves no half outputs', async () => {
    const dir = await exampleProject();
    dirs.push(dir);
    const w = watch(dir, 'medicare-ca', '--json');
    await w.untilEvent((e) => e.type === 'rebuild-end' && e.n === 1);
    const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    const from = w.stdout.length;
    const profile = path.join(dir, 'profiles', 'medicare-advantage-ca.yaml');
    await atomicWrite(profile, (await readFile(profile, 'utf8')).replace('mean: 74', 'mean: 72'));
    const saved = Date.now();
    const start = await w.untilEvent((e) => e.type === 'rebuild-start', from);
    const latency = Date.parse(start.time) - saved;
    console.log(`watch latency (example project): save → rebuild start ${latency} ms`);
    expect(latency).toBeLessThan(2000);

    // interrupt while generate:medicare-ca runs: it finishes into the cache, persist never starts
    await w.untilEvent((e) => e.type === 'step-start', from);
    w.proc.kill('SIGINT');
    expect(await w.exited).toBe(0);
    const evs = w.events(from);
    expect(evs.map((e) => e.type).filter((t) => t !== 'change')).toEqual(['rebuild-start', 'step-start', 'step', 'rebuild-end', 'stopped']);
    expect(evs.find((e) => e.type === 'step')?.report).toMatchObject({ id: 'generate:medicare-ca', status: 'ran' });
    expect(evs.find((e) => e.type === 'rebuild-end')).toMatchObject({ outcome: 'interrupted', ran: ['generate:medicare-ca'] });
    expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(lock);
    await expectCleanState(dir);
    expect((await dbCounts(dir))['medicare_ca.members']).toBe(100); // the last good build
  });
});
