import { cacheGc, clean } from '../../pipeline/clean.js';
import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';
import { formatBytes } from '../render/table.js';

export async function cleanCommand(io: CliIO, opts: ProjectOptions & { keepCache?: boolean }): Promise<number> {
  const project = await loadOrFail(io, opts);
  const r = await clean(project, { keepCache: opts.keepCache });
  io.out(r.removed.length ? r.removed.map((p) => `removed ${p}`).join('\n') : 'nothing to remove');
  return 0;
}

export async function cacheGcCommand(io: CliIO, opts: ProjectOptions & { dryRun?: boolean }): Promise<number> {
  const project = await loadOrFail(io, opts);
  const r = await cacheGc(project, { dryRun: opts.dryRun });
  for (const e of r.removed) io.out(`${opts.dryRun ? 'would remove' : 'removed'} ${e.key.slice(0, 16)}  ${formatBytes(e.bytes)}`);
  io.out(`${opts.dryRun ? 'would free' : 'freed'} ${formatBytes(r.bytesFreed)} from ${r.removed.length} entr${r.removed.length === 1 ? 'y' : 'ies'}; kept ${r.kept}`);
  return 0;
}
