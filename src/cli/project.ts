import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, formatDiagnosticWithSource, type Diagnostic } from '../spec/diagnostic.js';
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
    printDiagnostics(io, res.errors, json, root);
    const n = res.errors.filter((d) => d.severity === 'error').length;
    throw new CliError(`${n} error${n === 1 ? '' : 's'}; nothing was built or changed`, 1);
  }
  if (!json) for (const w of res.value.warnings ?? []) io.err(formatDiagnostic(w));
  return res.value;
}

/**
 * For commands that only read the last build's database (query): while a profile or journey is
 * being edited (`healthsim watch` shows its errors) the last good outputs stay readable. When
 * only the config itself parses, a one-line warning replaces the diagnostics; a broken or
 * missing config still fails like loadOrFail.
 */
export async function loadForReading(io: CliIO, opts: ProjectOptions, json = false): Promise<Pick<Project, 'root' | 'config'>> {
  const root = path.resolve(io.cwd, opts.project ?? '.');
  const res = await loadProject(root, { configFile: opts.config });
  if (res.ok) {
    if (!json) for (const w of res.value.warnings ?? []) io.err(formatDiagnostic(w));
    return res.value;
  }
  const configFile = opts.config ?? 'healthsim.config.yaml';
  let config;
  try {
    const { parseConfig } = await import('../spec/index.js');
    config = parseConfig(readFileSync(path.resolve(root, configFile), 'utf8'), configFile);
  } catch {
    config = undefined;
  }
  if (!config?.ok || res.errors.some((d) => d.file === configFile)) return loadOrFail(io, opts, json);
  const n = res.errors.filter((d) => d.severity === 'error').length;
  io.err(`warning: the specs have ${n} error${n === 1 ? '' : 's'} (run healthsim validate); reading the database of the last good build`);
  return { root: realpathSync(root), config: config.value.normalized };
}

/** Diagnostics for people: the one-line form plus the source line with a caret, when readable. */
export function printDiagnostics(io: CliIO, ds: readonly Diagnostic[], json: boolean, root?: string): void {
  if (json) {
    io.out(JSON.stringify({ ok: false, diagnostics: ds }, null, 2));
    return;
  }
  const texts = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (!root || file.startsWith('<')) return undefined;
    if (!texts.has(file)) {
      try {
        const text = readFileSync(path.resolve(root, file), 'utf8');
        texts.set(file, text.length < 5_000_000 ? text : undefined);
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  for (const d of ds) {
    const text = source(d.file);
    io.err(text === undefined ? formatDiagnostic(d) : formatDiagnosticWithSource(d, text));
  }
}
