/**
 * Guarantee: a `healthsim build` killed with SIGKILL at any moment leaves a project that the next
 * `build` completes, with exports, cache, healthsim.lock and database identical to a clean build's
 * and no unfinished writes (`.tmp-*`, `.old-*`, half cache entries, a stale build.pid) left behind.
 *
 * Kill points are anchored on the build's own progress lines ("ran …" is printed as each step
 * ends) plus a delay, so they land in every phase: spec loading, generate, merge, export, persist,
 * the lock write and the database close. The longer randomized run is test/soak/crash.soak.test.ts.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists, halfCacheEntries, leftovers, rmrf, runCli, smallProject, snapshot, tempDir, SMALL_DATASETS, datasetRowCounts, type KillPlan, type Snapshot } from './helpers.js';

let refDir: string;
/** The clean build, run alongside the first kill chain (2 cores). */
let referenceBuilt: Promise<Snapshot>;
const dirs: string[] = [];

beforeAll(async () => {
  refDir = await smallProject();
  referenceBuilt = runCli(refDir, ['build']).then(async (r) => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return snapshot(refDir);
  });
  referenceBuilt.catch(() => undefined);
});

afterAll(async () => {
  for (const d of [refDir, ...dirs]) if (d) await rmrf(d);
});

async function expectRecovered(dir: string): Promise<void> {
  const r = await runCli(dir, ['build']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code, `recovery build failed:\n${r.stderr}`).toBe(0);
  expect(await leftovers(dir)).toEqual([]);
  expect(await halfCacheEntries(dir)).toEqual([]);
  expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false);
  const got = await snapshot(dir);
  const reference = await referenceBuilt;
  expect(datasetRowCounts(got.db, SMALL_DATASETS)).toEqual(datasetRowCounts(reference.db, SMALL_DATASETS));
  expect(got.db).toEqual(reference.db);
  expect(got.exports).toEqual(reference.exports);
  expect(got.cache).toEqual(reference.cache);
  expect(got.lock).toBe(reference.lock);
  // and the build after that is a no-op
  const again = await runCli(dir, ['build']);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/everything up to date/);
}

describe('kill -9 during build, then build again', () => {
  const kills: { plan: KillPlan; atMs: number; args: string[] }[] = [];

  it.concurrent('a first build killed repeatedly in every phase is completed by the next build, identical to a clean build', async () => {
    const dir = await smallProject();
    dirs.push(dir);
    // Each attempt resumes what the previous one left; anchoring on step lines moves the kill forward
    // through the plan: 8 steps (generate ×2, merge, export ×2, persist ×3), then lock + close.
    const plans: KillPlan[] = [
      { delayMs: 400 }, // node start / spec loading
      { delayMs: 1_800 }, // generating the first dataset
      { afterLines: 1, delayMs: 150 }, // second generate
      { afterLines: 2, delayMs: 100 }, // merge
      { afterLines: 3, delayMs: 60 }, // csv export
      { afterLines: 4, delayMs: 60 }, // parquet export
      { afterLines: 5, delayMs: 150 }, // persist
      { afterLines: 6, delayMs: 100 }, // persist
      { afterLines: 7, delayMs: 120 }, // last persist
      { afterLines: 8, delayMs: 0 }, // lock write, database close, state file
    ];
    for (const plan of plans) {
      const r = await runCli(dir, ['build'], plan);
      if (r.killed) kills.push({ plan, atMs: Math.round(r.atMs), args: ['build'] });
      else {
        // it finished before the kill: it must have succeeded
        expect(r.stderr).not.toMatch(/internal error/);
        expect(r.code, r.stderr).toBe(0);
      }
    }
    await expectRecovered(dir);
  });

  it.concurrent('a forced rebuild killed while it overwrites good outputs is healed by the next build', async () => {
    await referenceBuilt;
    const dir = await tempDir('hs-rel-force-');
    dirs.push(dir);
    await cp(refDir, dir, { recursive: true }); // a completed build, without paying for another
    const plans: KillPlan[] = [
      { afterLines: 2, delayMs: 200 }, // after replacing two cache entries, inside merge
      { afterLines: 3, delayMs: 30 }, // replacing an export directory
      { afterLines: 6, delayMs: 80 }, // replacing a dataset in the database
    ];
    for (const plan of plans) {
      const r = await runCli(dir, ['build', '--force'], plan);
      if (r.killed) kills.push({ plan, atMs: Math.round(r.atMs), args: ['build', '--force'] });
      else expect(r.code, r.stderr).toBe(0);
    }
    await expectRecovered(dir);
  });

  it('reports how many kill points were exercised', () => {
    // eslint-disable-next-line no-console
    console.log(`crash: ${kills.length} SIGKILLs delivered at ${kills.map((k) => `${k.atMs}ms`).join(', ')}; every recovery identical to the clean build`);
    // most plans must actually have killed a running build (a kill that came too late proves nothing)
    expect(kills.length).toBeGreaterThanOrEqual(9);
  });
});
