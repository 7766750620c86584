/**
 * ICD-10-CM FY2022 (complete code list, billable codes and headers), from data/icd10cm_fy2022.csv.gz.
 * Source and license: data/SOURCES.md. Codes are accepted dotted (E11.65) or undotted (E1165);
 * category headers (E11) are valid codes that are not billable.
 */
import { lazy, parseCsv, readDataText } from './dataFiles.js';

export interface Icd10Code {
  code: string; // dotted
  billable: boolean;
  description: string; // CMS short description
}

export const ICD10CM_VERSION = 'ICD-10-CM FY2022';

interface Icd10Table {
  byCode: Map<string, Icd10Code>;
  /** codes in tabular order (parents before their children) */
  ordered: Icd10Code[];
}

const table = lazy((): Icd10Table => {
  const ordered = parseCsv(readDataText('icd10cm_fy2022.csv.gz')).map(
    (r): Icd10Code => ({ code: r.code_dotted, billable: r.billable === '1', description: r.short_description }),
  );
  const byCode = new Map<string, Icd10Code>();
  for (const c of ordered) byCode.set(c.code, c);
  return { byCode, ordered };
});

/** A code already in the form normalizeIcd10 gives: up to 3 letters/digits, or 3, a dot and more. */
const NORMALIZED = /^[0-9A-Z]{1,3}$|^[0-9A-Z]{3}\.[0-9A-Z]+$/;

/** Normalize user input to the dotted form: trims, upper-cases, inserts the dot after 3 chars. */
export function normalizeIcd10(code: string): string {
  // generation normalizes codes that already are (profile, skill and table codes): as they are
  if (NORMALIZED.test(code)) return code;
  const c = code.trim().toUpperCase().replace('.', '');
  return c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

export function lookup(code: string): Icd10Code | undefined {
  const t = table().byCode;
  return t.get(code) ?? t.get(normalizeIcd10(code));
}

export function exists(code: string): boolean {
  return lookup(code) !== undefined;
}

export function isBillable(code: string): boolean {
  return lookup(code)?.billable === true;
}

const descendantCache = new Map<string, Icd10Code[]>();

/**
 * Billable codes under a prefix (dotted or undotted), in tabular order; a billable code is its
 * own only descendant. Empty for an unknown prefix.
 */
export function descendants(prefix: string): Icd10Code[] {
  const p = normalizeIcd10(prefix);
  const cached = descendantCache.get(p);
  if (cached) return cached;
  const bare = p.replace('.', '');
  const out = table().ordered.filter((c) => c.billable && c.code.replace('.', '').startsWith(bare));
  descendantCache.set(p, out);
  return out;
}

export const icd10 = { lookup, exists, isBillable, descendants, normalize: normalizeIcd10, version: ICD10CM_VERSION };
