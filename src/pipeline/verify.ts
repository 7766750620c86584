import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from './build.js';
import { describeFiles, LocalCache, sha256File } from './cache.js';
import { readLock } from './lockfile.js';
import { defaultPaths, type BuildPaths } from './paths.js';
import type { Plan } from './plan.js';
import type { LoadedProject } from './project.js';

export interface VerifyProblem {
  step: string;
  file?: string;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  checkedSteps: number;
  checkedFiles: number;
  problems: VerifyProblem[];
}

/**
 * Two checks against healthsim.lock:
 *  1. the outputs on disk (declared exports, cache entries) still hash to what the lock says;
 *  2. a clean rebuild in a temporary directory (no cache, no database) reproduces every hash.
 */
export async function verify(project: LoadedProject, plan: Plan, opts: { jobs?: number } = {}): Promise<VerifyResult> {
  const res: VerifyResult = { ok: true, checkedSteps: 0, checkedFiles: 0, problems: [] };
  const lockPath = defaultPaths(project.root, project.config.output_dir).lockFile;
  const lock = await readLock(lockPath);
  if (lock.status !== 'ok') {
    res.ok = false;
    res.problems.push({ step: '-', problem: lock.status === 'missing' ? 'healthsim.lock is missing: run healthsim build first' : `healthsim.lock is invalid: ${lock.reason}` });
    return res;
  }
  for (const s of plan.steps) {
    const entry = lock.lock.steps[s.id];
    if (!entry) res.problems.push({ step: s.id, problem: 'not in healthsim.lock (the specs changed since the last build)' });
    else if (entry.key !== s.key) res.problems.push({ step: s.id, problem: `key in healthsim.lock ${entry.key.slice(0, 12)} differs from the specs' key ${s.key.slice(0, 12)} (rebuild and commit the lock)` });
  }

  // 1. outputs on disk
  const paths = defaultPaths(project.root, project.config.output_dir);
  for (const s of plan.steps) {
    const entry = lock.lock.steps[s.id];
    if (!entry?.outputs || s.kind !== 'export') continue;
    const dir = paths.exportDir(project.config.exports.find((e) => e.name === s.owner)!.path);
    for (const f of entry.outputs) {
      const full = path.join(dir, f.file);
      res.checkedFiles++;
      try {
        await stat(full);
      } catch {
        res.problems.push({ step: s.id, file: path.relative(project.root, full), problem: 'missing on disk' });
        continue;
      }
      if ((await sha256File(full)) !== f.sha256) res.problems.push({ step: s.id, file: path.relative(project.root, full), problem: 'on disk it differs from healthsim.lock' });
    }
  }

  // 2. clean rebuild
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'healthsim-verify-'));
  try {
    const tmpPaths: BuildPaths = {
      root: project.root,
      stateDir: path.join(tmp, 'state'),
      cacheDir: path.join(tmp, 'cache'),
      dbFile: path.join(tmp, 'healthsim.duckdb'),
      lockFile: path.join(tmp, 'healthsim.lock'),
      exportDir: (p) => path.join(tmp, 'exports', path.isAbsolute(p) ? p.replace(/^\/+/, 'abs/') : p),
    };
    const r = await build(project, plan, { paths: tmpPaths, force: true, writeLockFile: false, jobs: opts.jobs });
    if (!r.ok) {
      res.problems.push({ step: '-', problem: `the clean rebuild failed: ${r.error ?? r.steps.filter((x) => x.error).map((x) => `${x.id}: ${x.error}`).join('; ')}` });
    } else {
      const cache = new LocalCache(tmpPaths.cacheDir);
      for (const s of plan.steps) {
        const entry = lock.lock.steps[s.id];
        if (!entry?.outputs || entry.key !== s.key) continue;
        res.checkedSteps++;
        let rebuilt: { file: string; sha256: string }[] = [];
        if (s.kind === 'export') {
          rebuilt = await describeFiles(tmpPaths.exportDir(project.config.exports.find((e) => e.name === s.owner)!.path));
        } else {
          const hit = await cache.lookup(s.key);
          if (hit.status === 'hit') rebuilt = hit.manifest.files;
        }
        const byFile = new Map(rebuilt.map((f) => [f.file, f.sha256]));
        for (const f of entry.outputs) {
          res.checkedFiles++;
          const h = byFile.get(f.file);
          if (h === undefined) res.problems.push({ step: s.id, file: f.file, problem: 'the clean rebuild did not produce this file' });
          else if (h !== f.sha256) res.problems.push({ step: s.id, file: f.file, problem: `rebuilt bytes differ from healthsim.lock (${f.sha256.slice(0, 12)} → ${h.slice(0, 12)})` });
        }
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  res.ok = res.problems.length === 0;
  return res;
}
