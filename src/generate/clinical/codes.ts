/**
 * Turning a profile's condition code into a real, billable ICD-10-CM code. A billable code is
 * kept; a category (E11, I10, E78) resolves through its skill's clinically common weights (or
 * its severity-specific codes, e.g. CKD stage 3a → N18.31), then through a small table of common
 * choices for categories without a skill, then uniformly among its most general billable codes.
 * Given a person, only codes that apply to their sex and age are chosen (ICD-10-CM edits:
 * C50 → a male breast code for a man, Z00.1 → a child examination, not a newborn's, at 3).
 */
import { descendants, lookup, normalizeIcd10 } from '../../reference/icd10.js';
import { appliesTo } from '../../reference/icd10Edits.js';
import type { Skill } from '../../reference/skills.js';
import type { Weights } from '../../spec/types.js';
import { pickWeighted } from '../distributions.js';
import type { Rng } from '../rng.js';

/** Common billable choices for categories that have no skill pack. */
const COMMON_CODES: Record<string, Weights> = {
  E66: { 'E66.9': 0.6, 'E66.01': 0.3, 'E66.09': 0.1 },
  E03: { 'E03.9': 1 },
  F32: { 'F32.9': 0.5, 'F32.A': 0.2, 'F32.1': 0.3 },
  F41: { 'F41.1': 0.5, 'F41.9': 0.5 },
  G47: { 'G47.33': 0.7, 'G47.00': 0.3 },
  I25: { 'I25.10': 0.85, 'I25.2': 0.15 },
  I48: { 'I48.91': 0.6, 'I48.0': 0.2, 'I48.20': 0.2 },
  I63: { 'I63.9': 1 },
  J45: { 'J45.909': 0.6, 'J45.20': 0.2, 'J45.40': 0.2 },
  K21: { 'K21.9': 0.9, 'K21.0': 0.1 },
  K75: { 'K75.81': 1 },
  K76: { 'K76.0': 1 },
  M17: { 'M17.11': 0.35, 'M17.12': 0.35, 'M17.0': 0.3 },
  M81: { 'M81.0': 1 },
  N18: { 'N18.30': 0.5, 'N18.2': 0.2, 'N18.4': 0.2, 'N18.9': 0.1 },
  E10: { 'E10.9': 0.6, 'E10.65': 0.4 },
  E78: { 'E78.5': 0.6, 'E78.00': 0.3, 'E78.2': 0.1 },
  C50: { 'C50.911': 0.5, 'C50.912': 0.5, 'C50.921': 0.5, 'C50.922': 0.5 }, // female, male: one side is left out by sex
  C61: { C61: 1 },
  C18: { 'C18.9': 1 },
};

const prefixCache = new WeakMap<Weights, Map<string, Weights>>();

/** The billable codes of a weight table under a prefix (memoized: tables are read-only). */
const underPrefix = (weights: Weights, prefix: string): Weights => {
  let m = prefixCache.get(weights);
  if (!m) prefixCache.set(weights, (m = new Map()));
  let hit = m.get(prefix);
  if (!hit) m.set(prefix, (hit = computeUnderPrefix(weights, prefix)));
  return hit;
};

const computeUnderPrefix = (weights: Weights, prefix: string): Weights => {
  const bare = prefix.replace('.', '');
  const out: Weights = {};
  for (const [code, w] of Object.entries(weights)) {
    const entry = lookup(code);
    if (entry?.billable && code.replace('.', '').startsWith(bare)) out[entry.code] = w;
  }
  return out;
};

/** Whom a code is chosen for: codes that cannot apply to them are left out. */
export interface CodeFor {
  sex: 'M' | 'F';
  age: number;
}

/** The weights whose codes apply to the person: the same object when all do (same draws). */
const applicable = (w: Weights, who: CodeFor | undefined): Weights => {
  if (!who) return w;
  let out: Weights | undefined;
  for (const [code, weight] of Object.entries(w)) {
    if (appliesTo(code, who.sex, who.age)) {
      if (out) out[code] = weight;
    } else if (!out) {
      out = {};
      for (const [c, x] of Object.entries(w)) {
        if (c === code) break;
        out[c] = x;
      }
    }
  }
  return out ?? w;
};

export function resolveBillable(code: string, skill: Skill | undefined, severity: string | undefined, rng: Rng, who?: CodeFor): string {
  const norm = normalizeIcd10(code);
  const entry = lookup(norm);
  if (entry?.billable) return entry.code;
  if (skill) {
    const bySeverity = severity ? skill.severity_codes?.[severity] : undefined;
    if (bySeverity) {
      const w = applicable(underPrefix(bySeverity, norm), who);
      if (Object.keys(w).length > 0) return pickWeighted(w, rng);
    }
    const w = applicable(underPrefix(skill.codes.billable, norm), who);
    if (Object.keys(w).length > 0) return pickWeighted(w, rng);
  }
  for (let len = norm.replace('.', '').length; len >= 3; len--) {
    const common = COMMON_CODES[norm.replace('.', '').slice(0, len)];
    if (common) {
      const w = applicable(underPrefix(common, norm), who);
      if (Object.keys(w).length > 0) return pickWeighted(w, rng);
    }
  }
  const all = descendants(norm);
  if (all.length === 0) return norm; // unknown code: validation reports it; keep as written
  const fitting = who ? all.filter((k) => appliesTo(k.code, who.sex, who.age)) : all;
  const kids = fitting.length > 0 ? fitting : all;
  const shortest = Math.min(...kids.map((k) => k.code.length));
  const general = kids.filter((k) => k.code.length === shortest);
  return general[Math.floor(rng.next() * general.length)].code;
}

/** The severity whose code weights include this code (CKD N18.31 → stage_3a), if any. */
const severityMemo = new WeakMap<Skill, Map<string, string | undefined>>();

export function severityForCode(skill: Skill, code: string): string | undefined {
  let m = severityMemo.get(skill);
  if (!m) severityMemo.set(skill, (m = new Map()));
  if (m.has(code)) return m.get(code);
  const v = findSeverityForCode(skill, code);
  m.set(code, v);
  return v;
}

function findSeverityForCode(skill: Skill, code: string): string | undefined {
  for (const [sev, weights] of Object.entries(skill.severity_codes ?? {})) {
    if (Object.keys(weights).some((c) => normalizeIcd10(c) === code)) return sev;
  }
  return undefined;
}

export function describe(code: string, fallback?: string): string {
  return lookup(code)?.description ?? fallback ?? code;
}
