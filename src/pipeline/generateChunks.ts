/**
 * Generation of one dataset, in process or split over worker threads. Every entity's draws
 * depend only on (seed, namespace, i), so a dataset can be cut into contiguous index ranges,
 * generated independently, and combined: the combined Parquet is sorted by key through the one
 * stable write path, so its bytes equal a single-process build for any split (tested).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TableDef } from '../model/types.js';
import type { GenerateRequest } from '../generate/types.js';

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
}

/** Below this many entities per dataset, workers cost more than they save. */
export function parallelThreshold(): number {
  const v = Number(process.env.HEALTHSIM_PARALLEL_MIN);
  return Number.isFinite(v) && v > 0 ? v : 4000;
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

async function runChunkInProcess(job: ChunkJob): Promise<Record<string, string>> {
  const { generateRows, tablesByName } = await import('./generateJob.js');
  return generateRows(job, tablesByName(job.tables));
}

function runChunkInWorker(url: URL, job: ChunkJob): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, { workerData: job });
    let done = false;
    w.once('message', (m: { ok: true; files: Record<string, string> } | { ok: false; error: string }) => {
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
 * Generate all units of a dataset into `outDir/<table>.parquet`. With workers > 1 and enough
 * entities, ranges run on worker threads and their parts are combined.
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
  if (opts.workers <= 1 || total < parallelThreshold() || !url) {
    const { generateRows } = await import('../generate/engine.js');
    const batches = (function* () {
      for (const r of requests) yield* generateRows(r, { start: 0, end: r.count, includeShared: true, batchSize: opts.batchSize });
    })();
    const written = await store.writeParquetTables(tables, batches, outDir);
    return Object.fromEntries(written.map((w) => [w.table, w.rows]));
  }
  const chunks = planChunks(requests.map((r) => r.count), opts.workers, Math.ceil(parallelThreshold() / 4));
  const partsRoot = path.join(outDir, '.parts');
  await mkdir(partsRoot, { recursive: true });
  try {
    const results: Record<string, string>[] = new Array(chunks.length);
    let next = 0;
    const runOne = async (): Promise<void> => {
      while (next < chunks.length) {
        const i = next++;
        const job: ChunkJob = {
          req: wire[chunks[i].unit],
          chunk: chunks[i],
          batchSize: opts.batchSize,
          outDir: path.join(partsRoot, `part-${String(i).padStart(4, '0')}`),
          tables: tables.map((t) => t.name),
        };
        results[i] = url ? await runChunkInWorker(url, job) : await runChunkInProcess(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.workers, chunks.length) }, runOne));
    const parts: Record<string, string[]> = {};
    for (const files of results) for (const [t, f] of Object.entries(files)) (parts[t] ??= []).push(f);
    const written = await store.combineParquetParts(tables, parts, outDir);
    return Object.fromEntries(written.map((w) => [w.table, w.rows]));
  } finally {
    await rm(partsRoot, { recursive: true, force: true });
  }
}
