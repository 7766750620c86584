/**
 * Who an ICD-10-CM code can apply to: the sex and age edits of the CMS Medicare Code Editor
 * (MCE), by code range, from data/icd10cm_edits.csv (source and limits: data/SOURCES.md).
 * Prostate cancer is for males, gestational diabetes for females of 12–55, "newborn health
 * examination" for age 0. A category (C50, O24.4, Z00.1) answers for the union of its billable
 * codes: Z00.1 holds newborn (0) and child (0–17) examinations, so it applies at 0–17.
 */
import { descendants, lookup, normalizeIcd10 } from './icd10.js';
import { lazy, parseCsv, readDataText } from './dataFiles.js';

export type EditKind = 'male' | 'female' | 'newborn' | 'pediatric' | 'maternity' | 'adult';

/** Ages are whole years at the reference date, both ends included. */
export interface CodeEdit {
  sex?: 'M' | 'F';
  minAge: number;
  maxAge: number;
  /** the MCE edits that produced this answer, e.g. ['female', 'maternity'] */
  kinds: EditKind[];
}

/** MCE age ranges (v39, FY2022). */
export const EDIT_AGES: Record<Exclude<EditKind, 'male' | 'female'>, [number, number]> = {
  newborn: [0, 0],
  pediatric: [0, 17],
  maternity: [12, 55],
  adult: [15, 124],
};

const ANY_AGE: [number, number] = [0, 124];

interface Range {
  first: string;
  last: string;
  kind: EditKind;
}

const KINDS = new Set<EditKind>(['male', 'female', 'newborn', 'pediatric', 'maternity', 'adult']);

const ranges = lazy((): Range[] =>
  parseCsv(readDataText('icd10cm_edits.csv')).map((r) => {
    if (!KINDS.has(r.edit as EditKind)) throw new Error(`data/icd10cm_edits.csv: unknown edit "${r.edit}"`);
    return { first: r.first!, last: r.last!, kind: r.edit as EditKind };
  }),
);

const inRange = (bare: string, r: Range) => bare.slice(0, r.first.length) >= r.first && bare.slice(0, r.last.length) <= r.last;

/** The edit of one billable code (undefined: anyone). */
function billableEdit(code: string): CodeEdit | undefined {
  const bare = code.replace('.', '');
  let out: CodeEdit | undefined;
  for (const r of ranges()) {
    if (!inRange(bare, r)) continue;
    out ??= { minAge: ANY_AGE[0], maxAge: ANY_AGE[1], kinds: [] };
    if (!out.kinds.includes(r.kind)) out.kinds.push(r.kind);
    if (r.kind === 'male') out.sex = 'M';
    else if (r.kind === 'female') out.sex = 'F';
    else {
      const [lo, hi] = EDIT_AGES[r.kind];
      out.minAge = Math.max(out.minAge, lo);
      out.maxAge = Math.min(out.maxAge, hi);
    }
  }
  return out;
}

/** The union over a category's billable codes: a sex only if all share it, the widest ages. */
function categoryEdit(kids: readonly { code: string }[]): CodeEdit | undefined {
  let sex: 'M' | 'F' | undefined | null = null; // null: not yet seen
  let minAge = Infinity;
  let maxAge = -Infinity;
  const kinds: EditKind[] = [];
  for (const k of kids) {
    const e = billableEdit(k.code);
    const s = e?.sex;
    sex = sex === null ? s : sex === s ? sex : undefined;
    minAge = Math.min(minAge, e?.minAge ?? ANY_AGE[0]);
    maxAge = Math.max(maxAge, e?.maxAge ?? ANY_AGE[1]);
    for (const kind of e?.kinds ?? []) if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (sex === null) return undefined;
  const restricted = sex !== undefined || minAge > ANY_AGE[0] || maxAge < ANY_AGE[1];
  if (!restricted) return undefined;
  const out: CodeEdit = { minAge, maxAge, kinds: kinds.filter((k) => (k === 'male' || k === 'female' ? sex !== undefined : true)) };
  if (sex) out.sex = sex;
  return out;
}

const cache = new Map<string, CodeEdit | null>();

/**
 * The sex and age a code applies to, or undefined when it applies to anyone (and for codes not
 * in ICD-10-CM). Dotted or undotted input.
 */
export function codeEdit(code: string): CodeEdit | undefined {
  const norm = normalizeIcd10(code);
  let hit = cache.get(norm);
  if (hit === undefined) {
    const entry = lookup(norm);
    hit = (!entry ? undefined : entry.billable ? billableEdit(entry.code) : categoryEdit(descendants(entry.code))) ?? null;
    cache.set(norm, hit);
  }
  return hit ?? undefined;
}

/** True when the code can apply to a person of this sex and age. */
export function appliesTo(code: string, sex: 'M' | 'F', age: number): boolean {
  const e = codeEdit(code);
  return !e || ((e.sex === undefined || e.sex === sex) && age >= e.minAge && age <= e.maxAge);
}

/** "males only", "females aged 12–55", "age 0 only", for diagnostics. */
export function describeEdit(e: CodeEdit): string {
  const who = e.sex === 'M' ? 'males' : e.sex === 'F' ? 'females' : 'persons';
  const ages = e.minAge === e.maxAge ? ` aged ${e.minAge}` : e.minAge > ANY_AGE[0] || e.maxAge < ANY_AGE[1] ? ` aged ${e.minAge}–${e.maxAge}` : '';
  return `${who}${ages}${!ages && e.sex ? ' only' : ''}`;
}
