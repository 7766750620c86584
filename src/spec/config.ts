/** healthsim.config.yaml: parse → schema → checks → NormalizedConfig (datasets sorted by name). */
import type { Diagnostic } from './diagnostic.js';
import { checkCount } from './profile.js';
import { fail, ok, type Result } from './result.js';
import { finishSpec, loadSpecDocument } from './spec-file.js';
import { didYouMean } from './suggest.js';
import { tableByName, ALL_TABLES } from '../model/registry.js';
import type { DatasetConfig, ExportConfig, NormalizedConfig } from './types.js';
import type { DiagnosticSink, SpecPath, YamlLimits, YamlSource } from './yaml.js';


/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

export const DEFAULT_SEED = 42;
export const DEFAULT_REFERENCE_DATE = '2025-01-01';
export const DEFAULT_OUTPUT_DIR = 'outputs';
export const NAME_RE = /^[a-z][a-z0-9_-]{0,62}$/;

export interface ParsedConfig {
  file: string;
  normalized: NormalizedConfig;
  source: YamlSource;
}

export function parseConfig(text: string, file: string, limits?: Partial<YamlLimits>): Result<ParsedConfig> {
  const loaded = loadSpecDocument('config', text, file, limits);
  if (!loaded.ok) return fail(nameDuplicates(loaded.errors, text));
  const { src, sink } = loaded.value;
  const done = finishSpec(loaded.value, () => normalizeConfig(src.value as Raw, sink));
  if (!done.ok) return done;
  return ok({ file, normalized: done.value, source: src });
}

/**
 * `duplicate key "a"` under `datasets:` / `exports:` → `duplicate dataset name "a"`. The parent
 * of a key at column c is the nearest non-blank line above it indented less than c - 1. One pass
 * over the lines keeps a stack of the lines no later line has out-indented (strictly increasing
 * indentation), so each lookup is a binary search instead of a scan back over the file.
 */
function nameDuplicates(diags: Diagnostic[], text: string): Diagnostic[] {
  const byLine = new Map<number, number[]>();
  diags.forEach((d, i) => {
    if (d.code !== 'yaml.duplicate-key') return;
    const at = byLine.get(d.line);
    if (at) at.push(i);
    else byLine.set(d.line, [i]);
  });
  if (byLine.size === 0) return diags;
  const out = [...diags];
  const lines = text.split(/\r?\n/);
  const stack: Array<{ lead: number; line: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    for (const di of byLine.get(i + 1) ?? []) {
      const d = out[di]!;
      const indent = d.col - 1;
      // topmost stack entry with lead < indent = nearest non-blank line above with lead < indent
      let lo = 0;
      let hi = stack.length; // first index whose lead >= indent
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (stack[mid]!.lead < indent) lo = mid + 1;
        else hi = mid;
      }
      const parent = lo > 0 ? stack[lo - 1]! : undefined;
      const m = parent && parent.lead === 0 ? /^([A-Za-z_]+)\s*:\s*(#.*)?$/.exec(parent.line) : null;
      if (m && (m[1] === 'datasets' || m[1] === 'exports')) {
        const what = m[1] === 'datasets' ? 'dataset' : 'export';
        out[di] = { ...d, code: 'config.duplicate-name', message: d.message.replace('duplicate key', `duplicate ${what} name`), hint: `each ${what} name may be used once` };
      }
    }
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lead = /^\s*/.exec(line)![0].length;
    while (stack.length > 0 && stack[stack.length - 1]!.lead >= lead) stack.pop();
    stack.push({ lead, line });
  }
  return out;
}

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

/** A project path: relative, forward slashes, never leaving the project. Returns the cleaned path. */
export function checkProjectPath(sink: DiagnosticSink, path: SpecPath, p: string): string {
  const cleaned = cleanPath(p);
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\')) {
    sink.error(path, 'project.path-escape', `"${p}" is an absolute path; paths must be relative to the project root`);
  } else if (cleaned === '..' || cleaned.startsWith('../')) {
    sink.error(path, 'project.path-escape', `"${p}" leaves the project directory`, { hint: 'keep referenced files inside the project' });
  }
  return cleaned;
}

/** Normalize `./a//b/../c` → `a/c` (no filesystem access; `..` above the root is kept). */
export function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/') || '.';
}

function checkName(sink: DiagnosticSink, path: SpecPath, name: string, what: string): void {
  if (!NAME_RE.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 63);
    sink.at(path, 'config.name', `${what} name "${name}" must be lowercase letters, digits, - or _, start with a letter and be at most 63 characters`, {
      target: 'key',
      hint: suggestion && NAME_RE.test(suggestion) ? `did you mean ${suggestion}?` : undefined,
    });
  }
}

export function normalizeConfig(raw: Raw, sink: DiagnosticSink): NormalizedConfig {
  const reference_date: string = raw.reference_date ?? DEFAULT_REFERENCE_DATE;
  if (raw.reference_date !== undefined && !isCalendarDate(raw.reference_date) && /^\d{4}-\d{2}-\d{2}$/.test(raw.reference_date)) {
    sink.error(['reference_date'], 'config.date', `"${raw.reference_date}" is not a real calendar date`);
  }
  const output_dir = raw.output_dir !== undefined ? checkProjectPath(sink, ['output_dir'], raw.output_dir) : DEFAULT_OUTPUT_DIR;
  const datasets: DatasetConfig[] = [];
  const rawDatasets: Record<string, Raw> = raw.datasets ?? {};
  for (const name of Object.keys(rawDatasets).sort()) {
    datasets.push(normalizeDataset(name, rawDatasets[name], sink));
  }
  const exports: ExportConfig[] = [];
  const rawExports: Record<string, Raw> = raw.exports ?? {};
  for (const name of Object.keys(rawExports).sort()) {
    const e = rawExports[name];
    const p: SpecPath = ['exports', name];
    checkName(sink, p, name, 'export');
    const ex: ExportConfig = {
      name,
      dataset: e.dataset,
      format: e.format,
      path: e.path !== undefined ? checkProjectPath(sink, [...p, 'path'], e.path) : `${output_dir}/exports/${name}`,
    };
    if (e.tables) {
      const known = ALL_TABLES.map((t) => t.name);
      e.tables.forEach((t: string, i: number) => {
        if (!tableByName(t)) sink.error([...p, 'tables', i], 'config.unknown-table', `"${t}" is not a table`, { hint: didYouMean(t, known) });
      });
      ex.tables = [...e.tables].sort();
    }
    exports.push(ex);
  }
  const out: NormalizedConfig = {
    version: 1,
    seed: raw.seed ?? DEFAULT_SEED,
    reference_date,
    output_dir,
    storage: raw.storage ?? 'views',
    datasets,
    exports,
  };
  if (raw.skills_dir !== undefined) out.skills_dir = checkProjectPath(sink, ['skills_dir'], raw.skills_dir);
  return out;
}

const GENERATE_ONLY = ['journey', 'count', 'seed', 'namespace'] as const;

function normalizeDataset(name: string, d: Raw, sink: DiagnosticSink): DatasetConfig {
  const p: SpecPath = ['datasets', name];
  checkName(sink, p, name, 'dataset');
  const kinds = (['profile', 'profiles', 'merge', 'clone'] as const).filter((k) => d[k] !== undefined);
  let kind: DatasetConfig['kind'] = 'generate';
  if (kinds.length === 0) {
    sink.error(p, 'config.dataset-kind', 'needs one of profile, profiles, merge or clone', { target: 'key' });
  } else if (kinds.length > 1) {
    sink.error([...p, kinds[1]!], 'config.dataset-kind', `cannot combine ${kinds.join(' and ')}; a dataset is generated from profiles, merged, or cloned`, { target: 'key' });
  } else if (kinds[0] === 'merge') kind = 'merge';
  else if (kinds[0] === 'clone') kind = 'clone';

  if (kind !== 'generate') {
    for (const k of GENERATE_ONLY) {
      if (d[k] !== undefined) sink.error([...p, k], 'config.dataset-kind', `only applies to generated datasets, not to a ${kind}`, { target: 'key' });
    }
  }
  const profiles: string[] = [];
  if (d.profile !== undefined) profiles.push(checkProjectPath(sink, [...p, 'profile'], d.profile));
  (d.profiles ?? []).forEach((x: string, i: number) => profiles.push(checkProjectPath(sink, [...p, 'profiles', i], x)));
  const out: DatasetConfig = { name, kind, profiles, tags: [...(d.tags ?? [])].sort() };
  if (d.journey !== undefined) out.journey = checkProjectPath(sink, [...p, 'journey'], d.journey);
  if (d.count !== undefined) {
    checkCount(sink, [...p, 'count'], d.count);
    out.count = d.count;
  }
  if (d.seed !== undefined) out.seed = d.seed;
  if (d.namespace !== undefined) out.namespace = d.namespace;
  if (d.merge !== undefined) out.merge = [...d.merge];
  if (d.clone !== undefined) out.clone = d.clone;
  if (d.description !== undefined) out.description = d.description;
  return out;
}
