/**
 * Generation of one dataset in fixed blocks of entities, in process or on worker threads.
 *
 * Every entity's draws depend only on (seed, namespace, i), so a dataset is cut into blocks of
 * `blockEntities()` consecutive entities per unit (the last one shorter; shared rows in each
 * unit's first block). The block plan depends on the counts alone, never on `--jobs`, batch
 * size or shards: each block's files are written sorted by key, by whichever thread or machine
 * runs it, and the final files are the blocks concatenated in order, so their bytes are the
 * same for any split (tested). On one machine the blocks travel as bytes and are appended as
 * they arrive (store/blockCombiner.ts); a sharded build writes block files, combined later
 * (store/combineParts.ts). A dataset of one block is written directly, sorted, as before blocks
 * existed.
 *
 * The threads (the main thread and `--jobs` − 1 workers) pull blocks from a queue, so all stay
 * busy until the last block whatever the block count; a thread's memory is bounded by one
 * block, not by the dataset.
 */
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import type { TableDef } from '../model/types.js';
import type { GenerateRequest } from '../generate/types.js';
import type { PartFile } from './generateJob.js';

export interface Block {
  unit: number;
  /** block number within its unit */
  index: number;
  start: number;
  end: number;
  includeShared: boolean;
}

/** Wire form of a request (Maps do not survive structured clone as we want). */
export type WireRequest = Omit<GenerateRequest, 'skills'> & { skills?: [string, unknown][] };

/** What a block needs besides the block itself: the dataset's requests, tables and batch size. */
export interface BlockSetup {
  reqs: WireRequest[];
  tables: string[];
  batchSize: number;
}

export interface BlockJob {
  block: Block;
  outDir: string;
  /** a block of a larger dataset (combined afterwards) rather than the dataset's final files */
  partial: boolean;
  /** hand the block's files back as bytes and write nothing to `outDir` (they are combined as they come) */
  inMemory?: boolean;
}

/**
 * Entities per block: 2,500 (≈ 210k rows of patientsim with a one-year journey). A worker holds
 * one block in its column buffers until the block is written (store/parquetWriter.ts), so the
 * size bounds memory. Measured on 100k patients, --jobs 2, when blocks went through a DuckDB
 * each: 5,000 → 38.4 s, 1,077 MiB peak RSS; 2,500 → 40.8 s, 964 MiB. The size decides where
 * the final files' row groups break, so it is part of every generate step's key;
 * `HEALTHSIM_BLOCK_SIZE` changes it (tests use tiny blocks).
 */
export const DEFAULT_BLOCK_ENTITIES = 2_500;

export function blockEntities(): number {
  const v = Number(process.env.HEALTHSIM_BLOCK_SIZE);
  return Number.isInteger(v) && v > 0 ? v : DEFAULT_BLOCK_ENTITIES;
}

/**
 * Old-generation heap cap of each generation worker, in MB. With --jobs 2 the peak RSS is mostly
 * the workers' V8 heaps, which V8 lets grow lazily far beyond what a block needs; a cap makes it
 * collect sooner. A worker that still runs out of memory (a profile whose batches need more) is
 * replaced by one without the cap and its block runs again: same files, only slower.
 * `HEALTHSIM_WORKER_HEAP_MB` overrides it; 0 means no cap.
 */
export const DEFAULT_WORKER_HEAP_MB = 0;

export function workerHeapLimitMb(): number {
  const raw = process.env.HEALTHSIM_WORKER_HEAP_MB?.trim();
  const v = raw ? Number(raw) : NaN;
  return Number.isInteger(v) && v >= 0 ? v : DEFAULT_WORKER_HEAP_MB;
}

function isOutOfMemory(e: unknown): boolean {
  return (e as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/** Each unit cut into blocks of `size` entities (a unit of 0 entities still has its one block of shared rows). */
export function planBlocks(counts: readonly number[], size = blockEntities()): Block[] {
  const blocks: Block[] = [];
  counts.forEach((count, unit) => {
    const n = Math.max(1, Math.ceil(count / size));
    for (let k = 0; k < n; k++) {
      blocks.push({ unit, index: k, start: k * size, end: Math.min(count, (k + 1) * size), includeShared: k === 0 });
    }
  });
  return blocks;
}

/** File name of a block's part (sorts in block order). */
export function blockFileName(block: Block): string {
  return `u${String(block.unit).padStart(4, '0')}-b${String(block.index).padStart(6, '0')}.parquet`;
}

export function toWire(requests: readonly GenerateRequest[]): WireRequest[] {
  return requests.map((r) => ({ ...r, skills: r.skills ? [...r.skills.entries()] : undefined }));
}

/** Worker threads need the compiled module (dist); under a TS test runner we stay in process. */
function workerUrl(): URL | undefined {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.js')) return undefined;
  return new URL('./generateWorker.js', self);
}

type Reply = { ok: true; files: Record<string, PartFile> } | { ok: false; error: string };

/** A block sent to a worker: the setup travels once per worker (`setup` only when new to it). */
export interface BlockMessage {
  setupId: string;
  setup?: BlockSetup;
  job: BlockJob;
}

/**
 * The Node options a worker gets: the process's, which it inherits (undefined), unless they hold
 * `--input-type`. A program run as `node --input-type=module -e …` that builds with `--jobs 2`
 * would otherwise get "--input-type can only be used with string input" from every worker,
 * which runs a file; such a program's workers get its options without it. Only then: options
 * given explicitly are checked, and V8's (`--max-old-space-size`, `--trace-…`) are refused
 * there while inherited ones are not.
 */
export function workerExecArgv(argv: readonly string[] = process.execArgv): string[] | undefined {
  if (!argv.some((a) => a === '--input-type' || a.startsWith('--input-type='))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input-type') {
      i++;
      continue;
    }
    if (!argv[i].startsWith('--input-type=')) out.push(argv[i]);
  }
  return out;
}

/**
 * One generation worker thread running blocks one at a time, for any dataset: it keeps the
 * setups it has been sent, so a build's workers start once and stay warm (module load,
 * reference data, JIT) across all its datasets.
 */
class BlockWorker {
  private readonly worker: Worker;
  private pending: { resolve: (f: Record<string, PartFile>) => void; reject: (e: Error) => void } | undefined;
  failure: Error | undefined;
  private readonly known = new Set<string>();

  constructor(url: URL, readonly heapLimitMb: number) {
    workersStarted++;
    workersAlive++;
    const execArgv = workerExecArgv();
    this.worker = new Worker(url, { ...(execArgv ? { execArgv } : {}), ...(heapLimitMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapLimitMb } } : {}) });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      if (m.ok) p.resolve(m.files);
      else p.reject(new Error(m.error));
    });
    const fail = (e: Error): void => {
      this.failure ??= e;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      workersAlive--;
      fail(new Error(`generation worker exited with code ${code}`));
    });
  }

  run(setupId: string, setup: BlockSetup, job: BlockJob): Promise<Record<string, PartFile>> {
    if (this.failure) return Promise.reject(this.failure);
    const message: BlockMessage = { setupId, job, ...(this.known.has(setupId) ? {} : { setup }) };
    this.known.add(setupId);
    this.worker.ref();
    return new Promise<Record<string, PartFile>>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    }).finally(() => this.worker.unref());
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Idle workers kept between datasets of a build (they hold no block, only warm code and
 * reference data). Measured on the example project (7 small datasets) with --jobs 2: a new
 * worker per dataset took 8.6–8.8 s against 4.5 s with --jobs 1. Idle workers are unref'd, so
 * they never keep a process alive; `closeGenerationWorkers()` ends them: the step runner calls it
 * after the build's last generate step (persist and export do not need the workers' heaps; kept
 * alive, they added ≈ 50 MiB to a 1M build's peak), and build() once more at its end.
 */
const idleWorkers: BlockWorker[] = [];
let workersStarted = 0;

let workersAlive = 0;

/** How many generation worker threads are running now, busy or idle (for tests). */
export function generationWorkersAlive(): number {
  return workersAlive;
}

let inProcessBlocks = 0;

/** How many blocks the main thread has generated (for tests). */
export function blocksGeneratedInProcess(): number {
  return inProcessBlocks;
}

/** How many generation workers this process has started (for tests and the benchmark). */
export function generationWorkersStarted(): number {
  return workersStarted;
}

function takeWorker(url: URL, heapLimitMb: number): BlockWorker {
  const i = idleWorkers.findIndex((w) => w.heapLimitMb === heapLimitMb && !w.failure);
  if (i >= 0) return idleWorkers.splice(i, 1)[0];
  return new BlockWorker(url, heapLimitMb);
}

async function giveBack(w: BlockWorker): Promise<void> {
  if (w.failure) await w.close();
  else idleWorkers.push(w);
}

/** Ends the idle generation workers (the end of a build). */
export async function closeGenerationWorkers(): Promise<void> {
  const all = idleWorkers.splice(0);
  await Promise.all(all.map((w) => w.close()));
}

let setupCounter = 0;

/**
 * At most `capacity` generation workers run at once across every step of a build: JavaScript
 * generation is CPU-bound on one thread, so `--jobs N` means N generation threads (the main
 * thread and N − 1 workers), whether they serve N datasets or N blocks of one.
 */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(capacity: number) {
    this.free = Math.max(1, capacity);
  }
  async acquire(): Promise<void> {
    if (this.tryAcquire()) return;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  /** Takes a slot if one is free now, without waiting. */
  tryAcquire(): boolean {
    if (this.free <= 0) return false;
    this.free--;
    return true;
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const pools = new Map<number, Slots>();

let youngRows = false;

/**
 * Turns off V8's allocation-site pretenuring for this process (its worker threads too, which
 * are started after). A generated row lives only until its batch is appended to the column
 * buffers, but V8 sometimes judges from the few rows alive at a scavenge that a row literal's
 * objects all survive, and from then on allocates them in the old generation: every row is then
 * old-space garbage, collected by mark-compact, and each store into it pays the write barrier.
 * Whether it happens depends on when scavenges fall, so the same build ran in one of two speeds:
 * in 1 of 6 profiled runs of 100k primary-care patients in process, the lab-result rows' function
 * took 2.2 s instead of 0.5–0.6 s and GC 1.1 s instead of 0.3 s; with two threads, the main
 * thread's scavenges cost twice the worker's. With the flag no site is tenured (counted with
 * `--trace-pretenuring-statistics`) and no run was slow. It changes where objects are allocated,
 * never a value. build() calls it first thing (a decision V8 takes early would hold), and
 * runBlocks for every other caller (shards, tests).
 */
export function keepRowsYoung(): void {
  if (youngRows) return;
  youngRows = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * The main thread is one of `--jobs`' generation threads: it generates blocks in process, one
 * dataset's at a time, beside the workers. It has the reference data and compiled code from
 * loading the project already, where a worker first spends ≈ 1 s of its own (modules, reference
 * tables, JIT) — measured on 1M primary-care patients with two workers, the first block came
 * 2.2–2.4 s after the step started against 0.95 s in process. One worker fewer also means one
 * V8 heap fewer.
 */
const mainThread = new Slots(1);
function slotsFor(capacity: number): Slots {
  let s = pools.get(capacity);
  if (!s) pools.set(capacity, (s = new Slots(capacity)));
  return s;
}

/**
 * Generation threads for `--jobs N`, the main thread included: N, but no more than this
 * machine's CPUs (at least 2, so a one-CPU machine still runs the worker path it asked for).
 * Generation is CPU-bound, so threads beyond the CPUs only contend, and each holds a block and
 * a V8 heap (≈ 250–300 MiB): `--jobs 64` on a 2-CPU laptop would otherwise start 63 workers.
 * `--jobs` still sets how many independent steps run at once.
 */
export function generationThreads(jobs: number): number {
  return Math.max(1, Math.min(jobs, Math.max(2, availableParallelism())));
}

/** Progress of a dataset's generation, reported as each block is written. */
export interface BlockProgress {
  blocksDone: number;
  blocks: number;
  entitiesDone: number;
  entities: number;
  /** rows written so far, every table */
  rows: number;
}

/** How runBlocks hands over and paces blocks. */
export interface RunBlocksOptions {
  /** called as each block is written, in the order they finish, with its index in `blocks` */
  onBlock?: (block: Block, files: Record<string, PartFile>, index: number) => void;
  /** awaited before block `index` starts (a consumer's back-pressure) */
  admit?: (index: number) => Promise<void>;
  /** keep every block's result to return (default); false when `onBlock` takes them */
  retain?: boolean;
}

/**
 * Runs `blocks` in process (workers ≤ 1) or on up to `workers` generation threads shared with the
 * build's other datasets — the main thread, when no other dataset is generating in it, and
 * workers — and returns each block's files in block order, whichever finished first (an empty
 * array when `retain` is false).
 */
export async function runBlocks(
  setup: BlockSetup,
  blocks: readonly Block[],
  jobFor: (block: Block) => BlockJob,
  workers: number,
  opts: RunBlocksOptions = {},
): Promise<Record<string, PartFile>[]> {
  const results: Record<string, PartFile>[] = [];
  const retain = opts.retain ?? true;
  const done = (i: number, files: Record<string, PartFile>): void => {
    if (retain) results[i] = files;
    opts.onBlock?.(blocks[i], files, i);
  };
  keepRowsYoung();
  workers = generationThreads(workers);
  const url = workers > 1 ? workerUrl() : undefined;
  let next = 0;
  let failed = false;
  /** Blocks from the shared queue, in process, until none is left (the caller holds `mainThread`). */
  const inProcess = async (): Promise<void> => {
    const { generateBlock } = await import('./generateJob.js');
    try {
      while (next < blocks.length && !failed) {
        const i = next++;
        await opts.admit?.(i);
        if (failed) return;
        // between batches the event loop runs: the workers' finished blocks are taken and their
        // next ones sent while this thread is busy with its own
        const files = await generateBlock(setup, jobFor(blocks[i]), { yieldBetweenBatches: true });
        inProcessBlocks++;
        done(i, files);
      }
    } finally {
      // the writers' buffers are kept from block to block; not past the dataset in this process
      (await import('../store/writeParquet.js')).releaseWriterBuffers();
    }
  };
  if (!url) {
    await mainThread.acquire();
    try {
      await inProcess();
    } finally {
      mainThread.release();
    }
    return results;
  }
  const slots = slotsFor(workers);
  const setupId = `${process.pid}-${++setupCounter}`;
  const runner = async (): Promise<void> => {
    await slots.acquire();
    try {
      if (next >= blocks.length || failed) return;
      if (mainThread.tryAcquire()) {
        try {
          await inProcess();
        } finally {
          mainThread.release();
        }
        return;
      }
      let w = takeWorker(url, workerHeapLimitMb());
      try {
        while (next < blocks.length && !failed) {
          const i = next++;
          await opts.admit?.(i);
          if (failed) return;
          let files: Record<string, PartFile>;
          try {
            files = await w.run(setupId, setup, jobFor(blocks[i]));
          } catch (e) {
            if (!isOutOfMemory(e) || w.heapLimitMb === 0) throw e;
            // the cap is too small for this profile: go on without it, the block again first
            await w.close();
            w = new BlockWorker(url, 0);
            files = await w.run(setupId, setup, jobFor(blocks[i]));
          }
          done(i, files);
        }
      } finally {
        await giveBack(w);
      }
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      slots.release();
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(workers, blocks.length) }, runner));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}

/** A progress counter over `blocks`, for runBlocks' onBlock. */
export function blockProgress(blocks: readonly Block[], report: (p: BlockProgress) => void): (block: Block, files: Record<string, PartFile>) => void {
  const p: BlockProgress = { blocksDone: 0, blocks: blocks.length, entitiesDone: 0, entities: blocks.reduce((n, b) => n + (b.end - b.start), 0), rows: 0 };
  return (block, files) => {
    p.blocksDone++;
    p.entitiesDone += block.end - block.start;
    for (const f of Object.values(files)) p.rows += f.rows;
    report({ ...p });
  };
}

/**
 * Generate all units of a dataset into `outDir/<table>.parquet`. With workers > 1 the blocks run
 * on up to `workers` worker threads (shared with the build's other datasets). `onProgress` hears
 * of each block as it is written.
 */
export async function generateDataset(
  requests: GenerateRequest[],
  tables: TableDef[],
  outDir: string,
  opts: {
    batchSize: number;
    workers: number;
    onProgress?: (p: BlockProgress) => void;
    /** after the last block is generated, before the combined files are finished (the runner ends idle workers here) */
    onBlocksDone?: () => Promise<void>;
  },
): Promise<Record<string, number>> {
  const setup: BlockSetup = { reqs: toWire(requests), tables: tables.map((t) => t.name), batchSize: opts.batchSize };
  const blocks = planBlocks(requests.map((r) => r.count));
  const progress = opts.onProgress ? blockProgress(blocks, opts.onProgress) : undefined;
  if (blocks.length === 1) {
    // a dataset of one block: its files are the dataset's, written sorted by the same writer
    const [files] = await runBlocks(setup, blocks, (block) => ({ block, partial: false, outDir }), opts.workers, { onBlock: progress });
    await opts.onBlocksDone?.();
    return Object.fromEntries(Object.entries(files).map(([t, f]) => [t, f.rows]));
  }
  // Blocks come back as bytes and are combined in block order as they arrive, while the next
  // ones are generated (store/blockCombiner.ts). A few blocks ahead per thread keep both threads
  // busy when one block takes longer than its neighbours.
  const { BlockCombiner } = await import('../store/blockCombiner.js');
  const combiner = await BlockCombiner.create(tables, outDir, blocks.length, 4 * Math.max(1, generationThreads(opts.workers)));
  try {
    await runBlocks(setup, blocks, (block) => ({ block, partial: true, inMemory: true, outDir }), opts.workers, {
      retain: false,
      admit: (i) => combiner.admit(i),
      onBlock: (block, files, i) => {
        progress?.(block, files);
        combiner.add(i, Object.fromEntries(Object.entries(files).map(([t, f]) => [t, f.bytes!])));
      },
    });
  } catch (e) {
    await combiner.abort(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
  await opts.onBlocksDone?.();
  const written = await combiner.finish();
  return Object.fromEntries(written.map((w) => [w.table, w.rows]));
}

/** Moves a block's files to `dir/<table>/<sub>/<block file name>`; returns table → relative path. */
export async function placeBlockFiles(files: Record<string, PartFile>, block: Block, dir: string, sub: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [t, f] of Object.entries(files)) {
    if (f.file === undefined) throw new Error(`block ${blockFileName(block)}: ${t} was not written to a file`);
    const rel = path.join(t, sub, blockFileName(block));
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await rename(f.file, path.join(dir, rel));
    out[t] = rel.split(path.sep).join('/');
  }
  return out;
}
