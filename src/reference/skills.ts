/**
 * Skills: condition packs shipped as YAML in `<package>/skills/` (shape: skills/README.md).
 * Loaded lazily, parsed with `yaml`, checked lightly (ids, codes, drugs) and indexed by id,
 * alias and ICD-10-CM category. Projects can pass extra packs (same shape) to `skillRegistry`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { lazy, packagePath } from './dataFiles.js';
import { normalizeIcd10 } from './icd10.js';

/** Same shape as the spec layer's Distribution (reference may not import spec). */
export type SkillDistribution =
  | { type: 'constant'; value: number }
  | { type: 'normal'; mean: number; std_dev: number; min?: number; max?: number }
  | { type: 'log_normal'; mean: number; std_dev: number; min?: number; max?: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'poisson'; mean: number; min?: number; max?: number }
  | { type: 'categorical'; weights: Record<string, number> };

export type Weights = Record<string, number>;

export interface SkillDrugDose {
  drug: string;
  doses?: number[];
  frequency?: string;
}

export interface SkillMedOption extends SkillDrugDose {
  weight: number;
  also?: SkillDrugDose[];
}

export interface SkillMedLine {
  line: number;
  probability: number;
  options: SkillMedOption[];
}

export interface SkillLabModel {
  loinc?: string;
  frequency_days?: number;
  within_person_sd?: number;
  by_severity?: Record<string, SkillDistribution>;
}

export interface SkillComplication {
  code: string;
  description?: string;
  prevalence: number;
  also?: string;
}

export interface SkillEncounterType {
  code: string;
  code_system: string;
  class: string;
  description: string;
}

export interface SkillProcedure {
  code: string;
  code_system: string;
  description: string;
  annual_probability: number;
}

export interface Skill {
  id: string;
  name: string;
  version: number;
  aliases: string[];
  codes: { category: string[]; billable: Weights; uncomplicated?: string };
  severity: Weights;
  severity_codes?: Record<string, Weights>;
  monitoring: { panels: string[]; labs: Record<string, SkillLabModel> };
  medications: { lines: SkillMedLine[]; add_on: boolean; outcomes: Weights };
  complications: SkillComplication[];
  visits: { cadence_days: number; encounter: SkillEncounterType };
  procedures: SkillProcedure[];
  /** the raw parsed document, for `lookupSkill` paths not modelled above */
  raw: Record<string, unknown>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Normalize a parsed skill document (defaults applied). Throws on a document without an id. */
export function normalizeSkill(doc: unknown): Skill {
  const raw = (doc ?? {}) as Record<string, any>;
  const s = (raw.skill && typeof raw.skill === 'object' ? raw.skill : raw) as Record<string, any>;
  if (typeof s.id !== 'string' || s.id === '') throw new Error('skill document has no id');
  const meds = s.medications ?? {};
  return {
    id: s.id,
    name: String(s.name ?? s.id),
    version: Number(s.version ?? 1),
    aliases: asArray<string>(s.aliases).map(String),
    codes: {
      category: asArray<string>(s.codes?.category).map((c) => normalizeIcd10(String(c))),
      billable: Object.fromEntries(Object.entries(s.codes?.billable ?? {}).map(([k, v]) => [normalizeIcd10(k), Number(v)])),
      uncomplicated: s.codes?.uncomplicated ? normalizeIcd10(String(s.codes.uncomplicated)) : undefined,
    },
    severity: { ...(s.severity ?? {}) },
    severity_codes: s.severity_codes,
    monitoring: { panels: asArray<string>(s.monitoring?.panels), labs: { ...(s.monitoring?.labs ?? {}) } },
    medications: {
      add_on: meds.add_on === true,
      outcomes: { ...(meds.outcomes ?? { 'inadequate response': 1 }) },
      lines: asArray<any>(meds.lines).map((l, k) => ({
        line: Number(l.line ?? k + 1),
        probability: Number(l.probability ?? 1),
        options: asArray<any>(l.options).map((o) => ({
          drug: String(o.drug),
          weight: Number(o.weight ?? 1),
          doses: o.doses ? asArray<number>(o.doses).map(Number) : undefined,
          frequency: o.frequency,
          also: o.also ? asArray<any>(o.also).map((a) => ({ drug: String(a.drug), doses: a.doses, frequency: a.frequency })) : undefined,
        })),
      })),
    },
    complications: asArray<any>(s.complications).map((c) => ({
      code: normalizeIcd10(String(c.code)),
      description: c.description,
      prevalence: Number(c.prevalence ?? 0),
      also: c.also ? normalizeIcd10(String(c.also)) : undefined,
    })),
    visits: {
      cadence_days: Number(s.visits?.cadence_days ?? 365),
      encounter: {
        code: String(s.visits?.encounter?.code ?? '99213'),
        code_system: String(s.visits?.encounter?.code_system ?? 'CPT'),
        class: String(s.visits?.encounter?.class ?? 'AMB'),
        description: String(s.visits?.encounter?.description ?? 'Office visit, established patient'),
      },
    },
    procedures: asArray<any>(s.procedures).map((p) => ({
      code: String(p.code),
      code_system: String(p.code_system ?? 'CPT'),
      description: String(p.description ?? ''),
      annual_probability: Number(p.annual_probability ?? 0),
    })),
    raw: s,
  };
}

/** A set of skills indexed by id, alias and ICD-10-CM category. */
export class SkillRegistry {
  private readonly byId = new Map<string, Skill>();
  private readonly byAlias = new Map<string, Skill>();
  private readonly codeCache = new Map<string, Skill | null>();

  constructor(skills: readonly Skill[]) {
    for (const s of skills) this.add(s);
  }

  /** Add a skill; one with the same id is replaced, aliases and all (a project overriding a shipped pack). */
  add(skill: Skill): void {
    const replaced = this.byId.get(skill.id);
    if (replaced) for (const [k, v] of [...this.byAlias]) if (v === replaced) this.byAlias.delete(k);
    this.byId.set(skill.id, skill);
    this.codeCache.clear();
    for (const a of skill.aliases) this.byAlias.set(aliasKey(a), skill);
    this.byAlias.set(aliasKey(skill.id), skill);
  }

  get(id: string): Skill | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** By id, alias (case/space/hyphen-insensitive) or ICD-10-CM code (longest category prefix). */
  resolve(conditionOrAlias: string): Skill | undefined {
    const direct = this.byId.get(conditionOrAlias) ?? this.byAlias.get(aliasKey(conditionOrAlias));
    if (direct) return direct;
    return this.forCode(conditionOrAlias);
  }

  /** The skill covering an ICD-10-CM code (E11.65 → diabetes-management). */
  forCode(code: string): Skill | undefined {
    const hit = this.codeCache.get(code);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.findForCode(code);
    this.codeCache.set(code, found ?? null);
    return found;
  }

  private findForCode(code: string): Skill | undefined {
    const c = normalizeIcd10(code).replace('.', '');
    let best: Skill | undefined;
    let bestLen = 0;
    for (const s of this.byId.values()) {
      for (const cat of s.codes.category) {
        const bare = cat.replace('.', '');
        if (c.startsWith(bare) && bare.length > bestLen) {
          best = s;
          bestLen = bare.length;
        }
      }
    }
    return best;
  }
}

function aliasKey(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const shipped = lazy((): Skill[] => {
  const dir = packagePath('skills');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => normalizeSkill(parse(readFileSync(`${dir}/${f}`, 'utf8'))));
});

const shippedRegistry = lazy(() => new SkillRegistry(shipped()));

/** The skills shipped with the package. */
export function shippedSkills(): readonly Skill[] {
  return shipped();
}

/**
 * Shipped skills plus extra packs; extras win on id. An extra may be a parsed skill document, a
 * `Skill`, or a project skill as the spec layer normalizes it (`NormalizedSkill`: this module's
 * `Skill` without `raw`; normalizing it again changes nothing, and `raw` becomes the object itself).
 */
export function skillRegistry(extra?: Iterable<unknown>): SkillRegistry {
  if (!extra) return shippedRegistry();
  const reg = new SkillRegistry(shipped());
  for (const e of extra) reg.add(isSkill(e) ? e : normalizeSkill(e));
  return reg;
}

function isSkill(x: unknown): x is Skill {
  return typeof x === 'object' && x !== null && 'raw' in x && 'codes' in x && 'monitoring' in x;
}

export function resolveSkill(conditionOrAlias: string): Skill | undefined {
  return shippedRegistry().resolve(conditionOrAlias);
}

/** Read a dotted path (`monitoring.labs.hba1c`) from a skill's document. */
const lookupMemo = new WeakMap<Skill, Map<string, unknown>>();

export function lookupSkill(skillOrId: string | Skill, path: string): unknown {
  const skill = typeof skillOrId === 'string' ? shippedRegistry().get(skillOrId) : skillOrId;
  if (!skill) return undefined;
  let m = lookupMemo.get(skill);
  if (!m) lookupMemo.set(skill, (m = new Map()));
  if (m.has(path)) return m.get(path);
  const v = readPath(skill, path);
  m.set(path, v);
  return v;
}

function readPath(skill: Skill, path: string): unknown {
  let cur: unknown = skill.raw;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const ICD10_LIKE = /^[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?$/;
const registryMemo = new WeakMap<readonly unknown[], SkillRegistry>();

function registryWith(projectSkills: readonly unknown[] | undefined): SkillRegistry {
  if (!projectSkills || projectSkills.length === 0) return shippedRegistry();
  let reg = registryMemo.get(projectSkills);
  if (!reg) registryMemo.set(projectSkills, (reg = skillRegistry(projectSkills)));
  return reg;
}

/**
 * The spec layer's `skillExists` hook (pass it to loadProject): does a journey's `condition:` or
 * `skill_ref.skill` resolve the way the engine resolves it — shipped skills plus the project's
 * own, by id, alias (case, space and hyphen-insensitive) or ICD-10-CM code? A condition that
 * looks like an ICD-10-CM code no skill covers answers undefined: the engine then matches it
 * against the person's condition codes.
 */
export function skillExists(nameOrAlias: string, projectSkills?: readonly unknown[]): boolean | undefined {
  if (registryWith(projectSkills).resolve(nameOrAlias)) return true;
  return ICD10_LIKE.test(nameOrAlias.trim()) ? undefined : false;
}

/** The ids of the skills `skillExists` knows. */
skillExists.ids = (projectSkills?: readonly unknown[]): string[] => [...registryWith(projectSkills).ids()].sort();

/**
 * For a `skill_ref` lookup path the skill does not have: the keys it has at the deepest part of
 * the path that exists (undefined when the path resolves or the skill is unknown).
 */
skillExists.lookupProblem = (name: string, lookup: string, projectSkills?: readonly unknown[]): string | undefined => {
  const skill = registryWith(projectSkills).resolve(name);
  if (!skill || lookupSkill(skill, lookup) !== undefined) return undefined;
  const parts = lookup.split('.');
  let cur: unknown = skill.raw;
  const found: string[] = [];
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object' || !(part in (cur as object))) break;
    cur = (cur as Record<string, unknown>)[part];
    found.push(part);
  }
  const keys = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? Object.keys(cur as object) : [];
  const at = found.length > 0 ? found.join('.') : 'the top level';
  return keys.length > 0 ? `at ${at} the skill has ${keys.map((k) => (found.length > 0 ? `${found.join('.')}.${k}` : k)).join(', ')}` : `${at} holds a value, not a mapping`;
};

/** Ids and aliases `skillExists` knows, for did-you-mean hints. */
skillExists.names = (projectSkills?: readonly unknown[]): string[] => {
  const reg = registryWith(projectSkills);
  const out = new Set<string>();
  for (const id of reg.ids()) {
    out.add(id);
    for (const a of reg.get(id)!.aliases) out.add(a);
  }
  return [...out].sort();
};
