/**
 * FHIR R4 data-type helpers and the reference contract shared by the resource builders.
 * Objects are built in a fixed key order so the JSON text is byte-stable; `undefined` members
 * are dropped by JSON.stringify and empty arrays are never emitted (FHIR forbids them).
 */
import type { Row } from '../../../model/index.js';
import { str } from '../common.js';
import { SYSTEM, systemFor } from './terminology.js';

export type Json = Record<string, unknown>;
/** A literal reference (`reference`) or a logical one (`identifier`, e.g. a pharmacy NPI). */
export interface Reference {
  reference?: string;
  identifier?: Json;
  display?: string;
}

/** Which FHIR resource type a source (table or derived view) becomes. */
export const RESOURCE_TYPE = {
  patients: 'Patient',
  members: 'Patient',
  providers: 'Practitioner',
  facilities: 'Organization',
  payers: 'Organization',
  encounters: 'Encounter',
  diagnoses: 'Condition',
  lab_results: 'Observation',
  medications: 'MedicationRequest',
  procedures: 'Procedure',
  allergies: 'AllergyIntolerance',
  coverage: 'Coverage',
  claims: 'Claim',
  claim_eob: 'ExplanationOfBenefit',
  pharmacy_claims: 'Claim',
  pharmacy_eob: 'ExplanationOfBenefit',
} as const;
export type FhirSource = keyof typeof RESOURCE_TYPE;

export interface FhirRefs {
  /** Reference to the resource made from `source` row `id`, or undefined when not exported. */
  to(source: FhirSource, id: unknown, display?: string): Reference | undefined;
}

/** Drops undefined entries; returns undefined for an empty list. */
export function list<T>(...items: (T | undefined)[]): T[] | undefined {
  const out = items.filter((x): x is T => x !== undefined);
  return out.length > 0 ? out : undefined;
}

export function coding(system: string | undefined, code: string | undefined, display?: string): Json | undefined {
  if (!code) return undefined;
  return { system, code, display };
}

export function concept(system: string | undefined, code: string | undefined, display?: string): Json | undefined {
  const c = coding(system, code, display);
  if (!c) return display ? { text: display } : undefined;
  return { coding: [c], text: display };
}

export function codedRow(r: Row): Json | undefined {
  return concept(systemFor(str(r.code_system)), str(r.code), str(r.description));
}

export function ident(column: string, value: unknown, typeCode?: string, typeDisplay?: string): Json | undefined {
  const v = str(value as Row[string]);
  if (!v) return undefined;
  return {
    type: typeCode ? { coding: [{ system: SYSTEM.identifierType, code: typeCode, display: typeDisplay }] } : undefined,
    system: SYSTEM.healthsim(column),
    value: v,
  };
}

export function npiIdent(npi: unknown): Json | undefined {
  const v = str(npi as Row[string]);
  return v ? { system: SYSTEM.npi, value: v } : undefined;
}

export function money(centsValue: number): Json {
  return { value: centsValue / 100, currency: 'USD' };
}

export function gender(sex: unknown): string {
  const s = String(sex ?? '').toUpperCase();
  return s === 'M' ? 'male' : s === 'F' ? 'female' : 'unknown';
}

export function usCoreExtension(url: string, text: string | undefined, table: Readonly<Record<string, string>>): Json | undefined {
  if (!text) return undefined;
  const code = table[text.toUpperCase()];
  return {
    url,
    extension: list<Json>(
      code ? { url: 'ombCategory', valueCoding: { system: SYSTEM.cdcRace, code, display: text } } : undefined,
      { url: 'text', valueString: text },
    ),
  };
}

export function address(r: Row, withLine: boolean): Json | undefined {
  const a = {
    use: withLine ? 'home' : undefined,
    line: withLine ? list(str(r.address_line)) : undefined,
    city: str(r.city),
    district: str(r.county_name),
    state: str(r.state),
    postalCode: str(r.zip),
    country: 'US',
  };
  return a.line || a.city || a.state || a.postalCode ? a : undefined;
}

export function humanName(r: Row): Json[] | undefined {
  const family = str(r.last_name);
  const given = str(r.first_name);
  if (!family && !given) return undefined;
  return [{ use: 'official', family, given: list(given) }];
}

export function period(start: unknown, end: unknown): Json | undefined {
  const s = str(start as Row[string]);
  const e = str(end as Row[string]);
  return s || e ? { start: s, end: e } : undefined;
}

export function quantity(value: number | undefined, unit: string | undefined): Json | undefined {
  if (value === undefined) return undefined;
  return { value, unit, system: unit ? SYSTEM.ucum : undefined, code: unit };
}
