/**
 * Soak: many SIGKILLs at random moments of real builds (fresh projects and forced rebuilds of
 * built ones), each followed by a recovery build compared with a clean build. Tune with
 * HEALTHSIM_SOAK_KILLS (default 40) and HEALTHSIM_SOAK_SEED. Run: npm run test:soak
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envInt, exists, halfCacheEntries, leftovers, rmrf, runCli, smallProject, snapshot, tempDir, type Snapshot,
} from '../reliability/helpers.js';

const KILLS = envInt('HEALTHSIM_SOAK_KILLS', 40);
let seed = envInt('HEALTHSIM_SOAK_SEED', 20261122);
const rand = (): number => {
  // mulberry32: reproducible kill schedule for a given seed
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe.skipIf(!process.env.HEALTHSIM_SOAK)('soak: kill -9 at random moments', () => {
  let refDir: string;
  let reference: Snapshot;
  let fullMs = 0;
  beforeAll(async () => {
    refDir = await smallProject();
    const r = await runCli(refDir, ['build']);
    expect(r.code, r.stderr).toBe(0);
    fullMs = r.atMs;
    reference = await snapshot(refDir);
  });
  afterAll(async () => rmrf(refDir));

  it(`${KILLS} random kill points, every recovery identical to the clean build`, async () => {
    let delivered = 0;
    const log: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const forced = rand() < 0.4;
      const dir = forced ? await tempDir('hs-soak-') : await smallProject(undefined, 'hs-soak-');
      if (forced) await cp(refDir, dir, { recursive: true });
      try {
        // one or two kills in a row before the recovery build
        const n = rand() < 0.3 ? 2 : 1;
        for (let k = 0; k < n; k++) {
          const delayMs = Math.round(rand() * fullMs * 1.05);
          const r = await runCli(dir, forced ? ['build', '--force'] : ['build'], { delayMs });
          if (r.killed) delivered++;
          else expect(r.code, r.stderr).toBe(0);
          log.push(`${forced ? 'force ' : ''}${delayMs}ms${r.killed ? '' : ' (finished first)'}`);
        }
        const rec = await runCli(dir, ['build']);
        expect(rec.code, `after ${log.at(-1)}: ${rec.stderr}`).toBe(0);
        expect(await leftovers(dir)).toEqual([]);
        expect(await halfCacheEntries(dir)).toEqual([]);
        expect(await exists(path.join(dir, '.healthsim', 'build.pid'))).toBe(false);
        const got = await snapshot(dir);
        expect(got.db).toEqual(reference.db);
        expect(got.exports).toEqual(reference.exports);
        expect(got.cache).toEqual(reference.cache);
        expect(got.lock).toBe(reference.lock);
      } finally {
        await rmrf(dir);
      }
    }
    // eslint-disable-next-line no-console
    console.log(`soak crash: ${delivered} SIGKILLs delivered over ${KILLS} projects (full build ${Math.round(fullMs)} ms); data lost: 0\n${log.join(', ')}`);
    expect(delivered).toBeGreaterThanOrEqual(Math.floor(KILLS * 0.6));
  });
});
