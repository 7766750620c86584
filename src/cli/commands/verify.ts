import { plan } from '../../index.js';
import { verify } from '../../pipeline/verify.js';
import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';

export async function verifyCommand(io: CliIO, opts: ProjectOptions & { json?: boolean }): Promise<number> {
  const project = await loadOrFail(io, opts, opts.json);
  const r = await verify(project, plan(project));
  if (opts.json) io.out(JSON.stringify(r, null, 2));
  else {
    for (const p of r.problems) io.err(`${p.step}${p.file ? ` ${p.file}` : ''}: ${p.problem}`);
    io.out(
      r.ok
        ? `verified: a clean rebuild reproduced ${r.checkedFiles} file hash(es) of ${r.checkedSteps} step(s) in healthsim.lock`
        : `verify failed: ${r.problems.length} problem(s)`,
    );
  }
  return r.ok ? 0 : 1;
}
