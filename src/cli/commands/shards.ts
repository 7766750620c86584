import path from 'node:path';
import { build, plan } from '../../index.js';
import type { BuildResult } from '../../pipeline/build.js';
import { importShards } from '../../pipeline/shard.js';
import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';
import { listrListener, plainListener, rowsText } from '../render/buildEvents.js';
import { formatMs } from '../render/table.js';
import { parseIntOption } from './build.js';

export interface ShardsCombineCliOptions extends ProjectOptions {
  shardDir?: string;
  jobs?: string;
  json?: boolean;
  frozen?: boolean;
  wait?: string;
}

/**
 * `healthsim shards combine [targets...]`: import the shards that `build --shard K/N` wrote on
 * other machines into the cache, then build the targets as usual (persist, merge, export, lock).
 * A missing, stale, mixed or corrupt shard fails (exit 1) before anything changes, naming the
 * command that rebuilds it.
 */
export async function shardsCombineCommand(io: CliIO, targets: string[], opts: ShardsCombineCliOptions): Promise<number> {
  const project = await loadOrFail(io, opts, opts.json);
  const jobs = parseIntOption('--jobs', opts.jobs, 1, 64);
  const waitForLockMs = (parseIntOption('--wait', opts.wait, 0, 86_400) ?? 0) * 1000;
  const outDir = path.resolve(project.root, opts.shardDir ?? path.join(project.config.output_dir, 'shards'));
  const t0 = performance.now();
  const p = plan(project);

  const imported = await importShards(project, p, { outDir, targets, waitForLockMs });
  if (!imported.ok) {
    if (opts.json) io.out(JSON.stringify({ ok: false, problems: imported.errors }, null, 2));
    else {
      for (const e of imported.errors) io.err(`error: ${e.message}\n  fix: ${e.fix}`);
      io.err(`shards not combined: ${imported.errors.length} problem${imported.errors.length === 1 ? '' : 's'}; nothing was changed`);
    }
    return 1;
  }
  if (!opts.json) {
    for (const c of imported.value) {
      io.out(`${c.status === 'imported' ? `imported ${c.step} from ${c.shards} shards` : `${c.step} already in the cache`}  (${rowsText(c.rows)})`);
    }
  }

  const progress = opts.json ? undefined : io.isTTY ? listrListener(io) : undefined;
  const listener = opts.json ? undefined : progress ? progress.listener : plainListener(io, { quietUpToDate: true });
  let result: BuildResult;
  try {
    result = await build(project, { targets, jobs, frozen: opts.frozen, waitForLockMs, onEvent: listener });
  } finally {
    await progress?.done();
  }
  if (opts.json) {
    io.out(JSON.stringify({ ok: result.ok, combined: imported.value, build: result, elapsedMs: Math.round(performance.now() - t0) }, null, 2));
    return result.ok ? 0 : 1;
  }
  if (!result.ok) {
    if (result.error) io.err(`error: ${result.error}`);
    for (const f of result.steps.filter((s) => s.status === 'failed')) io.err(`error: ${f.id} failed: ${f.error}`);
    io.err('build failed after the import: the imported cache entries are kept; healthsim.lock was not changed');
    return 1;
  }
  const n = imported.value.filter((c) => c.status === 'imported').length;
  const ran = result.steps.filter((s) => s.status === 'ran').length;
  io.out(
    `combined ${n} dataset${n === 1 ? '' : 's'} from shards${n < imported.value.length ? ` (${imported.value.length - n} already in the cache)` : ''}; ${ran} step${ran === 1 ? '' : 's'} ran, in ${formatMs(performance.now() - t0)}`,
  );
  return 0;
}
