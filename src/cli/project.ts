import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../spec/diagnostic.js';
import { loadProject } from '../index.js';
import type { Project } from '../pipeline/project.js';
import { CliError, type CliIO } from './io.js';

export interface ProjectOptions {
  project?: string;
  config?: string;
}

/** Load the project or print every diagnostic and fail with exit code 1. */
export async function loadOrFail(io: CliIO, opts: ProjectOptions, json = false): Promise<Project> {
  const root = path.resolve(io.cwd, opts.project ?? '.');
  const res = await loadProject(root, { configFile: opts.config });
  if (!res.ok) {
    printDiagnostics(io, res.errors, json);
    throw new CliError(`${res.errors.filter((d) => d.severity === 'error').length} error(s); nothing was built`, 1);
  }
  return res.value;
}

export function printDiagnostics(io: CliIO, ds: readonly Diagnostic[], json: boolean): void {
  if (json) {
    io.out(JSON.stringify({ ok: false, diagnostics: ds }, null, 2));
    return;
  }
  for (const d of ds) io.err(formatDiagnostic(d));
}
