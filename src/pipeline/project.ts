/**
 * Project loading: the one place that reads spec files. Reads healthsim.config.yaml, every
 * referenced profile and journey and skills/*.yaml (never following a symlink out of the
 * project), then hands the texts to the pure spec layer for all checks.
 */
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse as parseYamlLoose } from 'yaml';
import {
  analyzeProject,
  locate,
  type ParsedConfig,
  canonicalJson,
  cleanPath,
  decodeUtf8,
  fail,
  ok,
  parseConfig,
  parseJourney,
  parseProfile,
  referencedFiles,
  sortDiagnostics,
  type CodeExists,
  type Diagnostic,
  type FileProblem,
  type NormalizedConfig,
  type NormalizedJourney,
  type NormalizedProfile,
  type NormalizedSkill,
  type Result,
  type SkillExists,
} from '../spec/index.js';

export { canonicalJson };

export const DEFAULT_CONFIG_FILE = 'healthsim.config.yaml';
/** spec files larger than this are not read (a spec is a few KB) */
export const MAX_SPEC_BYTES = 2_000_000;

export interface LoadedSpec<T> {
  file: string;
  normalized: T;
  canonicalJson: string;
}

export interface Project {
  /** absolute, symlinks resolved */
  root: string;
  /** project-relative */
  configFile: string;
  config: NormalizedConfig;
  /** by project-relative path */
  profiles: Map<string, LoadedSpec<NormalizedProfile>>;
  journeys: Map<string, LoadedSpec<NormalizedJourney>>;
  /** by skill id */
  skills: Map<string, { file: string; normalized: NormalizedSkill }>;
  /** project-relative file → text, for every file read (diagnostic excerpts) */
  sources: Map<string, string>;
  warnings: Diagnostic[];
}

/**
 * When the config itself is invalid its datasets cannot be normalized, but the profiles and
 * journeys it names can still be checked, so one run reports every error: best effort, from the
 * raw YAML, only for paths inside the project that exist.
 */
async function referencedSpecErrors(root: string, configText: string): Promise<Diagnostic[]> {
  let raw: unknown;
  try {
    raw = parseYamlLoose(configText, { logLevel: 'silent', maxAliasCount: 100, uniqueKeys: false });
  } catch {
    return [];
  }
  const datasets = (raw as { datasets?: unknown })?.datasets;
  if (!datasets || typeof datasets !== 'object' || Array.isArray(datasets)) return [];
  const refs = new Map<string, 'profile' | 'journey'>();
  for (const ds of Object.values(datasets as Record<string, unknown>)) {
    if (!ds || typeof ds !== 'object') continue;
    const d = ds as { profile?: unknown; profiles?: unknown; journey?: unknown };
    for (const p of [d.profile, ...(Array.isArray(d.profiles) ? d.profiles : [])]) if (typeof p === 'string') refs.set(p, 'profile');
    if (typeof d.journey === 'string') refs.set(d.journey, 'journey');
  }
  const out: Diagnostic[] = [];
  for (const [ref, kind] of [...refs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const rel = cleanPath(toPosix(ref));
    if (isAbsolute(rel) || rel === '..' || rel.startsWith('../')) continue;
    const r = await readProjectFile(root, rel);
    if (!('text' in r)) continue;
    const res = kind === 'profile' ? parseProfile(r.text, rel) : parseJourney(r.text, rel);
    if (!res.ok) out.push(...res.errors);
  }
  return out;
}

/** Alias used by the build/verify/watch modules. */
export type LoadedProject = Project;

export interface LoadProjectOptions {
  /** config file, relative to root (or absolute inside it); default healthsim.config.yaml */
  configFile?: string;
  codeExists?: CodeExists;
  skillExists?: SkillExists;
}

type ReadOutcome = { text: string } | { missing: true } | { problem: FileProblem; diagnostics?: Diagnostic[] };

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Read a project file by relative path without leaving the project (symlinks included). */
async function readProjectFile(root: string, rel: string): Promise<ReadOutcome> {
  const abs = resolve(root, rel);
  if (!inside(root, abs)) return { problem: { code: 'project.path-escape', message: 'leaves the project directory' } };
  try {
    await lstat(abs);
  } catch {
    return { missing: true };
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    return { problem: { code: 'project.missing-file', message: 'is a broken symlink' } };
  }
  if (!inside(root, real)) {
    return { problem: { code: 'project.symlink-escape', message: 'is a symlink that resolves outside the project' } };
  }
  const st = await stat(real);
  if (!st.isFile()) return { problem: { code: 'project.not-a-file', message: 'is not a file' } };
  if (st.size > MAX_SPEC_BYTES) {
    return { problem: { code: 'yaml.too-large', message: `is ${st.size} bytes; a spec file may have at most ${MAX_SPEC_BYTES}` } };
  }
  const bytes = await readFile(real);
  const decoded = decodeUtf8(bytes, rel);
  if (!decoded.ok) return { problem: { code: 'yaml.encoding', message: 'is not valid UTF-8' }, diagnostics: decoded.errors };
  return { text: decoded.value };
}

async function isDirectory(root: string, rel: string): Promise<boolean> {
  try {
    const real = await realpath(resolve(root, rel));
    return inside(root, real) && (await stat(real)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * An export's directory must stay inside the project once symlinks are resolved: the path itself
 * is checked (relative, no `..`) by the spec layer; here its deepest existing ancestor (say,
 * `outputs/exports` linked to /elsewhere) is resolved on disk.
 */
async function exportSymlinkEscapes(root: string, config: ParsedConfig): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const ex of config.normalized.exports) {
    let p = resolve(root, ex.path);
    if (!inside(root, p)) continue; // reported by the spec layer
    for (;;) {
      let real: string | undefined;
      try {
        real = await realpath(p);
      } catch {
        real = undefined;
      }
      if (real !== undefined) {
        if (!inside(root, real)) {
          const pos = locate(config.source, ['exports', ex.name, 'path']);
          out.push({
            severity: 'error',
            code: 'project.symlink-escape',
            message: `exports.${ex.name}.path "${ex.path}" leads outside the project through the symlink ${toPosix(relative(root, p)) || '.'} → ${real}`,
            file: config.file,
            line: pos.line,
            col: pos.col,
            hint: 'write exports inside the project, or remove the symlink',
          });
        }
        break;
      }
      const parent = resolve(p, '..');
      if (parent === p || !inside(root, parent)) break;
      p = parent;
    }
  }
  return out;
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

export async function loadProject(root: string, opts: LoadProjectOptions = {}): Promise<Result<Project>> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return fail([{ severity: 'error', code: 'project.missing-root', message: `project directory ${root} does not exist`, file: root, line: 1, col: 1 }]);
  }
  const requested = opts.configFile ?? DEFAULT_CONFIG_FILE;
  const configFile = cleanPath(toPosix(isAbsolute(requested) ? relative(realRoot, requested) : requested));
  const sources = new Map<string, string>();

  const configRead = await readProjectFile(realRoot, configFile);
  if ('missing' in configRead) {
    return fail([
      {
        severity: 'error',
        code: 'project.missing-config',
        message: `no ${configFile} in ${root}`,
        file: configFile,
        line: 1,
        col: 1,
        hint: 'run `healthsim init` to create one',
      },
    ]);
  }
  if ('problem' in configRead) {
    return fail(
      configRead.diagnostics ?? [
        { severity: 'error', code: configRead.problem.code, message: `${configFile} ${configRead.problem.message}`, file: configFile, line: 1, col: 1 },
      ],
    );
  }
  sources.set(configFile, configRead.text);
  const parsed = parseConfig(configRead.text, configFile);
  if (!parsed.ok) {
    // only when the YAML itself parsed cleanly (a schema error): never re-parse hostile text
    const yamlOk = parsed.errors.every((d) => !d.code.startsWith('yaml.')) && configRead.text.length < 200_000;
    return fail(sortDiagnostics([...parsed.errors, ...(yamlOk ? await referencedSpecErrors(realRoot, configRead.text) : [])]));
  }

  const files = new Map<string, string>();
  const unreadable = new Map<string, FileProblem>();
  const fileDiagnostics: Diagnostic[] = [];
  for (const ref of referencedFiles(parsed.value)) {
    if (files.has(ref.path) || unreadable.has(ref.path)) continue;
    if (ref.path.startsWith('../') || ref.path === '..' || ref.path.startsWith('/')) continue;
    const r = await readProjectFile(realRoot, ref.path);
    if ('text' in r) {
      files.set(ref.path, r.text);
      sources.set(ref.path, r.text);
    } else if ('problem' in r) {
      unreadable.set(ref.path, r.problem);
      fileDiagnostics.push(...(r.diagnostics ?? []));
    }
  }

  let skillsDir = parsed.value.normalized.skills_dir;
  if (skillsDir === undefined && (await isDirectory(realRoot, 'skills'))) skillsDir = 'skills';
  const skillFiles = new Map<string, string>();
  if (skillsDir !== undefined) {
    if (!(await isDirectory(realRoot, skillsDir))) {
      if (parsed.value.normalized.skills_dir !== undefined) {
        fileDiagnostics.push({ severity: 'error', code: 'project.missing-file', message: `skills_dir "${skillsDir}" is not a directory inside the project`, file: configFile, line: 1, col: 1 });
      }
    } else {
      const names = (await readdir(join(realRoot, skillsDir))).filter((n) => /\.ya?ml$/.test(n)).sort();
      for (const name of names) {
        const rel = `${skillsDir}/${name}`;
        const r = await readProjectFile(realRoot, rel);
        if ('text' in r) {
          skillFiles.set(rel, r.text);
          sources.set(rel, r.text);
        } else if ('problem' in r) {
          fileDiagnostics.push(
            ...(r.diagnostics ?? [{ severity: 'error', code: r.problem.code, message: `${rel} ${r.problem.message}`, file: rel, line: 1, col: 1 }]),
          );
        }
      }
    }
  }

  const analyzed = analyzeProject({
    configFile,
    configText: configRead.text,
    files,
    unreadable,
    skillFiles,
    fileDiagnostics,
    codeExists: opts.codeExists,
    skillExists: opts.skillExists,
  });
  if (!analyzed.ok) return analyzed;
  const a = analyzed.value;
  const escapes = await exportSymlinkEscapes(realRoot, a.config);
  if (escapes.length) return fail(escapes);
  const config: NormalizedConfig = { ...a.config.normalized };
  if (skillsDir !== undefined && skillFiles.size > 0) config.skills_dir = skillsDir;
  else if (skillsDir !== undefined && config.skills_dir === undefined && (await isDirectory(realRoot, skillsDir))) config.skills_dir = skillsDir;

  const profiles = new Map<string, LoadedSpec<NormalizedProfile>>();
  for (const [path, p] of [...a.profiles].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    profiles.set(path, { file: path, normalized: p.normalized, canonicalJson: canonicalJson(p.normalized) });
  }
  const journeys = new Map<string, LoadedSpec<NormalizedJourney>>();
  for (const [path, j] of [...a.journeys].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    journeys.set(path, { file: path, normalized: j.normalized, canonicalJson: canonicalJson(j.normalized) });
  }
  const skills = new Map<string, { file: string; normalized: NormalizedSkill }>();
  for (const [id, s] of [...a.skills].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) skills.set(id, { file: s.file, normalized: s.normalized });

  return ok({ root: realRoot, configFile, config, profiles, journeys, skills, sources, warnings: a.warnings });
}
