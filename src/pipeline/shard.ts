/**
 * `healthsim build --shard K/N`: generate only slice K of N of each selected dataset into
 * Hive-partitioned Parquet, `<outDir>/<dataset>/<table>/shard=K/part.parquet`, for running one
 * build across machines (a Kubernetes Indexed Job reading JOB_COMPLETION_INDEX, a CI matrix).
 * Slices are contiguous entity ranges and shared rows live in shard 0, so the union of the N
 * shards holds exactly the rows of a one-machine build (tested). No database, export or lock
 * is written: those belong to the machine that assembles the shards.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ALL_TABLES, type TableDef } from '../model/index.js';
import type { GenerateRequest } from '../generate/types.js';
import { selectSteps } from './build.js';
import type { ChunkJob } from './generateChunks.js';
import type { Plan } from './plan.js';
import type { LoadedProject } from './project.js';

export interface ShardSpec {
  index: number;
  count: number;
}

export interface ShardResult {
  shard: ShardSpec;
  datasets: { name: string; rows: Record<string, number>; dir: string }[];
}

export function parseShard(text: string): ShardSpec | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) return undefined;
  return { index, count };
}

export async function buildShard(
  project: LoadedProject,
  plan: Plan,
  opts: { shard: ShardSpec; outDir: string; targets?: string[]; batchSize?: number },
): Promise<ShardResult> {
  const { generateRows, tablesByName } = await import('./generateJob.js');
  const { datasetTables } = await import('../generate/engine.js');
  const steps = selectSteps(plan, opts.targets).filter((s) => s.kind === 'generate');
  const result: ShardResult = { shard: opts.shard, datasets: [] };
  for (const step of steps) {
    const requests: GenerateRequest[] = step.units!.map((u) => ({
      profile: u.profile,
      journey: u.journey,
      seed: u.seed,
      count: u.count,
      namespace: u.namespace,
      referenceDate: plan.referenceDate,
      skills: new Map([...project.skills.entries()].map(([id, s]) => [id, s.normalized])),
    }));
    const tables: TableDef[] = ALL_TABLES.filter((t) => requests.some((r) => datasetTables(r).includes(t)));
    const dsDir = path.join(opts.outDir, step.owner);
    const rows: Record<string, number> = Object.fromEntries(tables.map((t) => [t.name, 0]));
    const staging = path.join(opts.outDir, `.staging-${step.owner}-${opts.shard.index}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    try {
      const parts: Record<string, string[]> = {};
      for (let u = 0; u < requests.length; u++) {
        // exactly N slices per unit (a unit smaller than N leaves some slices empty)
        const count = requests[u].count;
        const start = Math.floor((count * opts.shard.index) / opts.shard.count);
        const end = Math.floor((count * (opts.shard.index + 1)) / opts.shard.count);
        const job: ChunkJob = {
          req: { ...requests[u], skills: requests[u].skills ? [...requests[u].skills!.entries()] : undefined },
          chunk: { unit: u, start, end, includeShared: opts.shard.index === 0 },
          batchSize: opts.batchSize ?? 1000,
          outDir: path.join(staging, `unit-${u}`),
          tables: tables.map((t) => t.name),
        };
        for (const [t, f] of Object.entries(await generateRows(job, tablesByName(job.tables)))) (parts[t] ??= []).push(f.file);
      }
      const { combineParquetParts } = await import('../store/index.js');
      const written = await combineParquetParts(tables, parts, path.join(staging, 'combined'));
      for (const w of written) {
        rows[w.table] = w.rows;
        const target = path.join(dsDir, w.table, `shard=${opts.shard.index}`);
        await rm(target, { recursive: true, force: true });
        await mkdir(target, { recursive: true });
        await rename(w.file, path.join(target, 'part.parquet'));
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    result.datasets.push({ name: step.owner, rows, dir: dsDir });
  }
  return result;
}
