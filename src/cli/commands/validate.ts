import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';

export async function validateCommand(io: CliIO, opts: ProjectOptions & { json?: boolean }): Promise<number> {
  const project = await loadOrFail(io, opts, opts.json);
  const summary = {
    ok: true,
    datasets: project.config.datasets.length,
    exports: project.config.exports.length,
    profiles: project.profiles.size,
    journeys: project.journeys.size,
    skills: project.skills.size,
  };
  if (opts.json) io.out(JSON.stringify({ ...summary, diagnostics: [] }, null, 2));
  else
    io.out(
      `ok: ${summary.datasets} dataset(s), ${summary.exports} export(s), ${summary.profiles} profile(s), ${summary.journeys} journey(s), ${summary.skills} skill(s) are valid`,
    );
  return 0;
}
