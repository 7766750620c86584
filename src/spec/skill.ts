/** Skill (condition pack): parse → schema → checks → NormalizedSkill. */
import { checkWeights, sortedRecord } from './distribution.js';
import type { CodeRef, CodeSystem } from './refs.js';
import { ok, type Result } from './result.js';
import { checkExpressionAt, finishSpec, loadSpecDocument } from './spec-file.js';
import type { NormalizedSkill, SkillLab, SkillMedicationLine } from './types.js';
import { locate, type DiagnosticSink, type SpecPath, type YamlLimits, type YamlSource } from './yaml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

export interface ParsedSkill {
  file: string;
  normalized: NormalizedSkill;
  codeRefs: CodeRef[];
  source: YamlSource;
}

export function parseSkill(text: string, file: string, limits?: Partial<YamlLimits>): Result<ParsedSkill> {
  const loaded = loadSpecDocument('skill', text, file, limits);
  if (!loaded.ok) return loaded;
  const { src, sink } = loaded.value;
  const codeRefs: CodeRef[] = [];
  const done = finishSpec(loaded.value, () => normalizeSkill((src.value as Raw).skill, sink, codeRefs));
  if (!done.ok) return done;
  return ok({ file, normalized: done.value, codeRefs, source: src });
}

const SYSTEMS: Record<string, CodeSystem> = { icd10: 'icd10cm', loinc: 'loinc', rxnorm: 'rxnorm', cpt: 'cpt' };

function ref(sink: DiagnosticSink, refs: CodeRef[], system: CodeSystem, path: SpecPath, code: string): void {
  const pos = locate(sink.src, path);
  refs.push({ system, code, file: sink.src.file, line: pos.line, col: pos.col, path: sink.path(path) });
}

function range(sink: DiagnosticSink, path: SpecPath, r: Raw): SkillLab['by_control'][string] {
  if (r.min !== undefined && r.max !== undefined && r.min > r.max) {
    sink.error([...path, 'min'], 'spec.min-max', `is greater than max (${r.min} > ${r.max})`, { hint: 'swap min and max' });
  }
  const out: SkillLab['by_control'][string] = { mean: r.mean, std_dev: r.std_dev };
  if (r.min !== undefined) out.min = r.min;
  if (r.max !== undefined) out.max = r.max;
  return out;
}

export function normalizeSkill(raw: Raw, sink: DiagnosticSink, refs: CodeRef[] = []): NormalizedSkill {
  const S = ['skill'];
  const codes: Record<string, string[]> = {};
  for (const [system, list] of Object.entries((raw.codes ?? {}) as Record<string, string[]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    codes[system] = [...list];
    const sys = SYSTEMS[system];
    if (sys) list.forEach((c, i) => ref(sink, refs, sys, [...S, 'codes', system, i], c));
  }
  const labs: Record<string, SkillLab> = {};
  for (const name of Object.keys(raw.labs ?? {}).sort()) {
    const l = raw.labs[name];
    const p = [...S, 'labs', name];
    ref(sink, refs, 'loinc', [...p, 'loinc'], l.loinc);
    const byControl: SkillLab['by_control'] = {};
    for (const level of Object.keys(l.by_control ?? {}).sort()) byControl[level] = range(sink, [...p, 'by_control', level], l.by_control[level]);
    const lab: SkillLab = { name: l.name ?? name, loinc: l.loinc, unit: l.unit, by_control: byControl };
    if (l.description !== undefined) lab.description = l.description;
    if (l.decimals !== undefined) lab.decimals = l.decimals;
    if (l.reference_range !== undefined) lab.reference_range = { ...l.reference_range };
    labs[name] = lab;
  }
  const lines: SkillMedicationLine[] = (raw.medications?.lines ?? []).map((line: Raw, li: number) => {
    const lp = [...S, 'medications', 'lines', li];
    if (line.if !== undefined) checkExpressionAt(sink, [...lp, 'if'], line.if);
    const out: SkillMedicationLine = {
      line: line.line,
      drugs: line.drugs.map((d: Raw, di: number) => {
        if (d.rxnorm !== undefined) ref(sink, refs, 'rxnorm', [...lp, 'drugs', di, 'rxnorm'], d.rxnorm);
        return { ...d };
      }),
    };
    if (line.description !== undefined) out.description = line.description;
    if (line.if !== undefined) out.if = line.if;
    if (line.prevalence !== undefined) out.prevalence = line.prevalence;
    return out;
  });
  const complications = (raw.complications ?? []).map((c: Raw, i: number) => {
    ref(sink, refs, 'icd10cm', [...S, 'complications', i, 'code'], c.code);
    if (c.if !== undefined) checkExpressionAt(sink, [...S, 'complications', i, 'if'], c.if);
    return { ...c };
  });
  const conditions = [...new Set<string>([raw.id, ...(raw.conditions ?? [])])].sort();
  const extensions: Record<string, unknown> = {};
  for (const k of Object.keys(raw).sort()) if (/^x[-_]/.test(k)) extensions[k] = raw[k];
  const out: NormalizedSkill = { id: raw.id, conditions, codes, labs, medications: { lines }, complications, extensions };
  if (raw.name !== undefined) out.name = raw.name;
  if (raw.description !== undefined) out.description = raw.description;
  if (raw.severity !== undefined) out.severity = checkWeights(sink, [...S, 'severity'], raw.severity);
  if (raw.visit_cadence_days !== undefined) out.visit_cadence_days = raw.visit_cadence_days;
  if (raw.monitoring !== undefined) out.monitoring = raw.monitoring;
  if (raw.data !== undefined) out.data = raw.data;
  return out;
}
