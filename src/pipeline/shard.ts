/**
 * Multi-machine builds in two commands.
 *
 * `healthsim build --shard K/N` generates only share K of N of each selected dataset's blocks
 * (generateChunks.ts: fixed runs of entities; shard K gets the K-th of N contiguous runs of
 * blocks) into Hive-partitioned Parquet, `<outDir>/<dataset>/<table>/shard=K/<block>.parquet`,
 * and then writes `<outDir>/<dataset>/_shard-K-of-N.json` (a ShardManifest: the generate step's
 * key, rows and sha256 per file). The manifest is written last, through a temporary file and
 * rename, so a shard killed half-way never looks complete. The block files are the very files a
 * one-machine build writes for those blocks, so the union of the N shards is that build.
 *
 * `healthsim shards combine` checks that every selected generate step has all N manifests, that
 * they agree on N and carry the step's current key, and that every file matches its sha256;
 * any problem fails before anything changes, naming the shard to rerun. It then combines each
 * step's shards into its cache entry by the one-machine combine of blocks (the bytes equal a
 * one-machine generate) and runs the normal build, which finds the generate steps as cache hits:
 * database, catalog, exports and healthsim.lock come out as on one machine (tested).
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_TABLES, type TableDef } from '../model/index.js';
import type { GenerateRequest } from '../generate/types.js';
import { build, selectSteps, type BuildOptions, type BuildResult } from './build.js';
import { LocalCache, sha256File, type CacheFile } from './cache.js';
import { blockFileName, blockProgress, closeGenerationWorkers, planBlocks, placeBlockFiles, runBlocks, toWire, type Block } from './generateChunks.js';
import type { BuildListener } from './events.js';
import { defaultPaths, pathInside, type BuildPaths } from './paths.js';
import type { Plan, PlannedStep } from './plan.js';
import type { LoadedProject } from './project.js';
import { acquireProjectLock } from './projectLock.js';
import { pidAlive } from './pid.js';
import { acquireShardLock, SHARD_LOCK_RE, type ShardLockOptions } from './shardLock.js';
import type { Result } from '../spec/result.js';
import { DEFAULT_BATCH_SIZE } from '../spec/profile-defaults.js';

export interface ShardSpec {
  index: number;
  count: number;
}

export interface ShardResult {
  shard: ShardSpec;
  datasets: { name: string; rows: Record<string, number>; dir: string; manifest: string }[];
}

/** What one finished shard of one generate step wrote. Paths are relative to `<outDir>/<dataset>`. */
export interface ShardManifest {
  version: 1;
  dataset: string;
  step: string;
  /** the generate step's content key when the shard was built */
  key: string;
  shard: ShardSpec;
  /** table → rows, in model order (every table of the dataset, empty ones included) */
  tables: Record<string, number>;
  files: CacheFile[];
}

export function parseShard(text: string): ShardSpec | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) return undefined;
  return { index, count };
}

export function shardManifestName(shard: ShardSpec): string {
  return `_shard-${shard.index}-of-${shard.count}.json`;
}

const MANIFEST_RE = /^_shard-(\d+)-of-(\d+)\.json$/;

/** The engine's requests for a generate step, exactly as the one-machine generate step builds them. */
function generateRequests(project: LoadedProject, plan: Plan, step: PlannedStep): GenerateRequest[] {
  return step.units!.map((u) => ({
    profile: u.profile,
    journey: u.journey,
    seed: u.seed,
    count: u.count,
    namespace: u.namespace,
    referenceDate: plan.referenceDate,
    skills: new Map([...project.skills.entries()].map(([id, s]) => [id, s.normalized])),
  }));
}

async function datasetTablesOf(requests: readonly GenerateRequest[]): Promise<TableDef[]> {
  const { datasetTables } = await import('../generate/engine.js');
  return ALL_TABLES.filter((t) => requests.some((r) => datasetTables(r).includes(t)));
}

export interface ShardBuildOptions {
  shard: ShardSpec;
  outDir: string;
  targets?: string[];
  batchSize?: number;
  /** generation threads (as `build --jobs`): this shard's blocks are shared out among them */
  jobs?: number;
  /** `step-start` as each generate step begins and `step-progress` as each of its blocks is written */
  onEvent?: BuildListener;
  /** how long to wait for another run holding this shard of a dataset (`--wait`); 0 fails at once */
  waitForLockMs?: number;
  /** shard-lock timings (tests) */
  lock?: ShardLockOptions;
}

export async function buildShard(
  project: LoadedProject,
  plan: Plan,
  opts: ShardBuildOptions,
): Promise<ShardResult> {
  const steps = selectSteps(plan, opts.targets).filter((s) => s.kind === 'generate');
  const result: ShardResult = { shard: opts.shard, datasets: [] };
  try {
    for (const step of steps) await buildShardOf(project, plan, step, opts, result);
  } finally {
    await closeGenerationWorkers();
  }
  return result;
}

/** This shard's blocks of one generate step, and its manifest, written last. */
async function buildShardOf(project: LoadedProject, plan: Plan, step: PlannedStep, opts: ShardBuildOptions, result: ShardResult): Promise<void> {
  const requests = generateRequests(project, plan, step);
  const tables = await datasetTablesOf(requests);
  const dsDir = path.join(opts.outDir, step.owner);
  const manifestFile = path.join(dsDir, shardManifestName(opts.shard));
  // one writer per shard of a dataset: a second run of this shard, or a combine reading it, waits or fails
  const release = await acquireShardLock(dsDir, step.owner, opts.shard.index, { ...opts.lock, waitMs: opts.waitForLockMs ?? opts.lock?.waitMs });
  try {
    await writeShardOf(requests, tables, step, opts, dsDir, manifestFile, result);
  } finally {
    await release();
  }
}

async function writeShardOf(
  requests: GenerateRequest[],
  tables: TableDef[],
  step: PlannedStep,
  opts: ShardBuildOptions,
  dsDir: string,
  manifestFile: string,
  result: ShardResult,
): Promise<void> {
  // the old manifest goes first: until the new one is written this shard reads as unfinished
  await rm(manifestFile, { force: true });
  const rows: Record<string, number> = Object.fromEntries(tables.map((t) => [t.name, 0]));
  const files: CacheFile[] = [];
  const sub = `shard=${opts.shard.index}`;
  for (const t of tables) await rm(path.join(dsDir, t.name, sub), { recursive: true, force: true });
  const stagingPrefix = `.staging-${step.owner}-${opts.shard.index}-`;
  await removeStaleStaging(opts.outDir, stagingPrefix);
  const staging = path.join(opts.outDir, `${stagingPrefix}${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    // this shard's share of the dataset's blocks: the same blocks, and so the same block files,
    // as a one-machine build writes
    const blocks = shardBlocks(planBlocks(requests.map((r) => r.count)), opts.shard);
    const setup = { reqs: toWire(requests), tables: tables.map((t) => t.name), batchSize: opts.batchSize ?? requests[0]?.profile.generation.batch_size ?? DEFAULT_BATCH_SIZE };
    const emit = opts.onEvent;
    emit?.({ type: 'step-start', id: step.id });
    const onBlock = emit ? blockProgress(blocks, (progress) => emit({ type: 'step-progress', id: step.id, progress })) : undefined;
    const jobFor = (block: Block) => ({ block, partial: true, outDir: path.join(staging, blockFileName(block).replace(/\.parquet$/, '')) });
    const results = await runBlocks(setup, blocks, jobFor, opts.jobs ?? 1, { onBlock });
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b];
      const written = results[b];
      const placed = await placeBlockFiles(written, block, dsDir, sub);
      for (const t of tables) {
        const rel = placed[t.name];
        const abs = path.join(dsDir, rel);
        rows[t.name] += written[t.name].rows;
        files.push({ file: rel, bytes: (await stat(abs)).size, sha256: await sha256File(abs), rows: written[t.name].rows });
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const manifest: ShardManifest = { version: 1, dataset: step.owner, step: step.id, key: step.key, shard: opts.shard, tables: rows, files };
  const tmp = `${manifestFile}.tmp-${process.pid}`;
  await mkdir(dsDir, { recursive: true });
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(tmp, manifestFile);
  result.datasets.push({ name: step.owner, rows, dir: dsDir, manifest: manifestFile });
}

/**
 * Removes the staging directories (`<prefix><pid>`) that killed runs of this shard left in
 * `outDir`, with their block files: a kill -9 skips the `finally` that removes them, and a large
 * shard's staging holds gigabytes. A directory whose process is still running is left alone.
 */
async function removeStaleStaging(outDir: string, prefix: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^\d+$/.test(pid) || pidAlive(Number(pid))) continue;
    await rm(path.join(outDir, name), { recursive: true, force: true });
  }
}

/** Shard K of N: the K-th of N contiguous runs of the block list (a dataset of fewer than N blocks leaves some shards idle). */
export function shardBlocks(blocks: readonly Block[], shard: ShardSpec): Block[] {
  const n = blocks.length;
  return blocks.slice(Math.floor((n * shard.index) / shard.count), Math.floor((n * (shard.index + 1)) / shard.count));
}

// ---------------------------------------------------------------------------------------------
// shards combine

/** Why a generate step's shards cannot be combined. Every problem names the command that fixes it. */
export interface ShardProblem {
  reason: 'no-shards' | 'missing' | 'stale' | 'mixed-count' | 'corrupt';
  step: string;
  dataset: string;
  shard?: ShardSpec;
  message: string;
  /** the command to run (on a shard machine) to fix it */
  fix: string;
}

export interface CombinedStep {
  step: string;
  dataset: string;
  key: string;
  /** imported: combined from shards into the cache; cached: the cache already held this key */
  status: 'imported' | 'cached';
  shards?: number;
  rows: Record<string, number>;
}

export interface CombineOptions {
  /** where the shards were written (`build --shard-dir`) */
  outDir: string;
  targets?: string[];
  /** options for the build that runs after the import (persist, merge, export, lock) */
  build?: Omit<BuildOptions, 'targets' | 'dryRun' | 'force'>;
}

export interface CombineReport {
  combined: CombinedStep[];
  build: BuildResult;
}

interface CheckedStep {
  step: PlannedStep;
  tables: TableDef[];
  manifests: ShardManifest[];
}

/**
 * Combine the shards of every selected generate step into the cache (no build). Returns the
 * problems, having changed nothing, when a shard is missing, stale, mixed or corrupt. A step
 * whose key the cache already holds needs no shards.
 */
export async function importShards(
  project: LoadedProject,
  plan: Plan,
  opts: Omit<CombineOptions, 'build'> & { paths?: BuildPaths; waitForLockMs?: number; lock?: ShardLockOptions },
): Promise<Result<CombinedStep[], ShardProblem[]>> {
  const paths = opts.paths ?? defaultPaths(project.root, project.config.output_dir);
  const cache = new LocalCache(paths.cacheDir);
  const steps = selectSteps(plan, opts.targets).filter((s) => s.kind === 'generate');
  const rerunDir = displayDir(project.root, opts.outDir);
  const releases: (() => Promise<void>)[] = [];
  try {
    return await importLocked(project, plan, opts, paths, cache, steps, rerunDir, releases);
  } finally {
    for (const release of releases.reverse()) await release();
  }
}

/**
 * Takes the lock of every shard of a dataset that has a manifest or a lock file in its shard
 * directory, so that no shard is rewritten while it is checked and read (a shard that is being
 * written fails the combine, or waits for `waitMs`).
 */
async function lockShardsOf(dsDir: string, dataset: string, opts: ShardLockOptions, releases: (() => Promise<void>)[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dsDir);
  } catch {
    return;
  }
  const indexes = new Set<number>();
  for (const n of names) {
    const m = MANIFEST_RE.exec(n) ?? SHARD_LOCK_RE.exec(n);
    if (m) indexes.add(Number(m[1]));
  }
  for (const k of [...indexes].sort((a, b) => a - b)) releases.push(await acquireShardLock(dsDir, dataset, k, opts));
}

async function importLocked(
  project: LoadedProject,
  plan: Plan,
  opts: Omit<CombineOptions, 'build'> & { waitForLockMs?: number; lock?: ShardLockOptions },
  paths: BuildPaths,
  cache: LocalCache,
  steps: PlannedStep[],
  rerunDir: string,
  releases: (() => Promise<void>)[],
): Promise<Result<CombinedStep[], ShardProblem[]>> {
  // 1. check everything before changing anything
  const problems: ShardProblem[] = [];
  const toImport: CheckedStep[] = [];
  const combined: CombinedStep[] = [];
  for (const step of steps) {
    const hit = await cache.lookup(step.key, { verifyHashes: true });
    if (hit.status === 'hit') {
      combined.push({ step: step.id, dataset: step.owner, key: step.key, status: 'cached', rows: (hit.manifest.meta as { rows: Record<string, number> }).rows });
      continue;
    }
    const tables = await datasetTablesOf(generateRequests(project, plan, step));
    await lockShardsOf(path.join(opts.outDir, step.owner), step.owner, { ...opts.lock, waitMs: opts.waitForLockMs ?? opts.lock?.waitMs }, releases);
    const checked = await checkStep(step, tables, opts.outDir, rerunDir);
    if (checked.ok) toImport.push({ step, tables, manifests: checked.value });
    else problems.push(...checked.errors);
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  const byStep = (a: CombinedStep, b: CombinedStep): number => (a.step < b.step ? -1 : a.step > b.step ? 1 : 0);
  if (toImport.length === 0) return { ok: true, value: combined.sort(byStep) };

  // 2. import, holding the project lock (the cache is the project's)
  const release = await acquireProjectLock(paths.stateDir, { waitMs: opts.waitForLockMs ?? 0 });
  try {
    const { combineBlocks } = await import('../store/index.js');
    for (const c of toImport) {
      const dsDir = path.join(opts.outDir, c.step.owner);
      // every table's block files in block order (file names sort in block order)
      const parts: Record<string, string[]> = {};
      for (const m of c.manifests) for (const f of m.files) (parts[f.file.split('/')[0]] ??= []).push(f.file);
      for (const t of Object.keys(parts)) parts[t] = parts[t].sort((a, b) => (path.posix.basename(a) < path.posix.basename(b) ? -1 : 1)).map((f) => path.join(dsDir, f));
      const entry = await cache.put(c.step.key, c.step.id, async (tmp) => {
        const written = await combineBlocks(c.tables, parts, tmp);
        // the same meta a one-machine generate step records (runners.ts, StepRunner.produce)
        const meta = {
          rows: Object.fromEntries(written.map((w) => [w.table, w.rows])),
          tables: c.tables.map((t) => t.name),
          extraColumns: [],
          product: [...new Set(c.step.units!.flatMap((u) => u.profile.products))].sort(),
        };
        return { rows: Object.fromEntries(written.map((w) => [`${w.table}.parquet`, w.rows])), meta };
      });
      const rows = (entry.manifest.meta as { rows: Record<string, number> }).rows;
      combined.push({ step: c.step.id, dataset: c.step.owner, key: c.step.key, status: 'imported', shards: c.manifests.length, rows });
    }
  } finally {
    await release();
  }
  return { ok: true, value: combined.sort(byStep) };
}

/**
 * importShards, then the normal build of the targets: the generate steps are cache hits and
 * everything downstream (persist, merge, clone, export, healthsim.lock) runs as on one machine.
 */
export async function combineShards(project: LoadedProject, plan: Plan, opts: CombineOptions): Promise<Result<CombineReport, ShardProblem[]>> {
  const paths = opts.build?.paths ?? defaultPaths(project.root, project.config.output_dir);
  const imported = await importShards(project, plan, { outDir: opts.outDir, targets: opts.targets, paths, waitForLockMs: opts.build?.waitForLockMs });
  if (!imported.ok) return imported;
  const result = await build(project, plan, { ...opts.build, targets: opts.targets, paths });
  return { ok: true, value: { combined: imported.value, build: result } };
}

function displayDir(root: string, dir: string): string {
  const rel = pathInside(root, dir);
  return rel !== undefined ? rel.split(path.sep).join('/') : dir;
}

function rerun(shard: ShardSpec, dir: string, dataset: string): string {
  return `healthsim build --shard ${shard.index}/${shard.count} --shard-dir ${dir} ${dataset}`;
}

/** Reads and checks the N manifests of one generate step's shards. */
async function checkStep(step: PlannedStep, tables: TableDef[], outDir: string, dir: string): Promise<Result<ShardManifest[], ShardProblem[]>> {
  const dsDir = path.join(outDir, step.owner);
  const base = { step: step.id, dataset: step.owner };
  const where = `${dir}/${step.owner}`;
  let names: string[];
  try {
    names = (await readdir(dsDir)).sort();
  } catch {
    names = [];
  }
  const found = names
    .map((n) => MANIFEST_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[0], shard: { index: Number(m[1]), count: Number(m[2]) } }))
    .sort((a, b) => a.shard.count - b.shard.count || a.shard.index - b.shard.index);
  if (found.length === 0) {
    const all = `healthsim build --shard K/N --shard-dir ${dir} ${step.owner}`;
    const partial = names.some((n) => !n.startsWith('.')) ? ' (it holds Parquet files but no shard manifest: no shard finished)' : '';
    return { ok: false, errors: [{ ...base, reason: 'no-shards', message: `${step.id}: no finished shard in ${where}${partial}`, fix: `${all}, for K = 0 … N-1` }] };
  }
  const counts = [...new Set(found.map((f) => f.shard.count))];
  if (counts.length > 1) {
    return {
      ok: false,
      errors: [
        {
          ...base,
          reason: 'mixed-count',
          message: `${step.id}: the shards in ${where} disagree on N (${found.map((f) => f.name).join(', ')}); shards of different splits share the shard=K directories, so none can be trusted`,
          fix: `rm -r ${where} and rerun every shard with one N: healthsim build --shard K/N --shard-dir ${dir} ${step.owner}`,
        },
      ],
    };
  }
  const n = counts[0];
  const problems: ShardProblem[] = [];
  const manifests: ShardManifest[] = [];
  for (let k = 0; k < n; k++) {
    const shard = { index: k, count: n };
    const fix = rerun(shard, dir, step.owner);
    const name = shardManifestName(shard);
    if (!found.some((f) => f.name === name)) {
      const partial = await hasPartition(dsDir, tables, k);
      const why = partial ? `${name} not found; its Parquet files are there, so the shard did not finish` : `${name} not found`;
      problems.push({ ...base, reason: 'missing', shard, message: `${step.id}: shard ${k}/${n} is missing (${where}/${why})`, fix });
      continue;
    }
    let m: ShardManifest;
    try {
      m = JSON.parse(await readFile(path.join(dsDir, name), 'utf8')) as ShardManifest;
    } catch {
      problems.push({ ...base, reason: 'corrupt', shard, message: `${step.id}: shard ${k}/${n}: ${where}/${name} is not valid JSON`, fix });
      continue;
    }
    const bad = describeManifestProblem(m, step, shard, tables);
    if (bad) {
      problems.push({ ...base, reason: 'corrupt', shard, message: `${step.id}: shard ${k}/${n}: ${where}/${name} ${bad}`, fix });
      continue;
    }
    if (m.key !== step.key) {
      problems.push({
        ...base,
        reason: 'stale',
        shard,
        message: `${step.id}: shard ${k}/${n} was built from another version of the spec or engine (key ${m.key.slice(0, 12)}, current ${step.key.slice(0, 12)})`,
        fix,
      });
      continue;
    }
    const fileProblem = await verifyFiles(dsDir, m);
    if (fileProblem) {
      problems.push({ ...base, reason: 'corrupt', shard, message: `${step.id}: shard ${k}/${n}: ${where}/${fileProblem}`, fix });
      continue;
    }
    manifests.push(m);
  }
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, value: manifests };
}

function describeManifestProblem(m: ShardManifest, step: PlannedStep, shard: ShardSpec, tables: TableDef[]): string | undefined {
  if (typeof m !== 'object' || m === null || m.version !== 1 || typeof m.key !== 'string' || !Array.isArray(m.files)) return 'is not a shard manifest';
  if (m.step !== step.id || m.shard?.index !== shard.index || m.shard?.count !== shard.count) return `describes ${m.step} shard ${m.shard?.index}/${m.shard?.count}`;
  // every table's file for each of this shard's blocks, in the order buildShard lists them
  const blocks = shardBlocks(planBlocks(step.units!.map((u) => u.count)), shard);
  const want = blocks.flatMap((b) => tables.map((t) => `${t.name}/shard=${shard.index}/${blockFileName(b)}`)).join(',');
  const have = m.files.map((f) => f.file).join(',');
  if (m.key === step.key && want !== have) return `lists files ${have || '(none)'}, expected ${want}`;
  return undefined;
}

async function verifyFiles(dsDir: string, m: ShardManifest): Promise<string | undefined> {
  for (const f of m.files) {
    const full = path.join(dsDir, f.file);
    let size: number;
    try {
      size = (await stat(full)).size;
    } catch {
      return `${f.file} is missing`;
    }
    if (size !== f.bytes) return `${f.file} has ${size} bytes, its manifest says ${f.bytes}`;
    if ((await sha256File(full)) !== f.sha256) return `${f.file} does not match its sha256 in ${shardManifestName(m.shard)}`;
  }
  return undefined;
}

async function hasPartition(dsDir: string, tables: TableDef[], k: number): Promise<boolean> {
  for (const t of tables) {
    try {
      await stat(path.join(dsDir, t.name, `shard=${k}`));
      return true;
    } catch {
      /* not there */
    }
  }
  return false;
}
