import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exampleProject } from './helpers.js';

// Worker threads run the compiled code, so this test drives dist/ (`npm test` builds it first);
// typed from src, imported by URL so the typecheck does not depend on a built dist/.
type Index = typeof import('../../src/index.js');
type Chunks = typeof import('../../src/pipeline/generateChunks.js');
type Shards = typeof import('../../src/pipeline/shard.js');
type Events = import('../../src/pipeline/events.js').BuildEvent;
const dist = (f: string) => new URL(`../../dist/${f}`, import.meta.url).href;
const { loadProject, build, plan } = (await import(dist('index.js'))) as Index;
const { closeGenerationWorkers, generateDataset, generationThreads, generationWorkersAlive, generationWorkersStarted, blocksGeneratedInProcess, workerExecArgv } = (await import(dist('pipeline/generateChunks.js'))) as Chunks;
const { datasetTables } = (await import(dist('generate/engine.js'))) as typeof import('../../src/generate/engine.js');
const { buildShard } = (await import(dist('pipeline/shard.js'))) as Shards;

const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  a: { profile: profiles/elderly-diabetic.yaml, count: 30 }
  b: { profile: profiles/heart-failure.yaml, count: 20 }
  c: { profile: profiles/copd.yaml, count: 25 }
  d: { profile: profiles/medicare-advantage-ca.yaml, count: 15 }
`;

/** The example project's profiles with CONFIG's four datasets, in blocks of 6 entities (so every dataset uses workers). */
async function fourDatasets() {
  process.env.HEALTHSIM_BLOCK_SIZE = '6';
  const dir = await exampleProject();
  await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return { dir, loaded };
}

const saved = process.env.HEALTHSIM_BLOCK_SIZE;
afterAll(() => {
  if (saved === undefined) delete process.env.HEALTHSIM_BLOCK_SIZE;
  else process.env.HEALTHSIM_BLOCK_SIZE = saved;
});

it('starts --jobs generation threads once per build, the main thread one of them, and shares them across its datasets', async () => {
  const { loaded } = await fourDatasets();
  const before = generationWorkersStarted();
  const inProcessBefore = blocksGeneratedInProcess();
  const r = await build(loaded.value, { jobs: 2 });
  expect(r.ok).toBe(true);
  expect(r.steps.filter((s) => s.id.startsWith('generate:') && s.status === 'ran')).toHaveLength(4);
  // four datasets of 3–5 blocks each (17 in all): the main thread and one worker (a worker per
  // dataset would be 8), and both generated blocks
  expect(generationWorkersStarted() - before).toBe(1);
  const inProcess = blocksGeneratedInProcess() - inProcessBefore;
  expect(inProcess).toBeGreaterThan(0);
  expect(inProcess).toBeLessThan(17);
  // the build ended its worker: the next one starts its own
  const again = await build(loaded.value, { jobs: 2, force: true });
  expect(again.ok).toBe(true);
  expect(generationWorkersStarted() - before).toBe(2);
});

it('--jobs 1 generates every block in the main thread, starting no worker', async () => {
  const { loaded } = await fourDatasets();
  const before = generationWorkersStarted();
  const inProcessBefore = blocksGeneratedInProcess();
  const r = await build(loaded.value, { jobs: 1 });
  expect(r.ok).toBe(true);
  expect(generationWorkersStarted() - before).toBe(0);
  expect(blocksGeneratedInProcess() - inProcessBefore).toBe(17);
});

it('never starts more generation workers than the machine has CPUs (at least 2), whatever --jobs says', async () => {
  const { loaded } = await fourDatasets();
  const before = generationWorkersStarted();
  const r = await build(loaded.value, { jobs: 64 });
  expect(r.ok).toBe(true);
  const cap = Math.max(2, os.availableParallelism());
  // 17 blocks in all, so without the cap up to 16 workers would start beside the main thread
  expect(generationWorkersStarted() - before).toBe(Math.min(cap, 17) - 1);
  expect(generationThreads(64)).toBe(cap);
  expect(generationThreads(1)).toBe(1);
  expect(generationThreads(2)).toBe(2);
});

it("a dataset's idle workers can be ended between its last block and the end of the combine, which needs none (the build does so after its last blocks)", async () => {
  const { dir, loaded } = await fourDatasets();
  const step = plan(loaded.value).steps.find((s) => s.kind === 'generate' && s.owner === 'a')!;
  const requests = step.units!.map((u) => ({ profile: u.profile, journey: u.journey, seed: u.seed, count: u.count, namespace: u.namespace, referenceDate: '2025-01-01', skills: new Map() }));
  const tables = datasetTables(requests[0]);
  const out = path.join(dir, 'out');
  const seen: { alive: number; combined: boolean }[] = [];
  // the blocks are appended as they arrive; the file is whole (footer, closing magic) only at the end
  const complete = (): Promise<boolean> => readFile(path.join(out, 'patients.parquet')).then((b) => b.length > 8 && b.subarray(-4).toString('latin1') === 'PAR1', () => false);
  const rows = await generateDataset(requests, tables, out, {
    batchSize: 4,
    workers: 2,
    onBlocksDone: async () => {
      seen.push({ alive: generationWorkersAlive(), combined: await complete() });
      await closeGenerationWorkers();
      seen.push({ alive: generationWorkersAlive(), combined: false });
    },
  });
  // called once, after all five blocks, before the final files were whole (the main thread and
  // one worker generated them); the combine ended without workers
  expect(seen).toEqual([{ alive: 1, combined: false }, { alive: 0, combined: false }]);
  expect(await complete()).toBe(true);
  expect(rows.patients).toBe(30);
  expect((await readFile(path.join(out, 'patients.parquet'))).length).toBeGreaterThan(0);
  expect(generationWorkersAlive()).toBe(0);
});

it('reports each written block of a generate step as step-progress, whatever thread wrote it', async () => {
  const { loaded } = await fourDatasets();
  const events: Events[] = [];
  const r = await build(loaded.value, { jobs: 2, onEvent: (e) => events.push(e) });
  expect(r.ok).toBe(true);
  for (const [id, count] of [['generate:a', 30], ['generate:b', 20], ['generate:c', 25], ['generate:d', 15]] as const) {
    const progress = events.flatMap((e) => (e.type === 'step-progress' && e.id === id ? [e.progress] : []));
    const blocks = Math.ceil(count / 6);
    expect(progress.map((p) => p.blocksDone), id).toEqual(Array.from({ length: blocks }, (_, k) => k + 1));
    expect(progress.every((p) => p.blocks === blocks && p.entities === count), id).toBe(true);
    const last = progress[progress.length - 1];
    expect(last.entitiesDone, id).toBe(count);
    const step = r.steps.find((s) => s.id === id)!;
    expect(last.rows, id).toBe(Object.values(step.rows ?? {}).reduce((a, b) => a + b, 0));
    // every progress event comes between the step's start and its end
    const at = (pred: (e: Events) => boolean) => events.findIndex(pred);
    expect(at((e) => e.type === 'step-start' && e.id === id)).toBeLessThan(at((e) => e.type === 'step-progress' && e.id === id));
    const lastProgress = events.length - 1 - [...events].reverse().findIndex((e) => e.type === 'step-progress' && e.id === id);
    expect(lastProgress).toBeLessThan(at((e) => e.type === 'step-end' && e.report.id === id));
  }
});

it('build --shard K/N shares its blocks out among --jobs workers and writes the same files as on one thread', async () => {
  const { dir, loaded } = await fourDatasets();
  const shard = { index: 1, count: 2 };
  const manifests = async (outDir: string) =>
    Promise.all(['a', 'b', 'c', 'd'].map(async (d) => JSON.parse(await readFile(path.join(outDir, d, '_shard-1-of-2.json'), 'utf8')) as unknown));
  const one = await buildShard(loaded.value, plan(loaded.value), { shard, outDir: path.join(dir, 'one'), jobs: 1 });
  const before = generationWorkersStarted();
  const events: Events[] = [];
  const two = await buildShard(loaded.value, plan(loaded.value), { shard, outDir: path.join(dir, 'two'), jobs: 2, onEvent: (e) => events.push(e) });
  // one worker beside the main thread for the whole shard, not one per dataset
  expect(generationWorkersStarted() - before).toBe(1);
  expect(two.datasets.map((d) => d.rows)).toEqual(one.datasets.map((d) => d.rows));
  // the same files (names, sizes, sha256, rows) in the same order
  expect(await manifests(path.join(dir, 'two'))).toEqual(await manifests(path.join(dir, 'one')));
  // dataset a has 5 blocks of 6: this shard holds the last 3 (entities 12–29)
  const a = events.flatMap((e) => (e.type === 'step-progress' && e.id === 'generate:a' ? [e.progress] : []));
  expect(a.map((p) => [p.blocksDone, p.blocks, p.entitiesDone, p.entities])).toEqual([[1, 3, expect.any(Number), 18], [2, 3, expect.any(Number), 18], [3, 3, 18, 18]]);
  expect(events.filter((e) => e.type === 'step-start').map((e) => (e as { id: string }).id)).toEqual(['generate:a', 'generate:b', 'generate:c', 'generate:d']);
});

it('builds with workers from a program run as `node --input-type=module -e`, whose option a worker refuses', async () => {
  expect(workerExecArgv(['--input-type=module', '-e', 'x', '--enable-source-maps'])).toEqual(['-e', 'x', '--enable-source-maps']);
  expect(workerExecArgv(['--input-type', 'module', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
  // otherwise inherited as they are: given explicitly, V8's options would be refused
  expect(workerExecArgv(['--max-old-space-size=4096', '--trace-gc'])).toBeUndefined();
  expect(workerExecArgv([])).toBeUndefined();
  const { dir } = await fourDatasets();
  const script = `
    const { loadProject, build } = await import(${JSON.stringify(dist('index.js'))});
    const { generationWorkersStarted } = await import(${JSON.stringify(dist('pipeline/generateChunks.js'))});
    const loaded = await loadProject(${JSON.stringify(dir)});
    const r = await build(loaded.value, { jobs: 2 });
    console.log(JSON.stringify({ ok: r.ok, workers: generationWorkersStarted(), errors: r.steps.filter((s) => s.error).map((s) => s.error) }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, HEALTHSIM_BLOCK_SIZE: '6' } });
  expect(run.status, run.stderr).toBe(0);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { ok: boolean; workers: number; errors: string[] };
  expect(out).toEqual({ ok: true, workers: 1, errors: [] });
});

it('a process started with V8 options (--max-old-space-size) still builds with workers', async () => {
  const { dir } = await fourDatasets();
  const script = path.join(dir, 'run.mjs');
  await writeFile(script, `
    const { loadProject, build } = await import(${JSON.stringify(dist('index.js'))});
    const loaded = await loadProject(${JSON.stringify(dir)});
    const r = await build(loaded.value, { jobs: 2 });
    console.log(JSON.stringify({ ok: r.ok, errors: r.steps.filter((s) => s.error).map((s) => s.error) }));
  `);
  const run = spawnSync(process.execPath, ['--max-old-space-size=2048', '--stack-size=2000', script], { encoding: 'utf8', env: { ...process.env, HEALTHSIM_BLOCK_SIZE: '6' } });
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({ ok: true, errors: [] });
});
