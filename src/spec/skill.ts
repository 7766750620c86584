/**
 * Skill (condition pack): parse → schema → checks → NormalizedSkill. The format is the one the
 * shipped packs in `skills/` use (skills/README.md); normalization fills in the same defaults the
 * engine's loader (src/reference/skills.ts) assumes, so a project skill and a shipped one with
 * the same content generate the same data.
 */
import { checkWeights, normalizeDistribution } from './distribution.js';
import type { CodeRef, CodeSystem } from './refs.js';
import { ok, type Result } from './result.js';
import { finishSpec, loadSpecDocument } from './spec-file.js';
import { didYouMean } from './suggest.js';
import type {
  Distribution,
  NormalizedSkill,
  SkillComplication,
  SkillDrugDose,
  SkillEncounterType,
  SkillLabModel,
  SkillMedLine,
  SkillMedOption,
  SkillProcedure,
  Weights,
} from './types.js';
import { locate, type DiagnosticSink, type SpecPath, type YamlLimits, type YamlSource } from './yaml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

export interface ParsedSkill {
  file: string;
  normalized: NormalizedSkill;
  /** every code the pack names, with its position (checked by the project's codeExists hook) */
  codeRefs: CodeRef[];
  source: YamlSource;
}

/** Engine defaults (src/reference/skills.ts normalizeSkill). */
export const SKILL_DEFAULTS = {
  version: 1,
  outcomes: { 'inadequate response': 1 } as Weights,
  cadence_days: 365,
  encounter: { code: '99213', code_system: 'CPT', class: 'AMB', description: 'Office visit, established patient' } as SkillEncounterType,
  procedure_code_system: 'CPT',
} as const;

const ICD10 = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

export function parseSkill(text: string, file: string, limits?: Partial<YamlLimits>): Result<ParsedSkill> {
  const loaded = loadSpecDocument('skill', text, file, limits);
  if (!loaded.ok) return loaded;
  const { src, sink } = loaded.value;
  explainWrapper(loaded.value.schemaErrors, src);
  const codeRefs: CodeRef[] = [];
  const done = finishSpec(loaded.value, () => normalizeSkill(src.value as Raw, sink, codeRefs));
  if (!done.ok) return done;
  return ok({ file, normalized: done.value, codeRefs, source: src });
}

/** A file written as `skill: {id: …}` (the old project format) gets one clear hint. */
function explainWrapper(errors: { code: string; message: string; path?: string; hint?: string }[], src: YamlSource): void {
  const v = src.value as Raw;
  if (!v || typeof v !== 'object' || typeof v.skill !== 'object' || v.skill === null) return;
  for (const d of errors) {
    if (d.code === 'schema.unknown-key' && d.path === 'skill') d.hint = 'skill files have no "skill:" wrapper: move its keys to the top level (see skills/README.md)';
  }
  // "missing id/codes" only repeats the same mistake
  for (let i = errors.length - 1; i >= 0; i--) if (errors[i]!.message.startsWith('missing required top-level key')) errors.splice(i, 1);
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

class SkillChecker {
  constructor(
    readonly sink: DiagnosticSink,
    readonly refs: CodeRef[],
  ) {}

  ref(system: CodeSystem, path: SpecPath, code: string, target: 'key' | 'value' = 'value'): void {
    const pos = locate(this.sink.src, path, target);
    this.refs.push({ system, code, file: this.sink.src.file, line: pos.line, col: pos.col, path: this.sink.path(path) });
  }

  /** An ICD-10-CM code written as a mapping key (billable, severity_codes): the schema cannot check names. */
  icd10Key(path: SpecPath, code: string): void {
    if (!ICD10.test(code)) {
      this.sink.error(path, 'schema.pattern', `must be an ICD-10-CM code like E11 or E11.65 (got "${code}")`, { target: 'key' });
      return;
    }
    this.ref('icd10cm', path, code, 'key');
  }

  /** `key` must name one of the skill's severity levels. */
  level(path: SpecPath, key: string, levels: string[]): void {
    if (levels.includes(key)) return;
    const rest = levels.length === 0 ? `names severity level "${key}" but the skill has no severity levels` : `names an unknown severity level "${key}"`;
    const hint = levels.length === 0 ? 'add a severity: mapping of levels to weights' : (didYouMean(key, levels) ?? `levels: ${levels.join(', ')}`);
    this.sink.error(path, 'skill.unknown-level', rest, { target: 'key', hint });
  }
}

export function normalizeSkill(raw: Raw, sink: DiagnosticSink, refs: CodeRef[] = []): NormalizedSkill {
  const c = new SkillChecker(sink, refs);
  const severity: Weights = raw.severity ? { ...raw.severity } : {};
  if (raw.severity) checkWeights(sink, ['severity'], raw.severity);
  const levels = Object.keys(severity);

  const out: NormalizedSkill = {
    id: raw.id,
    name: raw.name ?? raw.id,
    version: raw.version ?? SKILL_DEFAULTS.version,
    aliases: [...(raw.aliases ?? [])],
    codes: normalizeCodes(raw.codes, c),
    severity,
    monitoring: normalizeMonitoring(raw.monitoring, levels, c),
    medications: normalizeMedications(raw.medications, sink),
    complications: (raw.complications ?? []).map((x: Raw, i: number) => normalizeComplication(x, ['complications', i], c)),
    visits: normalizeVisits(raw.visits, c),
    procedures: (raw.procedures ?? []).map((x: Raw, i: number) => normalizeProcedure(x, ['procedures', i], c)),
  };
  if (raw.severity_codes) {
    const sc: Record<string, Weights> = {};
    for (const level of Object.keys(raw.severity_codes)) {
      const p = ['severity_codes', level];
      c.level(p, level, levels);
      checkWeights(sink, p, raw.severity_codes[level]);
      for (const code of Object.keys(raw.severity_codes[level])) c.icd10Key([...p, code], code);
      sc[level] = { ...raw.severity_codes[level] };
    }
    out.severity_codes = sc;
  }
  return out;
}

function normalizeCodes(raw: Raw, c: SkillChecker): NormalizedSkill['codes'] {
  const category: string[] = asArray<string>(raw.category);
  const catPath = (i: number): SpecPath => (Array.isArray(raw.category) ? ['codes', 'category', i] : ['codes', 'category']);
  category.forEach((code, i) => c.ref('icd10cm', catPath(i), code));
  const billable: Weights = { ...(raw.billable ?? {}) };
  if (raw.billable) {
    checkWeights(c.sink, ['codes', 'billable'], raw.billable);
    for (const code of Object.keys(billable)) c.icd10Key(['codes', 'billable', code], code);
  }
  const out: NormalizedSkill['codes'] = { category: [...category], billable };
  if (raw.uncomplicated !== undefined) {
    out.uncomplicated = raw.uncomplicated;
    c.ref('icd10cm', ['codes', 'uncomplicated'], raw.uncomplicated);
  }
  return out;
}

function normalizeMonitoring(raw: Raw, levels: string[], c: SkillChecker): NormalizedSkill['monitoring'] {
  const labs: Record<string, SkillLabModel> = {};
  for (const key of Object.keys(raw?.labs ?? {})) {
    const l = raw.labs[key];
    const p = ['monitoring', 'labs', key];
    const lab: SkillLabModel = {};
    if (l.loinc !== undefined) {
      lab.loinc = l.loinc;
      c.ref('loinc', [...p, 'loinc'], l.loinc);
    }
    if (l.frequency_days !== undefined) lab.frequency_days = l.frequency_days;
    if (l.within_person_sd !== undefined) lab.within_person_sd = l.within_person_sd;
    if (l.by_severity !== undefined) {
      const by: Record<string, Distribution> = {};
      for (const level of Object.keys(l.by_severity)) {
        const lp = [...p, 'by_severity', level];
        c.level(lp, level, levels);
        by[level] = normalizeDistribution(c.sink, lp, l.by_severity[level]);
      }
      lab.by_severity = by;
    }
    labs[key] = lab;
  }
  return { panels: [...(raw?.panels ?? [])], labs };
}

function drugDose(raw: Raw): SkillDrugDose {
  const d: SkillDrugDose = { drug: raw.drug };
  if (raw.doses !== undefined) d.doses = [...raw.doses];
  if (raw.frequency !== undefined) d.frequency = raw.frequency;
  return d;
}

function normalizeMedications(raw: Raw, sink: DiagnosticSink): NormalizedSkill['medications'] {
  let previous = 0;
  const lines: SkillMedLine[] = (raw?.lines ?? []).map((l: Raw, k: number) => {
    const line: number = l.line ?? k + 1;
    // the engine moves to "the first line after the current one": lines must go up
    if (line <= previous) {
      sink.error(l.line !== undefined ? ['medications', 'lines', k, 'line'] : ['medications', 'lines', k], 'skill.line-order', `is line ${line}, not after line ${previous}`, {
        hint: 'list lines of therapy in increasing order: 1, 2, 3',
      });
    }
    previous = Math.max(previous, line);
    const options: SkillMedOption[] = l.options.map((o: Raw) => {
      const opt: SkillMedOption = { ...drugDose(o), weight: o.weight ?? 1 };
      if (o.also !== undefined) opt.also = asArray<Raw>(o.also).map(drugDose);
      return opt;
    });
    return { line, probability: l.probability ?? 1, options };
  });
  if (raw?.outcomes) checkWeights(sink, ['medications', 'outcomes'], raw.outcomes);
  return { lines, add_on: raw?.add_on === true, outcomes: { ...(raw?.outcomes ?? SKILL_DEFAULTS.outcomes) } };
}

function normalizeComplication(raw: Raw, p: SpecPath, c: SkillChecker): SkillComplication {
  c.ref('icd10cm', [...p, 'code'], raw.code);
  const out: SkillComplication = { code: raw.code, prevalence: raw.prevalence };
  if (raw.description !== undefined) out.description = raw.description;
  if (raw.also !== undefined) {
    out.also = raw.also;
    c.ref('icd10cm', [...p, 'also'], raw.also);
  }
  return out;
}

const PROCEDURE_SYSTEMS = new Set(['CPT', 'HCPCS']);

function normalizeVisits(raw: Raw, c: SkillChecker): NormalizedSkill['visits'] {
  const d = SKILL_DEFAULTS.encounter;
  const e = raw?.encounter ?? {};
  const encounter: SkillEncounterType = {
    code: e.code ?? d.code,
    code_system: e.code_system ?? d.code_system,
    class: e.class ?? d.class,
    description: e.description ?? d.description,
  };
  if (e.code !== undefined && PROCEDURE_SYSTEMS.has(encounter.code_system.toUpperCase())) c.ref('cpt', ['visits', 'encounter', 'code'], e.code);
  return { cadence_days: raw?.cadence_days ?? SKILL_DEFAULTS.cadence_days, encounter };
}

function normalizeProcedure(raw: Raw, p: SpecPath, c: SkillChecker): SkillProcedure {
  const out: SkillProcedure = {
    code: raw.code,
    code_system: raw.code_system ?? SKILL_DEFAULTS.procedure_code_system,
    description: raw.description ?? '',
    annual_probability: raw.annual_probability,
  };
  if (PROCEDURE_SYSTEMS.has(out.code_system.toUpperCase())) c.ref('cpt', [...p, 'code'], raw.code);
  return out;
}
