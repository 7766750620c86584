/**
 * The Watcher state machine in process: real chokidar on a temp directory, real file writes, a
 * fake load and build so each transition (debounce, dirty flag, stop, retry) is observable.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/pipeline/build.js';
import type { StepReport } from '../../src/pipeline/events.js';
import type { LoadedProject } from '../../src/pipeline/project.js';
import { ProjectLockedError } from '../../src/pipeline/projectLock.js';
import { MIN_DEBOUNCE_MS, shouldPoll, Watcher, type RunBuild, type WatchEvent } from '../../src/pipeline/watch.js';
import type { Diagnostic } from '../../src/spec/diagnostic.js';
import type { Result } from '../../src/spec/result.js';
import { rowChanges } from '../../src/cli/commands/watch.js';

const PROJECT = { warnings: [] } as unknown as LoadedProject;

function report(id: string, status: StepReport['status'], extra: Partial<StepReport> = {}): StepReport {
  return { id, kind: id.split(':')[0]!, status, key: 'k', reasons: [], ...extra };
}

function result(steps: StepReport[]): BuildResult {
  const ok = steps.every((s) => s.status !== 'failed' && s.status !== 'skipped');
  return { ok, steps, elapsedMs: 1, lockChanged: ok, frozenViolations: [], unknownTargets: [] };
}

interface Harness {
  watcher: Watcher;
  events: WatchEvent[];
  builds: { signal: AbortSignal }[];
}

let dir: string;
let current: Watcher | undefined;
/** gates a failed test left closed are opened so stop() can finish */
const gates: (() => void)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'healthsim-watch-'));
  await writeFile(path.join(dir, 'spec.yaml'), 'v: 0\n');
});
afterEach(async () => {
  for (const open of gates.splice(0)) open();
  await current?.stop();
  current = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(opts: { runBuild?: RunBuild; load?: () => Promise<Result<LoadedProject>>; debounceMs?: number; retryMs?: number } = {}): Promise<Harness> {
  const events: WatchEvent[] = [];
  const builds: { signal: AbortSignal }[] = [];
  const runBuild: RunBuild = opts.runBuild ?? (async () => result([report('generate:a', 'ran')]));
  const watcher = new Watcher({
    root: dir,
    debounceMs: opts.debounceMs ?? 200,
    retryMs: opts.retryMs,
    load: opts.load ?? (async () => ({ ok: true, value: PROJECT })),
    runBuild: (p, o) => {
      builds.push({ signal: o.signal });
      return runBuild(p, o);
    },
    onEvent: (e) => events.push(e),
  });
  current = watcher;
  await watcher.start();
  return { watcher, events, builds };
}

async function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ends = (h: Harness) => h.events.filter((e): e is Extract<WatchEvent, { type: 'rebuild-end' }> => e.type === 'rebuild-end');
const starts = (h: Harness) => h.events.filter((e): e is Extract<WatchEvent, { type: 'rebuild-start' }> => e.type === 'rebuild-start');

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  gates.push(resolve);
  return { promise, resolve };
}

describe('Watcher', () => {
  it('builds once at start, then once per burst of saves; ignores other files and output directories', async () => {
    const h = await start();
    await until(() => ends(h).length === 1);
    expect(h.events.slice(0, 2)).toEqual([
      { type: 'watching', root: dir, polling: false },
      { type: 'rebuild-start', n: 1, trigger: ['(initial build)'] },
    ]);
    expect(h.watcher.currentState).toBe('idle');

    for (let i = 1; i <= 10; i++) {
      await writeFile(path.join(dir, 'spec.yaml'), `v: ${i}\n`);
      await sleep(20);
    }
    await mkdir(path.join(dir, '.healthsim'));
    await mkdir(path.join(dir, 'outputs'));
    await writeFile(path.join(dir, 'notes.txt'), 'not a spec');
    await writeFile(path.join(dir, '.healthsim', 'state.yaml'), 'x: 1');
    await writeFile(path.join(dir, 'outputs', 'export.yaml'), 'x: 1');
    await until(() => ends(h).length === 2);
    await sleep(400);
    expect(starts(h).map((e) => e.trigger)).toEqual([['(initial build)'], ['spec.yaml']]);
    const changed = new Set(h.events.flatMap((e) => (e.type === 'change' ? [e.file] : [])));
    expect([...changed]).toEqual(['spec.yaml']);
    expect(ends(h)[1]).toMatchObject({ n: 2, outcome: 'built', ok: true, interrupted: false, ran: ['generate:a'], cached: [], failed: [], upToDate: 0 });
  });

  it('reports steps that ran, came from the cache or failed, not those up to date', async () => {
    const h = await start({
      runBuild: async (_p, o) => {
        const steps = [report('generate:a', 'ran'), report('generate:b', 'cached'), report('persist:c', 'up-to-date'), report('persist:a', 'failed', { error: 'boom' }), report('export:x', 'skipped')];
        for (const s of steps) o.onEvent({ type: 'step-end', report: s });
        return result(steps);
      },
    });
    await until(() => ends(h).length === 1);
    expect(h.events.flatMap((e) => (e.type === 'step' ? [`${e.report.status} ${e.report.id}`] : []))).toEqual([
      'ran generate:a',
      'cached generate:b',
      'failed persist:a',
      'skipped export:x',
    ]);
    expect(ends(h)[0]).toMatchObject({ outcome: 'failed', ok: false, ran: ['generate:a'], cached: ['generate:b'], failed: ['persist:a'], upToDate: 1 });
  });

  it('a change during a build is not lost: exactly one more rebuild follows with every file changed meanwhile', async () => {
    const gate = deferred();
    let n = 0;
    const h = await start({
      runBuild: async () => {
        if (++n === 2) await gate.promise;
        return result([report('generate:a', 'ran')]);
      },
    });
    await until(() => ends(h).length === 1);
    await writeFile(path.join(dir, 'spec.yaml'), 'v: 1\n');
    await until(() => h.builds.length === 2);
    expect(h.watcher.currentState).toBe('building');
    await writeFile(path.join(dir, 'spec.yaml'), 'v: 2\n');
    await writeFile(path.join(dir, 'other.yml'), 'v: 1\n');
    await until(() => h.events.some((e) => e.type === 'change' && e.file === 'other.yml'));
    expect(h.events.filter((e) => e.type === 'queued')).toHaveLength(1);
    gate.resolve();
    await until(() => ends(h).length === 3);
    await sleep(300);
    expect(starts(h).map((e) => [e.n, e.trigger])).toEqual([
      [1, ['(initial build)']],
      [2, ['spec.yaml']],
      [3, ['other.yml', 'spec.yaml']],
    ]);
    expect(h.watcher.currentState).toBe('idle');
  });

  it('spec errors are diagnostics: nothing is built, the watcher keeps running and rebuilds after the fix', async () => {
    const bad: Diagnostic = { severity: 'error', code: 'schema.type', message: 'x must be a number', file: 'spec.yaml', line: 1, col: 4 };
    let valid = false;
    const h = await start({ load: async () => (valid ? { ok: true, value: PROJECT } : { ok: false, errors: [bad] }) });
    await until(() => ends(h).length === 1);
    expect(h.events.filter((e) => e.type === 'diagnostics')).toEqual([{ type: 'diagnostics', diagnostics: [bad] }]);
    expect(ends(h)[0]).toMatchObject({ outcome: 'invalid', ok: false, ran: [] });
    expect(h.builds).toHaveLength(0);
    expect(h.watcher.currentState).toBe('idle');
    valid = true;
    await writeFile(path.join(dir, 'spec.yaml'), 'v: 1\n');
    await until(() => ends(h).length === 2);
    expect(ends(h)[1]).toMatchObject({ outcome: 'built', ran: ['generate:a'] });
  });

  it('stop() during a build aborts it, waits for the running step, and ignores later changes', async () => {
    const gate = deferred();
    const h = await start({
      runBuild: async (_p, o) => {
        await gate.promise;
        return result([report('generate:a', 'ran'), report('persist:a', o.signal.aborted ? 'skipped' : 'ran')]);
      },
    });
    await until(() => h.builds.length === 1);
    let stopped = false;
    const stopping = h.watcher.stop().then(() => (stopped = true));
    expect(h.builds[0]!.signal.aborted).toBe(true);
    expect(h.watcher.currentState).toBe('stopping');
    await sleep(100);
    expect(stopped).toBe(false); // the running step is allowed to finish
    gate.resolve();
    await stopping;
    expect(h.watcher.currentState).toBe('stopped');
    expect(h.events.filter((e) => e.type === 'step')).toEqual([]);
    expect(h.events.slice(-2)).toEqual([
      expect.objectContaining({ type: 'rebuild-end', outcome: 'interrupted', interrupted: true, ran: ['generate:a'] }),
      { type: 'stopped', rebuilds: 1 },
    ]);
    await writeFile(path.join(dir, 'spec.yaml'), 'v: 9\n');
    await sleep(400);
    expect(h.builds).toHaveLength(1);
  });

  it('retries, with a growing pause, a rebuild that found the database or the project held by another process', async () => {
    let n = 0;
    const locked = new ProjectLockedError(42, '/p/.healthsim/build.pid');
    const h = await start({
      retryMs: 50,
      runBuild: async () => {
        n++;
        if (n === 1) return result([report('persist:a', 'failed', { error: 'database /p/outputs/healthsim.duckdb is locked by pid 42 (another healthsim build?)' })]);
        if (n === 2) throw locked;
        return result([report('persist:a', 'ran')]);
      },
    });
    await until(() => ends(h).length === 3);
    expect(h.events.filter((e) => e.type === 'retry')).toEqual([
      { type: 'retry', reason: 'database /p/outputs/healthsim.duckdb is locked by pid 42 (another healthsim build?)', inMs: 50, attempt: 1 },
      { type: 'retry', reason: locked.message, inMs: 100, attempt: 2 },
    ]);
    expect(starts(h).map((e) => e.trigger)).toEqual([['(initial build)'], ['(retry)'], ['(retry)']]);
    expect(ends(h).map((e) => [e.outcome, e.error])).toEqual([['failed', undefined], ['failed', locked.message], ['built', undefined]]);
  });

  it('never debounces for less than chokidar’s change throttle', async () => {
    const h = await start({ debounceMs: 0 });
    await until(() => ends(h).length === 1);
    const t0 = performance.now();
    await writeFile(path.join(dir, 'spec.yaml'), 'v: 1\n');
    await until(() => starts(h).length === 2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(MIN_DEBOUNCE_MS - 5);
  });
});

describe('shouldPoll', () => {
  it('an explicit choice wins; a local filesystem uses native events', async () => {
    expect(await shouldPoll(dir, true)).toEqual({ poll: true, reason: 'polling requested' });
    expect(await shouldPoll(dir, false)).toEqual({ poll: false, reason: 'polling disabled' });
    expect((await shouldPoll(dir)).poll).toBe(false);
  });
});

describe('rowChanges (watch output)', () => {
  it('lists only the tables whose row count changed', () => {
    expect(rowChanges({ 'patients.parquet': 150, 'encounters.parquet': 900, 'allergies.parquet': 3 }, { patients: 100, encounters: 900, allergies: 2 })).toBe(
      'patients 100 → 150, allergies 2 → 3',
    );
    expect(rowChanges({ patients: 10, encounters: 0 }, undefined)).toBe('new: patients 10');
    expect(rowChanges({ patients: 10 }, { patients: 10 })).toBe('row counts unchanged');
    expect(rowChanges({ patients: 10 }, { patients: 10, claims: 4 })).toBe('claims 4 → 0');
    expect(rowChanges(undefined, { patients: 1 })).toBe('');
  });
});
