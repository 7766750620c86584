// The benchmark's workloads (bench/profiles, bench/journeys) are specs like any other: they must
// stay valid as the schemas move, and each must keep the size of patient its results are quoted
// at — the primary-care one is the workload issue 11 sets its throughput target on (≈ 25 rows a
// patient), so a change that made it lighter would flatter every figure measured on it.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, healthsim, tempDir } from './helpers.js';

const WORKLOADS = [
  { name: 'primary', spec: '{ profile: profiles/primary-care.yaml, journey: journeys/primary-care-year.yaml, count: 400 }', rowsPerEntity: [24, 32] },
  { name: 'patients', spec: '{ profile: profiles/adults.yaml, journey: journeys/year.yaml, count: 400 }', rowsPerEntity: [75, 95] },
  { name: 'members', spec: '{ profile: profiles/members.yaml, count: 400 }', rowsPerEntity: [25, 35] },
] as const;

async function benchProject(spec: string): Promise<string> {
  const dir = await tempDir('healthsim-bench-test-');
  for (const f of ['profiles', 'journeys']) await cp(path.join(REPO, 'bench', f), path.join(dir, f), { recursive: true });
  await writeFile(path.join(dir, 'healthsim.config.yaml'), `version: 1\nseed: 42\nreference_date: 2025-01-01\ndatasets:\n  bench: ${spec}\n`);
  return dir;
}

describe('benchmark workloads', () => {
  for (const w of WORKLOADS) {
    it(`${w.name}: builds, with ${w.rowsPerEntity[0]}–${w.rowsPerEntity[1]} rows an entity`, async () => {
      const dir = await benchProject(w.spec);
      const built = healthsim(dir, 'build', '--json');
      expect(built.code, built.stderr).toBe(0);
      const report = JSON.parse(built.stdout) as { ok: boolean; steps: { id: string; rows?: Record<string, number> }[] };
      const gen = report.steps.find((s) => s.id === 'generate:bench');
      expect(gen?.rows, built.stdout).toBeDefined();
      // counted as `npm run bench` counts them: every table, the provider network included
      const rows = Object.values(gen!.rows!).reduce((a, b) => a + b, 0);
      const perEntity = rows / 400;
      expect(perEntity).toBeGreaterThanOrEqual(w.rowsPerEntity[0]);
      expect(perEntity).toBeLessThanOrEqual(w.rowsPerEntity[1]);
    }, 120_000);
  }
});
