import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pidAlive } from './pid.js';

/**
 * One writer per shard of a dataset: `<shard-dir>/<dataset>/.shard-K.lock`, created with O_EXCL
 * by `build --shard K/N` for as long as it writes that dataset's shard, and taken by
 * `shards combine` for every shard it reads, so a combine never reads a shard that is being
 * rewritten and two runs of one shard never delete each other's files.
 *
 * Shard directories are often shared between machines (a ReadWriteMany volume, see
 * deploy/k8s), where a pid means nothing. The holder therefore records its host and rewrites
 * the file every `heartbeatMs`. A lock of this host is stale when its process is gone (kill -9);
 * a lock of another host is stale when its content has not changed for `staleMs` of the
 * waiter's own clock (no clocks are compared across machines), so a retried Kubernetes pod takes
 * over its killed predecessor's shard after about `staleMs`.
 */
export interface ShardLockHolder {
  pid: number;
  host: string;
  token: string;
  /** heartbeats written so far */
  beat: number;
}

export interface ShardLockOptions {
  /** wait up to this long for a live holder to finish (`--wait`); 0 fails at once */
  waitMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** another host's lock whose content stays the same this long is stale */
  staleMs?: number;
  /** this machine's name (tests) */
  host?: string;
}

export const SHARD_LOCK_HEARTBEAT_MS = 5_000;
export const SHARD_LOCK_STALE_MS = 60_000;

export class ShardLockedError extends Error {
  readonly code = 'SHARD_LOCKED';
  constructor(
    readonly dataset: string,
    readonly shard: number,
    readonly holder: ShardLockHolder,
    readonly lockFile: string,
    opts: { local: boolean; waitedMs: number; staleMs: number },
  ) {
    super(
      `shard ${shard} of ${dataset} is being written by pid ${holder.pid} on ${opts.local ? 'this machine' : `host ${holder.host}`} ` +
        `(another healthsim build --shard ${shard}/N or shards combine${opts.waitedMs >= 1000 ? `; still there after ${Math.round(opts.waitedMs / 1000)} s` : ''}); ` +
        `wait for it to finish, or run again with --wait SECONDS. Lock file: ${lockFile}` +
        (opts.local ? '' : ` (if that process is gone, its lock is taken over once it has not changed for ${Math.round(opts.staleMs / 1000)} s)`),
    );
  }
}

export function shardLockFile(datasetDir: string, index: number): string {
  return path.join(datasetDir, `.shard-${index}.lock`);
}

export const SHARD_LOCK_RE = /^\.shard-(\d+)\.lock$/;

function parseHolder(text: string): ShardLockHolder | undefined {
  try {
    const h = JSON.parse(text) as ShardLockHolder;
    if (h && Number.isInteger(h.pid) && h.pid > 0 && typeof h.host === 'string' && typeof h.token === 'string') return h;
  } catch {
    /* being written, or not ours */
  }
  return undefined;
}

/** The holder named in a lock file, if it exists and parses (for messages). */
export async function readShardLock(file: string): Promise<ShardLockHolder | undefined> {
  try {
    return parseHolder(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Removes the lock file only if it still holds `text` (what was judged stale). */
async function removeIfUnchanged(file: string, text: string): Promise<void> {
  let now: string;
  try {
    now = await readFile(file, 'utf8');
  } catch {
    return;
  }
  if (now === text) await rm(file, { force: true });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the lock of shard `index` of the dataset whose shard directory is `datasetDir`, waiting
 * as `opts` say. Returns the release. Throws ShardLockedError when a live holder keeps it.
 */
export async function acquireShardLock(datasetDir: string, dataset: string, index: number, opts: ShardLockOptions = {}): Promise<() => Promise<void>> {
  const file = shardLockFile(datasetDir, index);
  const host = opts.host ?? os.hostname();
  const heartbeatMs = opts.heartbeatMs ?? SHARD_LOCK_HEARTBEAT_MS;
  const staleMs = opts.staleMs ?? SHARD_LOCK_STALE_MS;
  const pollMs = opts.pollMs ?? 250;
  const start = performance.now();
  const deadline = start + (opts.waitMs ?? 0);
  const me: ShardLockHolder = { pid: process.pid, host, token: randomUUID(), beat: 0 };
  await mkdir(datasetDir, { recursive: true });
  // another host's lock: its content when first seen, and since when (this process's clock)
  let seen: { text: string; since: number; changed: boolean } | undefined;
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(JSON.stringify(me));
      } finally {
        await fh.close();
      }
      return startHeartbeat(file, me, heartbeatMs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // released between our open and read
    }
    const holder = parseHolder(text);
    const now = performance.now();
    if (holder && holder.host === host) {
      if (!pidAlive(holder.pid)) {
        await removeIfUnchanged(file, text); // left by a killed run on this machine
        continue;
      }
      if (now >= deadline) throw new ShardLockedError(dataset, index, holder, file, { local: true, waitedMs: now - start, staleMs });
    } else {
      // another machine's lock (or one being written): alive while its heartbeat changes it
      if (!seen) seen = { text, since: now, changed: false };
      else if (seen.text !== text) seen = { text, since: now, changed: true };
      else if (now - seen.since >= staleMs) {
        await removeIfUnchanged(file, text);
        seen = undefined;
        continue;
      }
      if (seen.changed && now >= deadline) {
        throw new ShardLockedError(dataset, index, holder ?? { pid: 0, host: 'unknown', token: '', beat: 0 }, file, { local: false, waitedMs: now - start, staleMs });
      }
    }
    await sleep(pollMs);
  }
}

/** Rewrites the lock every `heartbeatMs` while it is still ours; the release stops that and removes it. */
function startHeartbeat(file: string, me: ShardLockHolder, heartbeatMs: number): () => Promise<void> {
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(async () => {
      try {
        const now = parseHolder(await readFile(file, 'utf8'));
        if (now?.token !== me.token) return; // taken over (we were stopped longer than staleMs)
        me.beat++;
        await writeFile(file, JSON.stringify(me));
      } catch {
        /* a missed beat is harmless; the next one retries */
      }
    });
  }, heartbeatMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await beating;
    try {
      if (parseHolder(await readFile(file, 'utf8'))?.token === me.token) await rm(file, { force: true });
    } catch {
      /* already gone */
    }
  };
}
