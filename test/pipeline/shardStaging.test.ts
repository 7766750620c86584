import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadProject, plan } from '../../src/index.js';
import { buildShard } from '../../src/pipeline/shard.js';
import { exampleProject } from '../e2e/helpers.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

it('build --shard removes the staging a killed run of the same shard left, and only that', async () => {
  const dir = await exampleProject();
  await writeFile(
    path.join(dir, 'healthsim.config.yaml'),
    'version: 1\nseed: 5\nreference_date: 2025-01-01\ndatasets:\n  a: { profile: profiles/elderly-diabetic.yaml, count: 12 }\n  a-1: { profile: profiles/copd.yaml, count: 4 }\n',
  );
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const outDir = path.join(dir, 'shards');
  const dead = deadPid();
  const left = [
    `.staging-a-1-${dead}`, // shard 1 of dataset a, killed: removed
    `.staging-a-0-${dead}`, // another shard's: left for its own next run
    `.staging-a-1-1-${dead}`, // dataset a-1's shard 1: removed by a-1's run, not by a's
    `.staging-a-1-${process.ppid}`, // a running process's (not this one: its own staging has its pid): never removed
  ];
  for (const d of left) {
    await mkdir(path.join(outDir, d, 'u0000-b000001'), { recursive: true });
    await writeFile(path.join(outDir, d, 'u0000-b000001', 'patients.parquet'), 'partial');
  }
  const r = await buildShard(loaded.value, plan(loaded.value), { shard: { index: 1, count: 2 }, outDir, targets: ['a'] });
  expect(r.datasets.map((d) => d.name)).toEqual(['a']);
  expect((await readdir(outDir)).filter((n) => n.startsWith('.staging')).sort()).toEqual([`.staging-a-0-${dead}`, `.staging-a-1-1-${dead}`, `.staging-a-1-${process.ppid}`].sort());
  await buildShard(loaded.value, plan(loaded.value), { shard: { index: 1, count: 2 }, outDir, targets: ['a-1'] });
  expect((await readdir(outDir)).filter((n) => n.startsWith('.staging')).sort()).toEqual([`.staging-a-0-${dead}`, `.staging-a-1-${process.ppid}`].sort());
});
