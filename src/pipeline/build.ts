import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LocalCache } from './cache.js';
import { removeInterruptedWrites } from './clean.js';
import type { BuildListener, StepReport } from './events.js';
import { runTasks, type Task } from './executor.js';
import { closeGenerationWorkers, keepRowsYoung } from './generateChunks.js';
import { changedFields } from './fingerprint.js';
import { selectTargets } from './graph/selectTargets.js';
import { readLock, serializeLock, writeLock, type LockFile, type LockStep } from './lockfile.js';
import type { Plan, PlannedStep } from './plan.js';
import { defaultPaths, type BuildPaths } from './paths.js';
import { acquireProjectLock } from './projectLock.js';
import { StepRunner, type Freshness } from './runners.js';
import { ENGINE_VERSION } from './versions.js';
import type { LoadedProject } from './project.js';

export interface BuildOptions {
  targets?: string[];
  jobs?: number;
  force?: boolean;
  dryRun?: boolean;
  keepGoing?: boolean;
  frozen?: boolean;
  onEvent?: BuildListener;
  /** wait this long for another build holding the project lock (default 0: fail at once) */
  waitForLockMs?: number;
  paths?: BuildPaths;
  /** do not write healthsim.lock (verify) */
  writeLockFile?: boolean;
  /** rows per generation batch (outputs do not depend on it) */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface BuildResult {
  ok: boolean;
  steps: StepReport[];
  elapsedMs: number;
  lockChanged: boolean;
  /** steps whose key differs from the lock (`--frozen`) */
  frozenViolations: string[];
  unknownTargets: string[];
  error?: string;
}

export class UnknownTargetError extends Error {
  readonly code = 'UNKNOWN_TARGET';
  constructor(readonly targets: string[], readonly known: string[]) {
    super(`unknown target${targets.length > 1 ? 's' : ''} ${targets.join(', ')}; known: ${known.join(', ')}`);
  }
}

function fmtError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Select the steps to consider for these targets (all when none). */
export function selectSteps(plan: Plan, targets: string[] | undefined): PlannedStep[] {
  if (!targets || targets.length === 0) return plan.steps;
  const { selected, unknown } = selectTargets(plan.steps, targets);
  if (unknown.length) {
    const known = [...new Set(plan.steps.flatMap((s) => [s.owner, s.id]))].sort();
    throw new UnknownTargetError(unknown, known);
  }
  return plan.steps.filter((s) => selected.has(s.id));
}

export async function build(project: LoadedProject, plan: Plan, opts: BuildOptions = {}): Promise<BuildResult> {
  const t0 = performance.now();
  // before anything is allocated for the build (see keepRowsYoung)
  keepRowsYoung();
  const emit: BuildListener = opts.onEvent ?? (() => {});
  const paths = opts.paths ?? defaultPaths(project.root, project.config.output_dir);
  const steps = selectSteps(plan, opts.targets);
  // take the project lock before reading healthsim.lock: a build that waited (--wait) must plan
  // against what the build it waited for wrote, not against the lock as it was before
  const release = opts.dryRun ? async () => {} : await acquireProjectLock(paths.stateDir, { waitMs: opts.waitForLockMs ?? 0 });
  const lockRead = await readLock(paths.lockFile);
  if (lockRead.status === 'invalid') {
    emit({ type: 'warning', message: `healthsim.lock is not usable (${lockRead.reason}); every step is treated as new and the lock will be rewritten` });
  }
  const oldLock: LockFile | undefined = lockRead.status === 'ok' ? lockRead.lock : undefined;
  const frozenViolations = steps.filter((s) => oldLock?.steps[s.id]?.key !== s.key).map((s) => s.id);
  const result: BuildResult = { ok: true, steps: [], elapsedMs: 0, lockChanged: false, frozenViolations, unknownTargets: [] };
  if (opts.frozen && (frozenViolations.length > 0 || lockRead.status !== 'ok')) {
    result.ok = false;
    result.error =
      lockRead.status !== 'ok'
        ? `--frozen: healthsim.lock is ${lockRead.status}`
        : `--frozen: the build would change healthsim.lock for ${frozenViolations.join(', ')}`;
    result.elapsedMs = performance.now() - t0;
    await release();
    return result;
  }

  const cache = new LocalCache(paths.cacheDir);
  const runner = new StepRunner(project, plan, paths, cache, { batchSize: opts.batchSize, workers: opts.jobs ?? 1, emit });
  try {
    if (!opts.dryRun) {
      const removed = await cache.removeTemporaries();
      if (removed) emit({ type: 'info', message: `removed ${removed} unfinished cache entr${removed === 1 ? 'y' : 'ies'} left by an interrupted build` });
      const stale = await removeInterruptedWrites(project, paths);
      if (stale.length) emit({ type: 'info', message: `removed ${stale.join(', ')} left by an interrupted build` });
    }
    // 1. freshness of every selected step, then what actually needs to run
    const fresh = new Map<string, Freshness>();
    for (const s of steps) fresh.set(s.id, await runner.freshness(s, oldLock?.steps[s.id], !!opts.force));
    const selectedIds = new Set(steps.map((s) => s.id));
    const needed = new Set<string>();
    for (const s of [...steps].reverse()) {
      const dependents = steps.filter((d) => d.deps.includes(s.id));
      const f = fresh.get(s.id)!;
      if (s.kind === 'persist' || s.kind === 'export') {
        if (f.state !== 'fresh') needed.add(s.id);
      } else if (dependents.length === 0 || dependents.some((d) => needed.has(d.id))) {
        needed.add(s.id); // a producer runs (or is checked in the cache) only when something needs its files
      }
    }
    runner.generatesToRun = steps.filter((s) => s.kind === 'generate' && needed.has(s.id) && fresh.get(s.id)!.state === 'stale').length;
    emit({
      type: 'plan',
      steps: steps.map((s) => ({ id: s.id, willRun: needed.has(s.id) && fresh.get(s.id)!.state === 'stale', reasons: reasonsFor(s, fresh.get(s.id)!, oldLock?.steps[s.id]) })),
    });

    if (opts.dryRun) {
      for (const s of steps) {
        const f = fresh.get(s.id)!;
        result.steps.push({
          id: s.id,
          kind: s.kind,
          key: s.key,
          previousKey: oldLock?.steps[s.id]?.key,
          status: needed.has(s.id) && f.state === 'stale' ? 'would-run' : f.state === 'cached' ? 'cached' : 'up-to-date',
          reasons: reasonsFor(s, f, oldLock?.steps[s.id]),
        });
      }
      result.elapsedMs = performance.now() - t0;
      return result;
    }

    // 2. run
    const reports = new Map<string, StepReport>();
    const tasks: Task[] = steps.map((s) => ({
      id: s.id,
      deps: s.deps.filter((d) => selectedIds.has(d)),
      run: async () => {
        const f = fresh.get(s.id)!;
        const base = { id: s.id, kind: s.kind, key: s.key, previousKey: oldLock?.steps[s.id]?.key };
        if (!needed.has(s.id) || f.state === 'fresh') {
          const r: StepReport = { ...base, status: 'up-to-date', reasons: [], rows: f.rows };
          reports.set(s.id, r);
          emit({ type: 'step-end', report: r });
          return;
        }
        emit({ type: 'step-start', id: s.id });
        const started = performance.now();
        try {
          const out = await runner.run(s, f, !!opts.force);
          const r: StepReport = {
            ...base,
            status: out.ran ? 'ran' : 'cached',
            reasons: out.ran ? reasonsFor(s, out.freshness ?? f, oldLock?.steps[s.id]) : [],
            rows: out.rows,
            previousRows: f.previousRows,
            ms: Math.round(performance.now() - started),
          };
          reports.set(s.id, r);
          emit({ type: 'step-end', report: r });
        } catch (e) {
          const r: StepReport = { ...base, status: 'failed', reasons: [], error: fmtError(e), ms: Math.round(performance.now() - started) };
          reports.set(s.id, r);
          emit({ type: 'step-end', report: r });
          throw e;
        }
      },
    }));
    const outcomes = await runTasks(tasks, { jobs: opts.jobs ?? 1, keepGoing: !!opts.keepGoing, signal: opts.signal });
    for (const s of steps) {
      const o = outcomes.get(s.id)!;
      let r = reports.get(s.id);
      if (!r) {
        r = { id: s.id, kind: s.kind, key: s.key, status: 'skipped', reasons: [o.status === 'skipped' ? `not run: ${o.because} failed` : 'not run'] };
        emit({ type: 'step-end', report: r });
      }
      result.steps.push(r);
      if (o.status !== 'ok') result.ok = false;
    }

    // 3. lock, only after full success
    if (result.ok && opts.writeLockFile !== false) {
      const next: LockFile = { version: 1, engine: ENGINE_VERSION, steps: {} };
      const planned = new Set(plan.steps.map((s) => s.id));
      for (const [id, entry] of Object.entries(oldLock?.steps ?? {})) if (planned.has(id) && !selectedIds.has(id)) next.steps[id] = entry;
      for (const s of steps) next.steps[s.id] = await runner.lockEntry(s, oldLock?.steps[s.id]);
      const before = oldLock ? serializeLock(oldLock) : '';
      result.lockChanged = serializeLock(next) !== before;
      if (result.lockChanged) {
        await mkdir(path.dirname(paths.lockFile), { recursive: true });
        await writeLock(paths.lockFile, next);
      }
    }
  } finally {
    try {
      await runner.close();
    } catch (err) {
      // after a failed step the step's own error is the one to report
      if (result.ok) throw err;
    } finally {
      await closeGenerationWorkers();
      await release();
    }
  }
  result.elapsedMs = performance.now() - t0;
  return result;
}

function reasonsFor(step: PlannedStep, f: Freshness, old: LockStep | undefined): string[] {
  if (f.state === 'fresh') return ['up to date'];
  if (f.state === 'cached') return ['outputs in cache'];
  const out = [...f.reasons];
  if (old && old.key !== step.key) {
    const fields = changedFields(old.fingerprint, step.fingerprint);
    out.push(`key ${old.key.slice(0, 12)} → ${step.key.slice(0, 12)} (changed: ${fields.join(', ')})`);
  } else if (!old) out.push('not in healthsim.lock');
  return out;
}
