import path from 'node:path';
import { build, plan } from '../../index.js';
import type { Project } from '../../pipeline/project.js';
import { buildShard, parseShard } from '../../pipeline/shard.js';
import type { BuildResult } from '../../pipeline/build.js';
import { CliError, type CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';
import { listrListener, plainListener } from '../render/buildEvents.js';
import { formatMs } from '../render/table.js';

export interface BuildCliOptions extends ProjectOptions {
  jobs?: string;
  force?: boolean;
  dryRun?: boolean;
  explain?: boolean;
  json?: boolean;
  frozen?: boolean;
  keepGoing?: boolean;
  batchSize?: string;
  wait?: string;
  shard?: string;
  shardDir?: string;
}

export function parseIntOption(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} must be an integer from ${min} to ${max} (got "${v}")`, 2);
  return n;
}

async function shardCommand(io: CliIO, project: Project, targets: string[], opts: BuildCliOptions): Promise<number> {
  const shard = parseShard(opts.shard!);
  if (!shard) throw new CliError(`--shard must be K/N with 0 ≤ K < N (got "${opts.shard}")`, 2);
  const outDir = path.resolve(project.root, opts.shardDir ?? path.join(project.config.output_dir, 'shards'));
  const t0 = performance.now();
  const jobs = parseIntOption('--jobs', opts.jobs, 1, 64);
  const batchSize = parseIntOption('--batch-size', opts.batchSize, 1, 1_000_000);
  const waitForLockMs = (parseIntOption('--wait', opts.wait, 0, 86_400) ?? 0) * 1000;
  // progress lines only (a shard reports its datasets when done): nothing for a short shard
  const onEvent = opts.json ? undefined : plainListener(io);
  const r = await buildShard(project, plan(project), { shard, outDir, targets, batchSize, jobs, onEvent, waitForLockMs });
  if (opts.json) io.out(JSON.stringify({ ...r, elapsedMs: Math.round(performance.now() - t0) }, null, 2));
  else {
    for (const d of r.datasets) io.out(`shard ${shard.index}/${shard.count} ${d.name}  (${Object.entries(d.rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ') || 'no rows in this shard'})  → ${path.relative(io.cwd, d.dir)}/<table>/shard=${shard.index}/`);
    io.out(`shard ${shard.index}/${shard.count} written in ${formatMs(performance.now() - t0)}; read all shards as one table with read_parquet('<dir>/<table>/*/*.parquet', hive_partitioning = true); when every shard is done, run healthsim shards combine`);
  }
  return 0;
}

export async function buildCommand(io: CliIO, targets: string[], opts: BuildCliOptions): Promise<number> {
  const project = await loadOrFail(io, opts, opts.json);
  if (opts.shard !== undefined) return shardCommand(io, project, targets, opts);
  const jobs = parseIntOption('--jobs', opts.jobs, 1, 64);
  const batchSize = parseIntOption('--batch-size', opts.batchSize, 1, 1_000_000);
  const waitSeconds = parseIntOption('--wait', opts.wait, 0, 86_400);
  const progress = opts.json || opts.explain ? undefined : io.isTTY ? listrListener(io) : undefined;
  const listener = opts.json ? undefined : opts.explain ? undefined : progress ? progress.listener : plainListener(io);
  let result: BuildResult;
  try {
    result = await build(project, {
      targets,
      jobs,
      batchSize,
      force: opts.force,
      dryRun: opts.dryRun || opts.explain,
      keepGoing: opts.keepGoing,
      frozen: opts.frozen,
      waitForLockMs: (waitSeconds ?? 0) * 1000,
      onEvent: listener,
    });
  } finally {
    await progress?.done();
  }
  if (opts.json) {
    io.out(JSON.stringify(result, null, 2));
  } else if (opts.explain) {
    for (const s of result.steps) {
      const verdict = s.status === 'would-run' ? 'would run' : s.status === 'cached' ? 'up to date (outputs in cache)' : 'up to date';
      io.out(`${s.id}: ${verdict}${s.status === 'would-run' ? ` because ${s.reasons.join('; ')}` : ''}`);
    }
  } else if (result.ok) {
    const ran = result.steps.filter((s) => s.status === (opts.dryRun ? 'would-run' : 'ran')).length;
    io.out(
      result.steps.length === 0
        ? 'nothing to build'
        : `${ran === 0 ? 'everything up to date' : `${ran} step${ran === 1 ? '' : 's'} ${opts.dryRun ? 'would run' : 'ran'}`}, ${result.steps.length - ran} up to date, in ${formatMs(result.elapsedMs)}${opts.dryRun ? ' (dry run: nothing was changed)' : ''}`,
    );
  }
  if (!result.ok) {
    if (!opts.json) {
      if (result.error) io.err(`error: ${result.error}`);
      const failed = result.steps.filter((s) => s.status === 'failed');
      for (const f of failed) io.err(`error: ${f.id} failed: ${f.error}`);
      io.err('build failed: outputs of steps that succeeded are kept; failed steps left nothing behind; healthsim.lock was not changed');
    }
    return 1;
  }
  return 0;
}
