import { build } from '../../index.js';
import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';

export async function statusCommand(io: CliIO, opts: ProjectOptions & { json?: boolean }): Promise<number> {
  const project = await loadOrFail(io, opts, opts.json);
  const r = await build(project, { dryRun: true });
  if (opts.json) {
    io.out(JSON.stringify({ ok: r.ok, steps: r.steps.map((s) => ({ id: s.id, stale: s.status === 'would-run', reasons: s.reasons, key: s.key })) }, null, 2));
    return 0;
  }
  const stale = r.steps.filter((s) => s.status === 'would-run');
  for (const s of r.steps) io.out(`${s.status === 'would-run' ? 'stale     ' : 'up to date'} ${s.id}${s.status === 'would-run' ? `  ${s.reasons.join('; ')}` : ''}`);
  io.out(stale.length === 0 ? 'everything is up to date' : `${stale.length} of ${r.steps.length} steps are stale; run healthsim build`);
  return 0;
}
