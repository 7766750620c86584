/**
 * `codeExists(system, code)`: the hook the spec layer injects to check codes named in profiles
 * and journeys. ICD-10-CM answers from the complete FY2022 list; LOINC and RxNorm from the
 * curated tables (a real code we do not ship answers false). CPT and HCPCS answer from the
 * procedure table in claims/procedures.ts; `cpt` (the spec layer's "CPT/HCPCS" field) accepts
 * either, `hcpcs` only HCPCS Level II codes. Revenue codes are neither.
 */
import { lookup as icd10Lookup, descendants as icd10Descendants } from './icd10.js';
import { exists as icd10Exists } from './icd10.js';
import { LAB_PANELS, LOINC_TESTS, expandPanel, loincByCode } from './loinc.js';
import { drugsInClass, findDrug, RX_DRUGS } from './rxnorm.js';
import { PROCEDURES } from './claims/procedures.js';
import { codeEdit, describeEdit } from './icd10Edits.js';

export type CodeSystem = 'icd10cm' | 'loinc' | 'rxnorm' | 'cpt' | 'hcpcs';

export type CodeChecker = (code: string) => boolean;

const checkers: Record<string, CodeChecker> = {
  icd10cm: icd10Exists,
  loinc: (code) => loincByCode(code) !== undefined,
  rxnorm: (code) => /^\d+$/.test(code) && findDrug(code) !== undefined,
  cpt: (code) => procedureSystem(code) === 'CPT' || procedureSystem(code) === 'HCPCS',
  hcpcs: (code) => procedureSystem(code) === 'HCPCS',
  // a medication as a profile names it: drug key, ingredient, brand or RxCUI, or a drug class
  drug: (name) => findDrug(name) !== undefined || drugsInClass(name.replace(/_/g, ' ')).length > 0,
  // what a journey orders: a panel (cmp), a test key (hba1c) or a LOINC code we ship
  lab: (name) => expandPanel(name).length > 0,
};

let procedureSystems: Map<string, string> | undefined;
function procedureSystem(code: string): string | undefined {
  procedureSystems ??= new Map(PROCEDURES.map((p) => [p.code, p.system]));
  return procedureSystems.get(code.trim().toUpperCase());
}

/** Register (or replace) the checker for a code system. Call at module load only. */
export function registerCodeChecker(system: string, check: CodeChecker): void {
  checkers[system.toLowerCase()] = check;
}

/** True when the system is known and the code is in its table; unknown systems answer undefined. */
export function codeExists(system: string, code: string): boolean | undefined {
  const check = checkers[system.toLowerCase().replace(/[-_\s]/g, '')];
  return check ? check(code) : undefined;
}

/**
 * What would be right for an unknown ICD-10-CM code: the nearest existing parent and a few of
 * its billable codes (`E11.999` → `E11.9 Type 2 diabetes mellitus without complications …`).
 */
export function suggestCode(system: string, code: string): string | undefined {
  if (system === 'drug') return suggestDrug(code);
  if (system === 'lab') return suggestLab(code);
  if (system.toLowerCase().replace(/[-_\s]/g, '') !== 'icd10cm') return undefined;
  const bare = code.trim().toUpperCase().replace('.', '');
  for (let n = bare.length - 1; n >= 3; n--) {
    const parent = icd10Lookup(bare.slice(0, n));
    if (!parent) continue;
    const kids = icd10Descendants(parent.code).slice(0, 3).map((c) => c.code);
    return parent.billable
      ? `did you mean ${parent.code} (${parent.description})?`
      : `${parent.code} (${parent.description}) exists; billable codes under it include ${kids.join(', ')}`;
  }
  const category = icd10Lookup(bare.slice(0, 3));
  return category ? undefined : 'ICD-10-CM codes look like E11.9 or I10 (a letter, two digits, then up to four more characters after a dot)';
}
codeExists.suggest = suggestCode;
codeExists.applicability = applicability;

/** The sex and ages an ICD-10-CM code applies to (undefined: anyone), for the spec layer. */
export function applicability(code: string): { sex?: 'M' | 'F'; minAge: number; maxAge: number; who: string } | undefined {
  const e = codeEdit(code);
  if (!e) return undefined;
  return { ...(e.sex ? { sex: e.sex } : {}), minAge: e.minAge, maxAge: e.maxAge, who: describeEdit(e) };
}

/** The closest of `names` to `word`, when it is close enough to be a typo. */
function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const dist = editDistance(word, n);
    if (dist < bestDistance) [best, bestDistance] = [n, dist];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 4)) ? best : undefined;
}

/** What would be right for an unknown medication: the closest drug or class, else how to name one. */
function suggestDrug(name: string): string {
  const want = name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  const best = closest(want, [...new Set(RX_DRUGS.flatMap((d) => [d.key.replace(/_/g, ' '), d.therapeuticClass]))]);
  const how = `a medication is a drug, brand (Ozempic), RxCUI (6809) or drug class (statin, insulin, antibiotic); the drugs shipped: ${RX_DRUGS.map((d) => d.key).sort().join(', ')}`;
  return best ? `did you mean ${best.replace(/ /g, '_')}?` : how;
}

/** What would be right for an unknown lab order: the closest panel or test, else the panels. */
function suggestLab(name: string): string {
  const best = closest(name.trim().toLowerCase(), [...Object.keys(LAB_PANELS), ...LOINC_TESTS.map((t) => t.key)]);
  return best ? `did you mean ${best}?` : `panels are ${Object.keys(LAB_PANELS).join(', ')}; a test is a key (${LOINC_TESTS.slice(0, 3).map((t) => t.key).join(', ')} …) or a LOINC code`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}
