/**
 * Generation of one dataset, in process or split over worker threads. Every entity's draws
 * depend only on (seed, namespace, i), so a dataset can be cut into contiguous index ranges,
 * generated independently, and combined: the combined Parquet is sorted by key through the one
 * stable write path, so its bytes equal a single-process build for any split (tested).
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TableDef } from '../model/types.js';
import type { GenerateRequest } from '../generate/types.js';
import type { PartFile } from './generateJob.js';

export interface Chunk {
  unit: number;
  start: number;
  end: number;
  includeShared: boolean;
}

/** Wire form of a request (Maps do not survive structured clone as we want). */
export interface ChunkJob {
  req: Omit<GenerateRequest, 'skills'> & { skills?: [string, unknown][] };
  chunk: Chunk;
  batchSize: number;
  outDir: string;
  tables: string[];
  /** a part that the combine pass sorts and checks (written unsorted) */
  intermediate?: boolean;
}

/**
 * Below this many entities a dataset is not sliced: each dataset then runs whole on one worker.
 * Measured on 2 cores: two 6,000-patient datasets, --jobs 2: 31 s whole-step workers, 54 s
 * sliced (the combine pass and per-slice setup cost more than they save), 44 s with --jobs 1.
 * One 60,000-patient dataset (5 M rows): 51 s unsliced, 39 s in two slices (30 s of workers,
 * 8 s to check keys and sort the parts into one file).
 */
export function parallelThreshold(): number {
  const v = Number(process.env.HEALTHSIM_PARALLEL_MIN);
  return Number.isFinite(v) && v > 0 ? v : 50_000;
}

/** Contiguous ranges: at most `parts` per unit, never smaller than `minSize` entities. */
export function planChunks(counts: readonly number[], parts: number, minSize: number): Chunk[] {
  const chunks: Chunk[] = [];
  counts.forEach((count, unit) => {
    const n = Math.max(1, Math.min(parts, Math.floor(count / Math.max(1, minSize)) || 1));
    for (let k = 0; k < n; k++) {
      const start = Math.floor((count * k) / n);
      const end = Math.floor((count * (k + 1)) / n);
      chunks.push({ unit, start, end, includeShared: k === 0 });
    }
  });
  return chunks;
}

/** Worker threads need the compiled module (dist); under a TS test runner we stay in process. */
function workerUrl(): URL | undefined {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.js')) return undefined;
  return new URL('./generateWorker.js', self);
}

function runChunkInWorker(url: URL, job: ChunkJob): Promise<Record<string, PartFile>> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { workerData: job });
    let done = false;
    w.once('message', (m: { ok: true; files: Record<string, PartFile> } | { ok: false; error: string }) => {
      done = true;
      if (m.ok) resolve(m.files);
      else reject(new Error(m.error));
    });
    w.once('error', (e) => {
      done = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!done) reject(new Error(`generation worker exited with code ${code}`));
    });
  });
}

/**
 * At most `capacity` generation workers run at once across every step of a build: JavaScript
 * generation is CPU-bound on one thread, so `--jobs N` means N worker threads, whether they
 * serve N datasets or N slices of one.
 */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(capacity: number) {
    this.free = Math.max(1, capacity);
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const pools = new Map<number, Slots>();
function slotsFor(capacity: number): Slots {
  let s = pools.get(capacity);
  if (!s) pools.set(capacity, (s = new Slots(capacity)));
  return s;
}

/**
 * Generate all units of a dataset into `outDir/<table>.parquet`. With workers > 1 the work runs
 * on worker threads (one per dataset, or several slices of a large dataset, combined after).
 */
export async function generateDataset(
  requests: GenerateRequest[],
  tables: TableDef[],
  outDir: string,
  opts: { batchSize: number; workers: number },
): Promise<Record<string, number>> {
  const store = await import('../store/index.js');
  const total = requests.reduce((n, r) => n + r.count, 0);
  const url = workerUrl();
  const wire = requests.map((r) => ({ ...r, skills: r.skills ? [...r.skills.entries()] : undefined }));
  if (opts.workers <= 1 || !url) {
    const { generateRows } = await import('../generate/engine.js');
    const batches = (function* () {
      for (const r of requests) yield* generateRows(r, { start: 0, end: r.count, includeShared: true, batchSize: opts.batchSize });
    })();
    const written = await store.writeParquetTables(tables, batches, outDir);
    return Object.fromEntries(written.map((w) => [w.table, w.rows]));
  }
  const slots = slotsFor(opts.workers);
  const split = total >= parallelThreshold() ? opts.workers : 1;
  const chunks = planChunks(requests.map((r) => r.count), split, Math.ceil(parallelThreshold() / 4));
  const partsRoot = path.join(outDir, '.parts');
  await mkdir(partsRoot, { recursive: true });
  try {
    const results = await Promise.all(
      chunks.map(async (chunk, i) => {
        const job: ChunkJob = {
          req: wire[chunk.unit],
          chunk,
          batchSize: opts.batchSize,
          outDir: path.join(partsRoot, `part-${String(i).padStart(4, '0')}`),
          tables: tables.map((t) => t.name),
          intermediate: chunks.length > 1,
        };
        await slots.acquire();
        try {
          return await runChunkInWorker(url, job);
        } finally {
          slots.release();
        }
      }),
    );
    const parts: Record<string, string[]> = {};
    for (const files of results) for (const [t, f] of Object.entries(files)) (parts[t] ??= []).push(f.file);
    if (chunks.length === 1) {
      // one slice: its files are already final, written by the same stable path
      const rows: Record<string, number> = {};
      for (const t of tables) {
        await rename(results[0][t.name].file, path.join(outDir, `${t.name}.parquet`));
        rows[t.name] = results[0][t.name].rows;
      }
      return rows;
    }
    const written = await store.combineParquetParts(tables, parts, outDir);
    return Object.fromEntries(written.map((w) => [w.table, w.rows]));
  } finally {
    await rm(partsRoot, { recursive: true, force: true });
  }
}
