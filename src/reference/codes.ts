/**
 * `codeExists(system, code)`: the hook the spec layer injects to check codes named in profiles
 * and journeys. ICD-10-CM answers from the complete FY2022 list; LOINC and RxNorm from the
 * curated tables (a real code we do not ship answers false). CPT and HCPCS answer from the
 * procedure table in claims/procedures.ts; `cpt` (the spec layer's "CPT/HCPCS" field) accepts
 * either, `hcpcs` only HCPCS Level II codes. Revenue codes are neither.
 */
import { exists as icd10Exists } from './icd10.js';
import { loincByCode } from './loinc.js';
import { findDrug } from './rxnorm.js';
import { PROCEDURES } from './claims/procedures.js';

export type CodeSystem = 'icd10cm' | 'loinc' | 'rxnorm' | 'cpt' | 'hcpcs';

export type CodeChecker = (code: string) => boolean;

const checkers: Record<string, CodeChecker> = {
  icd10cm: icd10Exists,
  loinc: (code) => loincByCode(code) !== undefined,
  rxnorm: (code) => /^\d+$/.test(code) && findDrug(code) !== undefined,
  cpt: (code) => procedureSystem(code) === 'CPT' || procedureSystem(code) === 'HCPCS',
  hcpcs: (code) => procedureSystem(code) === 'HCPCS',
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
