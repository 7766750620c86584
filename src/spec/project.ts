/**
 * Cross-file project checks (pure: every file has already been read by the caller).
 * Parses the config, every referenced profile and journey and every project skill, then checks
 * what no single file can: dataset references and cycles, exports, missing or unreadable files
 * (reported at the config line that names them), codes (through an injected hook) and skills.
 * All errors of a project come back in one run.
 */
import { fitDemographics, type ApplicabilityOf } from './applicability.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { parseConfig, type ParsedConfig } from './config.js';
import { parseJourney, type ParsedJourney } from './journey.js';
import { parseProfile, type ParsedProfile } from './profile.js';
import type { CodeRef, CodeSystem, SkillRef } from './refs.js';
import { fail, ok, type Result } from './result.js';
import { parseSkill, type ParsedSkill } from './skill.js';
import { didYouMean } from './suggest.js';
import type { NormalizedConfig, NormalizedSkill } from './types.js';
import { DiagnosticSink, type SpecPath, type YamlLimits } from './yaml.js';

/** true: the code exists; false: it does not; undefined: this system is not known (skip). */
export type CodeExists = ((system: CodeSystem, code: string) => boolean | undefined) & {
  /** optional: what would be right for an unknown code (a nearby real code) */
  suggest?: (system: CodeSystem, code: string) => string | undefined;
  /** optional: the sex and ages an ICD-10-CM code applies to (see applicability.ts) */
  applicability?: ApplicabilityOf;
};
/**
 * Same contract for skills outside the project's own files (the shipped packs, reference layer):
 * called with a name the project's skills do not define and the project's skills (which win over
 * shipped ones on id). `names` (optional) lists the ids and aliases it knows, for did-you-mean.
 */
export interface SkillExists {
  (nameOrAlias: string, projectSkills: readonly NormalizedSkill[]): boolean | undefined;
  names?: (projectSkills: readonly NormalizedSkill[]) => string[];
  /** the skills' ids alone (for a hint that lists them) */
  ids?: (projectSkills: readonly NormalizedSkill[]) => string[];
  /** for a `skill_ref` lookup path the skill does not have: what it has there (undefined: it resolves, or the skill is unknown) */
  lookupProblem?: (skill: string, lookup: string, projectSkills: readonly NormalizedSkill[]) => string | undefined;
}

export interface FileProblem {
  code: string;
  /** completes "<path> …", e.g. `resolves outside the project (symlink)` */
  message: string;
}

export interface ProjectInput {
  configFile: string;
  configText: string;
  /** project-relative path → text for every referenced file that could be read */
  files: ReadonlyMap<string, string>;
  /** project-relative path → why it could not be read (anything not here or in `files` is missing) */
  unreadable?: ReadonlyMap<string, FileProblem>;
  /** project skill files: path → text */
  skillFiles?: ReadonlyMap<string, string>;
  /** diagnostics the reader already produced inside files (e.g. bad UTF-8) */
  fileDiagnostics?: readonly Diagnostic[];
  codeExists?: CodeExists;
  skillExists?: SkillExists;
  limits?: Partial<YamlLimits>;
}

export interface AnalyzedProject {
  config: ParsedConfig;
  profiles: Map<string, ParsedProfile>;
  journeys: Map<string, ParsedJourney>;
  /** by skill id */
  skills: Map<string, ParsedSkill>;
  /** non-fatal findings */
  warnings: Diagnostic[];
}

export interface FileReference {
  path: string;
  kind: 'profile' | 'journey';
  /** where the config names it */
  at: SpecPath;
}

/** Every file the config references, in config order (datasets sorted by name). */
export function referencedFiles(config: ParsedConfig): FileReference[] {
  const raw = (config.source.value ?? {}) as { datasets?: Record<string, { profile?: string; profiles?: string[] }> };
  const refs: FileReference[] = [];
  for (const ds of config.normalized.datasets) {
    const r = raw.datasets?.[ds.name] ?? {};
    if (r.profile !== undefined) refs.push({ path: ds.profiles[0]!, kind: 'profile', at: ['datasets', ds.name, 'profile'] });
    const offset = r.profile !== undefined ? 1 : 0;
    (r.profiles ?? []).forEach((_, i) => refs.push({ path: ds.profiles[i + offset]!, kind: 'profile', at: ['datasets', ds.name, 'profiles', i] }));
    if (ds.journey !== undefined) refs.push({ path: ds.journey, kind: 'journey', at: ['datasets', ds.name, 'journey'] });
  }
  return refs;
}

const SYSTEM_NAMES: Record<CodeSystem, string> = { icd10cm: 'ICD-10-CM code', loinc: 'LOINC code', rxnorm: 'RxNorm code', cpt: 'CPT/HCPCS code', drug: 'medication', lab: 'lab panel, test or LOINC code' };

function escapes(p: string): boolean {
  return p.startsWith('/') || p === '..' || p.startsWith('../') || /^[A-Za-z]:/.test(p);
}

export function analyzeProject(input: ProjectInput): Result<AnalyzedProject> {
  const parsedConfig = parseConfig(input.configText, input.configFile, input.limits);
  if (!parsedConfig.ok) return fail(sortDiagnostics([...parsedConfig.errors, ...(input.fileDiagnostics ?? [])]));
  const config = parsedConfig.value;
  const sink = new DiagnosticSink(config.source);
  const errors: Diagnostic[] = [...(input.fileDiagnostics ?? [])];
  const warnings: Diagnostic[] = [];

  // 1. referenced files: read problems at the config line, parse problems inside the file
  const profiles = new Map<string, ParsedProfile>();
  const journeys = new Map<string, ParsedJourney>();
  const parsedOnce = new Set<string>();
  for (const ref of referencedFiles(config)) {
    if (escapes(ref.path)) continue; // already reported by parseConfig
    const problem = input.unreadable?.get(ref.path);
    const text = input.files.get(ref.path);
    if (problem) {
      sink.error(ref.at, problem.code, `"${ref.path}" ${problem.message}`);
      continue;
    }
    if (text === undefined) {
      sink.error(ref.at, 'project.missing-file', `"${ref.path}" does not exist`, { hint: `create it or fix the path` });
      continue;
    }
    if (parsedOnce.has(`${ref.kind}:${ref.path}`)) continue;
    parsedOnce.add(`${ref.kind}:${ref.path}`);
    if (ref.kind === 'profile') {
      const r = parseProfile(text, ref.path, input.limits);
      if (r.ok) profiles.set(ref.path, r.value);
      else errors.push(...r.errors);
    } else {
      const r = parseJourney(text, ref.path, input.limits);
      if (r.ok) journeys.set(ref.path, r.value);
      else errors.push(...r.errors);
    }
  }

  // 2. skills
  const skills = new Map<string, ParsedSkill>();
  for (const path of [...(input.skillFiles?.keys() ?? [])].sort()) {
    const r = parseSkill(input.skillFiles!.get(path)!, path, input.limits);
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    const prev = skills.get(r.value.normalized.id);
    if (prev) {
      const s = new DiagnosticSink(r.value.source);
      errors.push(s.error(['id'], 'project.duplicate-skill', `"${r.value.normalized.id}" is also defined in ${prev.file}`));
      continue;
    }
    skills.set(r.value.normalized.id, r.value);
  }

  // 3. dataset graph and exports
  checkDatasetGraph(config.normalized, sink);
  const names = config.normalized.datasets.map((d) => d.name);
  for (const ex of config.normalized.exports) {
    if (!names.includes(ex.dataset)) {
      sink.error(['exports', ex.name, 'dataset'], 'project.unknown-dataset', `names an unknown dataset "${ex.dataset}"`, {
        hint: didYouMean(ex.dataset, names) ?? knownList(names),
      });
    }
  }

  // 4. codes and skills referenced by the specs
  if (input.codeExists) {
    const refs: CodeRef[] = [
      ...[...profiles.values()].flatMap((p) => p.codeRefs),
      ...[...journeys.values()].flatMap((j) => j.codeRefs),
      ...[...skills.values()].flatMap((s) => s.codeRefs),
    ];
    for (const ref of refs) {
      if (input.codeExists(ref.system, ref.code) === false) {
        errors.push({
          severity: 'error',
          code: 'project.unknown-code',
          message: `${ref.path} "${ref.code}" is not a known ${SYSTEM_NAMES[ref.system]}`,
          file: ref.file,
          line: ref.line,
          col: ref.col,
          path: ref.path,
          length: ref.code.length,
          ...(input.codeExists.suggest?.(ref.system, ref.code) ? { hint: input.codeExists.suggest(ref.system, ref.code) } : {}),
        });
      }
    }
  }
  if (input.codeExists?.applicability) {
    for (const p of profiles.values()) {
      const s = new DiagnosticSink(p.source, 'profile');
      fitDemographics(p.normalized, (p.source.value as { profile?: unknown } | null)?.profile, s, input.codeExists.applicability);
      for (const d of s.items) (d.severity === 'error' ? errors : warnings).push(d);
    }
  }
  const aliases = new Set<string>();
  for (const s of skills.values()) for (const c of [s.normalized.id, ...s.normalized.aliases]) aliases.add(c);
  const projectSkills = [...skills.values()].map((s) => s.normalized);
  for (const ref of [...journeys.values()].flatMap((j) => j.skillRefs)) {
    const known = ref.via === 'skill_ref' ? skills.has(ref.name) : aliases.has(ref.name);
    const problem = ref.lookup !== undefined && ref.lookupAt ? input.skillExists?.lookupProblem?.(ref.name, ref.lookup, projectSkills) : undefined;
    if (problem !== undefined && ref.lookupAt) {
      errors.push({
        severity: 'error', code: 'project.unknown-lookup',
        message: `${ref.lookupAt.path} "${ref.lookup}" is not in skill ${ref.name}`,
        file: ref.lookupAt.file, line: ref.lookupAt.line, col: ref.lookupAt.col, path: ref.lookupAt.path, length: ref.lookup!.length,
        hint: problem,
      });
    }
    if (known) continue;
    const outside = input.skillExists?.(ref.name, projectSkills);
    if (outside === false) {
      const names = ref.via === 'skill_ref' ? [...skills.keys()] : [...aliases];
      const ids = [...skills.keys(), ...(input.skillExists?.ids?.(projectSkills) ?? [])];
      errors.push(skillDiagnostic(ref, [...names, ...(input.skillExists?.names?.(projectSkills) ?? [])], ids));
    }
  }

  errors.push(...sink.items.filter((d) => d.severity === 'error'));
  warnings.push(...sink.items.filter((d) => d.severity === 'warning'));
  for (const j of journeys.values()) warnings.push(...(j.warnings ?? []));
  if (errors.length > 0) return fail(sortDiagnostics(errors));
  return ok({ config, profiles, journeys, skills, warnings: sortDiagnostics(warnings) });
}

function knownList(names: string[]): string | undefined {
  return names.length > 0 ? `known datasets: ${[...names].sort().join(', ')}` : undefined;
}

function skillDiagnostic(ref: SkillRef, known: string[], ids: string[]): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    code: 'project.unknown-skill',
    message: `${ref.path} names an unknown skill "${ref.name}"`,
    file: ref.file,
    line: ref.line,
    col: ref.col,
    path: ref.path,
  };
  const list = [...new Set(ids)].sort();
  const file = `skills/${/^[a-z0-9-]+$/.test(ref.name) ? ref.name : '<name>'}.yaml`;
  const alternatives = ref.via === 'skill_ref' ? `or define ${file}` : `a condition may also be an ICD-10-CM code (e.g. J45), or define ${file}`;
  const hint = didYouMean(ref.name, known) ?? (list.length > 0 ? `known skills: ${list.join(', ')}; ${alternatives}` : undefined);
  if (hint) d.hint = hint;
  return d;
}

/** merge/clone must name existing datasets, without repeats or cycles. */
export function checkDatasetGraph(config: NormalizedConfig, sink: DiagnosticSink): void {
  const byName = new Map(config.datasets.map((d) => [d.name, d]));
  const names = [...byName.keys()];
  const edges = new Map<string, string[]>();
  for (const d of config.datasets) {
    const deps: string[] = [];
    if (d.kind === 'merge' && d.merge) {
      const seen = new Set<string>();
      d.merge.forEach((m, i) => {
        if (seen.has(m)) sink.error(['datasets', d.name, 'merge', i], 'project.duplicate', `lists "${m}" twice`);
        seen.add(m);
        if (!byName.has(m)) {
          sink.error(['datasets', d.name, 'merge', i], 'project.unknown-dataset', `names an unknown dataset "${m}"`, {
            hint: didYouMean(m, names) ?? knownList(names),
          });
        } else deps.push(m);
      });
    }
    if (d.kind === 'clone' && d.clone !== undefined) {
      if (!byName.has(d.clone)) {
        sink.error(['datasets', d.name, 'clone'], 'project.unknown-dataset', `names an unknown dataset "${d.clone}"`, {
          hint: didYouMean(d.clone, names) ?? knownList(names),
        });
      } else deps.push(d.clone);
    }
    edges.set(d.name, deps);
  }
  for (const cycle of findGraphCycles(edges)) {
    const first = byName.get(cycle[0]!)!;
    sink.error(['datasets', first.name, first.kind === 'clone' ? 'clone' : 'merge'], 'project.cycle', `datasets depend on each other in a cycle: ${[...cycle, cycle[0]].join(' → ')}`, {
      target: 'key',
      hint: 'a dataset cannot be built from itself',
    });
  }
}

/** Elementary cycles found by DFS (nodes and edges walked in sorted order), each rotated to start at its smallest node. */
export function findGraphCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const stack: string[] = [];
  // iterative DFS: frames of (node, next edge index)
  for (const root of [...edges.keys()].sort()) {
    if (state.has(root)) continue;
    const frames: Array<{ node: string; deps: string[]; i: number }> = [];
    const push = (n: string) => {
      state.set(n, 'visiting');
      stack.push(n);
      frames.push({ node: n, deps: [...(edges.get(n) ?? [])].sort(), i: 0 });
    };
    push(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i >= f.deps.length) {
        state.set(f.node, 'done');
        stack.pop();
        frames.pop();
        continue;
      }
      const next = f.deps[f.i++]!;
      const s = state.get(next);
      if (s === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const min = [...cycle].sort()[0]!;
        const at = cycle.indexOf(min);
        const rotated = [...cycle.slice(at), ...cycle.slice(0, at)];
        const key = rotated.join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotated);
        }
      } else if (s === undefined) push(next);
    }
  }
  return cycles;
}
