import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireShardLock, shardLockFile, ShardLockedError, type ShardLockHolder } from '../../src/pipeline/shardLock.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function holder(h: Partial<ShardLockHolder>): string {
  return JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'other', beat: 0, ...h });
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

describe('shard lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hs-shardlock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('is held by one run of a shard at a time, on this machine; other shards are free', async () => {
    const release = await acquireShardLock(dir, 'cohort', 2);
    const file = shardLockFile(dir, 2);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), beat: 0 });
    const t0 = performance.now();
    const err = await acquireShardLock(dir, 'cohort', 2).catch((e) => e);
    expect(performance.now() - t0).toBeLessThan(1000); // a live local holder fails at once
    expect(err).toBeInstanceOf(ShardLockedError);
    expect(err.message).toBe(
      `shard 2 of cohort is being written by pid ${process.pid} on this machine (another healthsim build --shard 2/N or shards combine); wait for it to finish, or run again with --wait SECONDS. Lock file: ${file}`,
    );
    const other = await acquireShardLock(dir, 'cohort', 3);
    await other();
    await release();
    expect(await exists(file)).toBe(false);
    await (await acquireShardLock(dir, 'cohort', 2))();
  });

  it('with a wait, is taken as soon as the holder releases it', async () => {
    const release = await acquireShardLock(dir, 'cohort', 0);
    setTimeout(() => void release(), 300);
    const t0 = performance.now();
    const mine = await acquireShardLock(dir, 'cohort', 0, { waitMs: 10_000, pollMs: 20 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(performance.now() - t0).toBeLessThan(5000);
    await mine();
  });

  it('a wait that runs out names the holder and how long it waited', async () => {
    const release = await acquireShardLock(dir, 'cohort', 0);
    const err = await acquireShardLock(dir, 'cohort', 0, { waitMs: 1200, pollMs: 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(ShardLockedError);
    expect(err.message).toContain('; still there after 1 s)');
    await release();
  });

  it('takes over the lock of a killed run on this machine at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(shardLockFile(dir, 1), holder({ pid: dead }));
    const t0 = performance.now();
    const release = await acquireShardLock(dir, 'cohort', 1);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(JSON.parse(await readFile(shardLockFile(dir, 1), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('a live process of this machine keeps its lock', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(shardLockFile(dir, 1), holder({ pid: child.pid }));
      const err = await acquireShardLock(dir, 'cohort', 1).catch((e) => e);
      expect(err).toBeInstanceOf(ShardLockedError);
      expect(err.holder.pid).toBe(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("another machine's lock whose heartbeat has stopped is taken over after staleMs, not before", async () => {
    await writeFile(shardLockFile(dir, 0), holder({ pid: 4242, host: 'pod-a' }));
    const t0 = performance.now();
    const release = await acquireShardLock(dir, 'cohort', 0, { staleMs: 400, pollMs: 20 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(await readFile(shardLockFile(dir, 0), 'utf8')).host).toBe(os.hostname());
    await release();
  });

  it('a file that is not a lock (garbage) is treated like a silent holder: taken over after staleMs', async () => {
    await writeFile(shardLockFile(dir, 0), 'not json');
    const release = await acquireShardLock(dir, 'cohort', 0, { staleMs: 200, pollMs: 20 });
    await release();
  });

  it("another machine's lock whose heartbeat goes on is refused, naming that host", async () => {
    const file = shardLockFile(dir, 0);
    let beat = 0;
    await writeFile(file, holder({ pid: 4242, host: 'pod-a', beat }));
    const timer = setInterval(() => void writeFile(file, holder({ pid: 4242, host: 'pod-a', beat: ++beat })), 50);
    try {
      const err = await acquireShardLock(dir, 'cohort', 0, { staleMs: 400, pollMs: 20 }).catch((e) => e);
      expect(err).toBeInstanceOf(ShardLockedError);
      expect(err.message).toContain('being written by pid 4242 on host pod-a');
      expect(err.message).toContain('taken over once it has not changed for 0 s');
    } finally {
      clearInterval(timer);
    }
  });

  it('the holder rewrites its lock while it runs, so other machines see it alive', async () => {
    const release = await acquireShardLock(dir, 'cohort', 0, { heartbeatMs: 30 });
    await sleep(250);
    expect(JSON.parse(await readFile(shardLockFile(dir, 0), 'utf8')).beat).toBeGreaterThan(1);
    // as another machine sees it: alive, so refused even though its pid is not ours to check
    const err = await acquireShardLock(dir, 'cohort', 0, { host: 'pod-b', staleMs: 2000, pollMs: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(ShardLockedError);
    await release();
    expect(await exists(shardLockFile(dir, 0))).toBe(false);
  });

  it('a release leaves alone a lock that another run took over meanwhile', async () => {
    const release = await acquireShardLock(dir, 'cohort', 0, { heartbeatMs: 20 });
    await writeFile(shardLockFile(dir, 0), holder({ token: 'taker', pid: 4242, host: 'pod-b' }));
    await sleep(100); // heartbeats see the other token and do not write
    expect(JSON.parse(await readFile(shardLockFile(dir, 0), 'utf8')).token).toBe('taker');
    await release();
    expect(JSON.parse(await readFile(shardLockFile(dir, 0), 'utf8')).token).toBe('taker');
  });
});
