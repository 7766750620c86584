import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exampleProject } from './helpers.js';

// Worker threads run the compiled code, so this test drives dist/ (`npm test` builds it first);
// typed from src, imported by URL so the typecheck does not depend on a built dist/.
type Index = typeof import('../../src/index.js');
type Chunks = typeof import('../../src/pipeline/generateChunks.js');
const dist = (f: string) => new URL(`../../dist/${f}`, import.meta.url).href;
const { loadProject, build } = (await import(dist('index.js'))) as Index;
const { generationWorkersStarted } = (await import(dist('pipeline/generateChunks.js'))) as Chunks;

const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  a: { profile: profiles/elderly-diabetic.yaml, count: 30 }
  b: { profile: profiles/heart-failure.yaml, count: 20 }
  c: { profile: profiles/copd.yaml, count: 25 }
  d: { profile: profiles/medicare-advantage-ca.yaml, count: 15 }
`;

const saved = process.env.HEALTHSIM_BLOCK_SIZE;
afterAll(() => {
  if (saved === undefined) delete process.env.HEALTHSIM_BLOCK_SIZE;
  else process.env.HEALTHSIM_BLOCK_SIZE = saved;
});

it('starts --jobs generation workers once per build and shares them across its datasets', async () => {
  process.env.HEALTHSIM_BLOCK_SIZE = '6'; // several blocks per dataset, so every dataset uses workers
  const dir = await exampleProject();
  await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const before = generationWorkersStarted();
  const r = await build(loaded.value, { jobs: 2 });
  expect(r.ok).toBe(true);
  expect(r.steps.filter((s) => s.id.startsWith('generate:') && s.status === 'ran')).toHaveLength(4);
  // four datasets of 3–5 blocks each, two workers in all (a worker per dataset would be 8)
  expect(generationWorkersStarted() - before).toBe(2);
  // the build ended its workers: the next one starts its own
  const again = await build(loaded.value, { jobs: 2, force: true });
  expect(again.ok).toBe(true);
  expect(generationWorkersStarted() - before).toBe(4);
});
