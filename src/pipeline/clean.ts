import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LocalCache } from './cache.js';
import { readLock } from './lockfile.js';
import { defaultPaths, pathInside, type BuildPaths } from './paths.js';
import { pidAlive } from './pid.js';
import { acquireProjectLock } from './projectLock.js';
import type { LoadedProject } from './project.js';

export interface CleanResult {
  removed: string[];
}

/** Remove the database, the declared export directories and (unless kept) the cache. */
export async function clean(project: LoadedProject, opts: { keepCache?: boolean } = {}): Promise<CleanResult> {
  const paths = defaultPaths(project.root, project.config.output_dir);
  const release = await acquireProjectLock(paths.stateDir);
  const removed: string[] = [];
  const remove = async (p: string): Promise<void> => {
    try {
      await stat(p);
    } catch {
      return;
    }
    await rm(p, { recursive: true, force: true });
    removed.push(path.relative(project.root, p) || p);
  };
  try {
    await remove(paths.dbFile);
    await remove(paths.dbFile + '.wal');
    for (const ex of project.config.exports) await remove(paths.exportDir(ex.path));
    if (!opts.keepCache) await remove(paths.cacheDir);
  } finally {
    await release();
  }
  return { removed };
}

export interface GcResult {
  removed: { key: string; bytes: number }[];
  kept: number;
  bytesFreed: number;
}

/**
 * Cache keys whose files the project database's views read (datasets stored as views). Those
 * entries are the database's data, so gc keeps them even when healthsim.lock no longer names them.
 */
async function keysReadByDatabase(paths: BuildPaths): Promise<Set<string>> {
  try {
    await stat(paths.dbFile);
  } catch {
    return new Set();
  }
  const store = await import('../store/index.js');
  const db = await store.openProjectDb(paths.dbFile, { readOnly: true });
  try {
    const keys = new Set<string>();
    for (const file of await db.exclusive((conn) => store.referencedFiles(conn))) {
      const rel = pathInside(paths.cacheDir, file);
      if (rel !== undefined) keys.add(rel.split(path.sep)[0]);
    }
    return keys;
  } finally {
    db.close();
  }
}

/** Remove cache entries that neither healthsim.lock nor the project database's views reference. */
export async function cacheGc(project: LoadedProject, opts: { dryRun?: boolean } = {}): Promise<GcResult> {
  const paths = defaultPaths(project.root, project.config.output_dir);
  const lock = await readLock(paths.lockFile);
  if (lock.status === 'invalid') throw Object.assign(new Error(`healthsim.lock is invalid (${lock.reason}); fix or rebuild it before cache gc`), { code: 'LOCK_INVALID' });
  const referenced = new Set(lock.status === 'ok' ? Object.values(lock.lock.steps).map((s) => s.key) : []);
  const release = opts.dryRun ? async () => {} : await acquireProjectLock(paths.stateDir);
  try {
    for (const key of await keysReadByDatabase(paths)) referenced.add(key);
  } catch (err) {
    await release();
    throw err;
  }
  const cache = new LocalCache(paths.cacheDir);
  const res: GcResult = { removed: [], kept: 0, bytesFreed: 0 };
  try {
    if (!opts.dryRun) await cache.removeTemporaries();
    for (const key of await cache.keys()) {
      if (referenced.has(key)) {
        res.kept++;
        continue;
      }
      const bytes = await cache.sizeOf(key);
      if (!opts.dryRun) await cache.remove(key);
      res.removed.push({ key, bytes });
      res.bytesFreed += bytes;
    }
  } finally {
    await release();
  }
  return res;
}

/** Whether process `pid` is running (EPERM: it is, as another user). */

/**
 * Remove what an interrupted (killed) build left outside the cache: the staging and set-aside
 * directories of declared exports (`<dir>.tmp-<pid>`, `<dir>.old-<pid>`) and the temporary files of
 * healthsim.lock and the database state (`<file>.tmp-<pid>`), when their process is gone. Call it
 * while holding the project lock. Returns the project-relative paths removed.
 */
export async function removeInterruptedWrites(project: LoadedProject, paths: BuildPaths): Promise<string[]> {
  const targets = [...project.config.exports.map((e) => paths.exportDir(e.path)), paths.lockFile, path.join(paths.stateDir, 'db-state.json'), path.join(paths.stateDir, 'file-stamps.json')];
  const removed: string[] = [];
  for (const target of targets) {
    const dir = path.dirname(target);
    const base = path.basename(target);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(base + '.')) continue;
      const m = /^\.(?:tmp|old)-(\d+)$/.exec(name.slice(base.length));
      if (!m || pidAlive(Number(m[1]))) continue;
      await rm(path.join(dir, name), { recursive: true, force: true });
      removed.push(path.relative(project.root, path.join(dir, name)));
    }
  }
  return removed;
}
