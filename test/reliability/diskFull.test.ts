/**
 * Guarantee: when the disk fills up or the output directory is read-only, `build` fails with a
 * clear message and exit 1, and the previous good outputs stay usable: the database keeps its
 * last committed datasets, healthsim.lock is unchanged, every export directory is complete (the
 * old one, or a new one written whole by a step that succeeded), no half-written cache entry or
 * temporary directory is left; once space is back the next build completes.
 *
 * Tests run as root, where chmod does not stop writes, so the project is put on a small tmpfs
 * (disk full) or a read-only bind mount. Where `mount` is not permitted the tests are skipped.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { mkdirSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dbContents, halfCacheEntries, hashTree, leftovers, rmrf, runCli, smallProject } from './helpers.js';

function sh(cmd: string, ...args: string[]): { ok: boolean; err: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: r.stderr };
}

/** Can this process mount a tmpfs? (root in a container usually can; elsewhere skip) */
const CAN_MOUNT = (() => {
  if (process.platform !== 'linux') return false;
  const probe = path.join(os.tmpdir(), `hs-mount-probe-${process.pid}`);
  try {
    mkdirSync(probe, { recursive: true });
    const ok = sh('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe).ok;
    if (ok) sh('umount', probe);
    return ok;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      /* ignore */
    }
  }
})();

const mounts: string[] = [];
const dirs: string[] = [];
let built: string;

async function duKb(dir: string): Promise<number> {
  return Number(spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
}

/** A copy of the built project on its own tmpfs with `freeKb` to spare. */
async function onSmallDisk(freeKb: number): Promise<string> {
  const mnt = await mkdtemp(path.join(os.tmpdir(), 'hs-rel-disk-'));
  dirs.push(mnt);
  const size = (await duKb(built)) + 2_048 + freeKb; // tmpfs counts whole pages: a little slack, then fill
  expect(sh('mount', '-t', 'tmpfs', '-o', `size=${size}k`, 'tmpfs', mnt).ok).toBe(true);
  mounts.push(mnt);
  await cp(built, mnt, { recursive: true });
  // fill the disk up to freeKb
  const used = Number(spawnSync('df', ['-k', '--output=avail', mnt], { encoding: 'utf8' }).stdout.trim().split('\n')[1]);
  const fill = Math.max(0, used - freeKb);
  if (fill > 0) spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler')}`, 'bs=1k', `count=${fill}`], { encoding: 'utf8' });
  return mnt;
}

interface Before {
  lock: string;
  db: Awaited<ReturnType<typeof dbContents>>;
  exports: Record<string, string>;
}

async function state(dir: string): Promise<Before> {
  return { lock: await readFile(path.join(dir, 'healthsim.lock'), 'utf8'), db: await dbContents(dir), exports: await hashTree(path.join(dir, 'outputs', 'exports')) };
}

/** Every export directory holds exactly the files its manifest lists, with those hashes. */
async function exportsComplete(dir: string): Promise<void> {
  for (const ex of ['both-csv', 'both-parquet']) {
    const d = path.join(dir, 'outputs', 'exports', ex);
    const m = JSON.parse(await readFile(path.join(d, 'manifest.json'), 'utf8')) as { files: { file: string; sha256: string }[] };
    const tree = await hashTree(d);
    delete tree['manifest.json'];
    expect(tree).toEqual(Object.fromEntries(m.files.map((f) => [f.file, f.sha256])));
  }
}

async function bumpCount(dir: string): Promise<void> {
  const cfg = path.join(dir, 'healthsim.config.yaml');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(cfg, (await readFile(cfg, 'utf8')).replace('count: 12', 'count: 40'));
}

async function expectPreviousIntact(dir: string, before: Before): Promise<void> {
  expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(before.lock);
  expect(await dbContents(dir)).toEqual(before.db);
  await exportsComplete(dir);
  expect(await leftovers(dir)).toEqual([]);
  expect(await halfCacheEntries(dir)).toEqual([]);
}

describe.skipIf(!CAN_MOUNT)('disk full and read-only outputs (tmpfs / bind mounts)', () => {
  beforeAll(async () => {
    built = await smallProject();
    const r = await runCli(built, ['build']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  afterEach(() => {
    while (mounts.length) {
      const m = mounts.pop()!;
      sh('umount', '-l', m);
    }
  });

  afterAll(async () => {
    for (const d of [built, ...dirs]) if (d) await rmrf(d);
  });

  // `storage: tables` copies every row into the database, so the disk fills inside the persist's
  // transaction and it rolls back. Views write a few kB: the disk fills at the CHECKPOINT after
  // COMMIT, when the new dataset is already durable (DuckDB's WAL), so the database may hold it.
  for (const { name, freeKb, recover, storage } of [
    { name: 'the disk fills while the cache is written', freeKb: 64, recover: false, storage: 'views' },
    { name: 'the disk fills while the database is written (storage: tables)', freeKb: 1_200, recover: true, storage: 'tables' },
    { name: 'the disk fills at the database checkpoint (storage: views)', freeKb: 1_200, recover: true, storage: 'views' },
  ]) {
    it(`${name}: exit 1 with the reason, previous outputs intact${recover ? '; with space back the next build completes' : ''}`, async () => {
      const dir = await onSmallDisk(freeKb);
      const before = await state(dir);
      await bumpCount(dir);
      if (storage === 'tables') {
        const cfg = path.join(dir, 'healthsim.config.yaml');
        await writeFile(cfg, `storage: tables\n${await readFile(cfg, 'utf8')}`);
      }
      const r = await runCli(dir, ['build']);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(/No space left on device|ENOSPC/);
      expect(r.stderr).toContain('healthsim.lock was not changed');
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      if (storage === 'tables' || !recover) await expectPreviousIntact(dir, before);
      else {
        // every dataset is either its previous version or the new one, whole
        expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(before.lock);
        await exportsComplete(dir);
        expect(await leftovers(dir)).toEqual([]);
        const db = await dbContents(dir);
        expect(Object.keys(db).filter((t) => !t.startsWith('healthsim_catalog.')).sort()).toEqual(Object.keys(before.db).filter((t) => !t.startsWith('healthsim_catalog.')).sort());
        expect([12, 40]).toContain(db['cohort.patients'].rows);
      }
      if (!recover) return;

      await rm(path.join(dir, 'filler'), { force: true });
      expect(sh('mount', '-o', 'remount,size=200m', dir).ok).toBe(true);
      const again = await runCli(dir, ['build']);
      expect(again.code, again.stderr).toBe(0);
      const db = await dbContents(dir);
      expect([db['cohort.patients']?.rows, db['both.patients']?.rows]).toEqual([40, 46]);
      await exportsComplete(dir);
      expect(await leftovers(dir)).toEqual([]);
      expect(await halfCacheEntries(dir)).toEqual([]);
      expect((await runCli(dir, ['build'])).stdout).toMatch(/everything up to date/);
    });
  }

  it('outputs/ read-only: exit 1 naming the read-only file system; the database and lock are untouched', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hs-rel-ro-'));
    dirs.push(dir);
    await cp(built, dir, { recursive: true });
    const before = await state(dir);
    const outputs = path.join(dir, 'outputs');
    expect(sh('mount', '--bind', outputs, outputs).ok).toBe(true);
    mounts.push(outputs);
    expect(sh('mount', '-o', 'remount,bind,ro', outputs).ok).toBe(true);
    await bumpCount(dir);
    const r = await runCli(dir, ['build']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/read-only file system|EROFS/i);
    expect(r.stderr).toMatch(/make .*outputs writable|failed: EROFS/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    await expectPreviousIntact(dir, before);
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(before.exports);
    sh('umount', outputs);
    mounts.pop();
    const again = await runCli(dir, ['build']);
    expect(again.code, again.stderr).toBe(0);
  });

  it('.healthsim/ read-only: exit 1 before anything runs, naming the file it cannot create', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hs-rel-ro-'));
    dirs.push(dir);
    await cp(built, dir, { recursive: true });
    const before = await state(dir);
    const stateDir = path.join(dir, '.healthsim');
    await mkdir(stateDir, { recursive: true });
    expect(sh('mount', '--bind', stateDir, stateDir).ok).toBe(true);
    mounts.push(stateDir);
    expect(sh('mount', '-o', 'remount,bind,ro', stateDir).ok).toBe(true);
    await bumpCount(dir);
    const r = await runCli(dir, ['build']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/read-only file system.*\.healthsim/i);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).not.toMatch(/^ran\s/m);
    await expectPreviousIntact(dir, before);
    expect(await hashTree(path.join(dir, 'outputs', 'exports'))).toEqual(before.exports);
  });
});

