/**
 * Row → FHIR R4 resource builders, one per source table. Objects are built in a fixed key
 * order (so JSON text is byte-stable); `undefined` members are dropped by JSON.stringify and
 * empty arrays are never emitted (FHIR forbids them). References go through `FhirRefs`, which
 * renders `urn:uuid:…` inside a transaction Bundle and `Type/id` in bulk ndjson, and returns
 * `undefined` for a target that is not exported (so no reference ever dangles).
 */
import type { Row } from '../../../model/index.js';
import { cents, num, str } from '../common.js';
import {
  ENCOUNTER_CLASS_DISPLAY,
  INTERPRETATION_DISPLAY,
  MEDICATION_REQUEST_STATUS,
  OMB_ETHNICITY,
  OMB_RACE,
  SYSTEM,
  systemFor,
} from './terminology.js';

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

function coding(system: string | undefined, code: string | undefined, display?: string): Json | undefined {
  if (!code) return undefined;
  return { system, code, display };
}

function concept(system: string | undefined, code: string | undefined, display?: string): Json | undefined {
  const c = coding(system, code, display);
  if (!c) return display ? { text: display } : undefined;
  return { coding: [c], text: display };
}

function codedRow(r: Row): Json | undefined {
  return concept(systemFor(str(r.code_system)), str(r.code), str(r.description));
}

function ident(column: string, value: unknown, typeCode?: string, typeDisplay?: string): Json | undefined {
  const v = str(value as Row[string]);
  if (!v) return undefined;
  return {
    type: typeCode ? { coding: [{ system: SYSTEM.identifierType, code: typeCode, display: typeDisplay }] } : undefined,
    system: SYSTEM.healthsim(column),
    value: v,
  };
}

function npiIdent(npi: unknown): Json | undefined {
  const v = str(npi as Row[string]);
  return v ? { system: SYSTEM.npi, value: v } : undefined;
}

function money(centsValue: number): Json {
  return { value: centsValue / 100, currency: 'USD' };
}

function gender(sex: unknown): string {
  const s = String(sex ?? '').toUpperCase();
  return s === 'M' ? 'male' : s === 'F' ? 'female' : 'unknown';
}

function usCoreExtension(url: string, text: string | undefined, table: Readonly<Record<string, string>>): Json | undefined {
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

function address(r: Row, withLine: boolean): Json | undefined {
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

function humanName(r: Row): Json[] | undefined {
  const family = str(r.last_name);
  const given = str(r.first_name);
  if (!family && !given) return undefined;
  return [{ use: 'official', family, given: list(given) }];
}

function period(start: unknown, end: unknown): Json | undefined {
  const s = str(start as Row[string]);
  const e = str(end as Row[string]);
  return s || e ? { start: s, end: e } : undefined;
}

export function patientResource(id: string, r: Row, refs: FhirRefs): Json {
  return {
    resourceType: 'Patient',
    id,
    extension: list(
      usCoreExtension(SYSTEM.usCoreRace, str(r.race), OMB_RACE),
      usCoreExtension(SYSTEM.usCoreEthnicity, str(r.ethnicity), OMB_ETHNICITY),
    ),
    identifier: list(ident('mrn', r.mrn, 'MR', 'Medical record number'), ident('patient_id', r.patient_id)),
    name: humanName(r),
    telecom: list<Json>(
      str(r.phone) ? { system: 'phone', value: str(r.phone), use: 'home' } : undefined,
      str(r.email) ? { system: 'email', value: str(r.email) } : undefined,
    ),
    gender: gender(r.sex),
    birthDate: str(r.birth_date),
    address: list(address(r, true)),
    generalPractitioner: list(refs.to('providers', r.primary_provider_id)),
  };
}

export function memberPatientResource(id: string, r: Row): Json {
  return {
    resourceType: 'Patient',
    id,
    extension: list(
      usCoreExtension(SYSTEM.usCoreRace, str(r.race), OMB_RACE),
      usCoreExtension(SYSTEM.usCoreEthnicity, str(r.ethnicity), OMB_ETHNICITY),
    ),
    identifier: list(ident('member_id', r.member_id, 'MB', 'Member Number'), ident('subscriber_id', r.subscriber_id, 'SN', 'Subscriber Number')),
    name: humanName(r),
    gender: gender(r.sex),
    birthDate: str(r.birth_date),
    address: list(address(r, true)),
  };
}

export function practitionerResource(id: string, r: Row): Json {
  return {
    resourceType: 'Practitioner',
    id,
    identifier: list(npiIdent(r.npi), ident('provider_id', r.provider_id)),
    active: true,
    name: humanName(r),
    address: list(address(r, false)),
    qualification: str(r.taxonomy_code)
      ? [{ code: concept('http://nucc.org/provider-taxonomy', str(r.taxonomy_code), str(r.specialty)) }]
      : undefined,
  };
}

export function facilityResource(id: string, r: Row): Json {
  return {
    resourceType: 'Organization',
    id,
    identifier: list(npiIdent(r.npi), ident('facility_id', r.facility_id)),
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'prov', display: 'Healthcare Provider' }], text: str(r.facility_type) }],
    name: str(r.name),
    address: list(address(r, false)),
  };
}

export function payerResource(id: string, r: Row): Json {
  return {
    resourceType: 'Organization',
    id,
    identifier: list(ident('payer_id', r.payer_id)),
    active: true,
    type: [{ coding: [{ system: SYSTEM.organizationType, code: 'pay', display: 'Payer' }], text: str(r.payer_type) }],
    name: str(r.name),
    address: str(r.state) ? [{ state: str(r.state), country: 'US' }] : undefined,
  };
}

export function encounterResource(id: string, r: Row, refs: FhirRefs): Json {
  const cls = str(r.encounter_class) ?? 'AMB';
  return {
    resourceType: 'Encounter',
    id,
    identifier: list(ident('encounter_id', r.encounter_id)),
    status: 'finished',
    class: { system: SYSTEM.actCode, code: cls, display: ENCOUNTER_CLASS_DISPLAY[cls] },
    type: list(codedRow(r)),
    subject: refs.to('patients', r.patient_id),
    participant: list<Json>(
      (() => {
        const p = refs.to('providers', r.provider_id);
        return p ? { individual: p } : undefined;
      })(),
    ),
    period: period(r.start_date, r.end_date),
    reasonCode: list(concept(SYSTEM.icd10cm, str(r.reason_code), str(r.reason_description))),
    serviceProvider: refs.to('facilities', r.facility_id),
  };
}

export function conditionResource(id: string, r: Row, refs: FhirRefs): Json {
  const resolved = str(r.status) === 'resolved';
  const encounter = refs.to('encounters', r.encounter_id);
  return {
    resourceType: 'Condition',
    id,
    identifier: list(ident('diagnosis_id', r.diagnosis_id)),
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: resolved ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] },
    category: [
      encounter
        ? { coding: [{ system: SYSTEM.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }
        : { coding: [{ system: SYSTEM.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }] },
    ],
    code: concept(systemFor(str(r.code_system)) ?? SYSTEM.icd10cm, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter,
    onsetDateTime: str(r.onset_date),
    recordedDate: str(r.onset_date),
    note: str(r.severity) ? [{ text: `severity: ${str(r.severity)}` }] : undefined,
  };
}

function quantity(value: number | undefined, unit: string | undefined): Json | undefined {
  if (value === undefined) return undefined;
  return { value, unit, system: unit ? SYSTEM.ucum : undefined, code: unit };
}

export function observationResource(id: string, r: Row, refs: FhirRefs): Json {
  const isVital = (str(r.panel) ?? '').toLowerCase().startsWith('vital');
  const value = num(r.value);
  const unit = str(r.unit);
  const low = num(r.reference_low);
  const high = num(r.reference_high);
  const interp = str(r.interpretation);
  return {
    resourceType: 'Observation',
    id,
    identifier: list(ident('lab_result_id', r.lab_result_id)),
    status: 'final',
    category: [
      {
        coding: [
          isVital
            ? { system: SYSTEM.observationCategory, code: 'vital-signs', display: 'Vital Signs' }
            : { system: SYSTEM.observationCategory, code: 'laboratory', display: 'Laboratory' },
        ],
      },
    ],
    code: concept(SYSTEM.loinc, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    effectiveDateTime: str(r.effective_date),
    valueQuantity: quantity(value, unit),
    dataAbsentReason:
      value === undefined
        ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown', display: 'Unknown' }] }
        : undefined,
    interpretation: interp
      ? [{ coding: [{ system: SYSTEM.interpretation, code: interp, display: INTERPRETATION_DISPLAY[interp] }] }]
      : undefined,
    referenceRange:
      low !== undefined || high !== undefined ? [{ low: quantity(low, unit), high: quantity(high, unit) }] : undefined,
  };
}

export function medicationRequestResource(id: string, r: Row, refs: FhirRefs): Json {
  const dose = num(r.dose_value);
  const doseUnit = str(r.dose_unit);
  const text = [dose !== undefined ? `${dose}${doseUnit ? ' ' + doseUnit : ''}` : undefined, str(r.route), str(r.frequency)]
    .filter((x) => x !== undefined)
    .join(' ');
  return {
    resourceType: 'MedicationRequest',
    id,
    identifier: list(ident('medication_id', r.medication_id)),
    status: MEDICATION_REQUEST_STATUS[str(r.status) ?? ''] ?? 'unknown',
    intent: 'order',
    category: str(r.therapeutic_class) ? [{ text: str(r.therapeutic_class) }] : undefined,
    medicationCodeableConcept: concept(SYSTEM.rxnorm, str(r.code), str(r.description)),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    authoredOn: str(r.start_date),
    note: str(r.outcome) || num(r.line_of_therapy) !== undefined
      ? [{ text: [num(r.line_of_therapy) !== undefined ? `line of therapy ${num(r.line_of_therapy)}` : '', str(r.outcome) ? `outcome: ${str(r.outcome)}` : ''].filter(Boolean).join('; ') }]
      : undefined,
    dosageInstruction: text
      ? [
          {
            text,
            timing: str(r.frequency) ? { code: { text: str(r.frequency) } } : undefined,
            route: str(r.route) ? { text: str(r.route) } : undefined,
            doseAndRate: dose !== undefined ? [{ doseQuantity: quantity(dose, doseUnit) }] : undefined,
          },
        ]
      : undefined,
    dispenseRequest: period(r.start_date, r.end_date) ? { validityPeriod: period(r.start_date, r.end_date) } : undefined,
  };
}

export function procedureResource(id: string, r: Row, refs: FhirRefs): Json {
  return {
    resourceType: 'Procedure',
    id,
    identifier: list(ident('procedure_id', r.procedure_id)),
    status: 'completed',
    code: codedRow(r),
    subject: refs.to('patients', r.patient_id),
    encounter: refs.to('encounters', r.encounter_id),
    performedDateTime: str(r.performed_date),
  };
}

export function allergyResource(id: string, r: Row, refs: FhirRefs): Json {
  const category = str(r.category);
  const severity = str(r.severity);
  return {
    resourceType: 'AllergyIntolerance',
    id,
    identifier: list(ident('allergy_id', r.allergy_id)),
    clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: 'active', display: 'Active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.allergyVerification, code: 'confirmed', display: 'Confirmed' }] },
    type: 'allergy',
    category: category && ['food', 'medication', 'environment', 'biologic'].includes(category) ? [category] : undefined,
    code: codedRow(r),
    patient: refs.to('patients', r.patient_id),
    recordedDate: str(r.onset_date),
    reaction: str(r.reaction)
      ? [
          {
            manifestation: [{ text: str(r.reaction) }],
            severity: severity && ['mild', 'moderate', 'severe'].includes(severity) ? severity : undefined,
          },
        ]
      : undefined,
  };
}

export function coverageResource(id: string, member: Row, plan: Row | undefined, refs: FhirRefs): Json {
  const payer = refs.to('payers', member.payer_id);
  return {
    resourceType: 'Coverage',
    id,
    identifier: list(ident('member_id', member.member_id, 'MB', 'Member Number')),
    status: 'active',
    type: {
      coding: [{ system: SYSTEM.actCode, code: 'HIP', display: 'health insurance plan policy' }],
      text: str(plan?.line_of_business) ?? str(member.plan_type),
    },
    subscriberId: str(member.subscriber_id) ?? str(member.member_id),
    beneficiary: refs.to('members', member.member_id),
    relationship: { coding: [{ system: SYSTEM.subscriberRelationship, code: 'self', display: 'Self' }] },
    period: period(member.enrollment_start_date, member.enrollment_end_date),
    payor: [payer ?? { display: str(member.payer_id) ?? 'unknown payer' }],
    class: str(member.plan_id)
      ? [
          {
            type: { coding: [{ system: SYSTEM.coverageClass, code: 'plan', display: 'Plan' }] },
            value: str(member.plan_id),
            name: str(plan?.plan_name),
          },
        ]
      : undefined,
  };
}

/** A claim (medical or pharmacy) as the Claim and ExplanationOfBenefit builders need it. */
export interface ClaimView {
  source: 'claims' | 'pharmacy_claims';
  claimId: string;
  memberId: string;
  payerId: string | undefined;
  type: 'professional' | 'institutional' | 'pharmacy';
  start: string | undefined;
  end: string | undefined;
  provider: Reference;
  diagnoses: string[];
  status: string | undefined;
  items: {
    code: Json | undefined;
    date: string | undefined;
    pos: string | undefined;
    quantity: number | undefined;
    pointers: number[];
    billed: number;
    allowed: number;
    paid: number;
    copay?: number;
  }[];
}

function claimTypeConcept(type: ClaimView['type']): Json {
  const display = { professional: 'Professional', institutional: 'Institutional', pharmacy: 'Pharmacy' }[type];
  return { coding: [{ system: SYSTEM.claimType, code: type, display }] };
}

function claimCommon(v: ClaimView, refs: FhirRefs): Json {
  return {
    type: claimTypeConcept(v.type),
    use: 'claim',
    patient: refs.to('members', v.memberId),
    billablePeriod: period(v.start, v.end),
    created: v.end ?? v.start,
    insurer: refs.to('payers', v.payerId) ?? { display: v.payerId ?? 'unknown payer' },
    provider: v.provider,
  };
}

function insurance(v: ClaimView, refs: FhirRefs): Json[] {
  const coverage = refs.to('coverage', v.memberId) ?? { display: `coverage of ${v.memberId}` };
  return [{ sequence: 1, focal: true, coverage }];
}

export function claimResource(id: string, v: ClaimView, refs: FhirRefs): Json {
  const total = v.items.reduce((s, i) => s + i.billed, 0);
  return {
    resourceType: 'Claim',
    id,
    identifier: list(ident(v.source === 'claims' ? 'claim_id' : 'pharmacy_claim_id', v.claimId)),
    status: 'active',
    ...claimCommon(v, refs),
    priority: { coding: [{ system: SYSTEM.processPriority, code: 'normal', display: 'Normal' }] },
    diagnosis: list(
      ...v.diagnoses.map((code, i) => ({ sequence: i + 1, diagnosisCodeableConcept: { coding: [{ system: SYSTEM.icd10cm, code }] } })),
    ),
    insurance: insurance(v, refs),
    item: list(
      ...v.items.map((it, i) => ({
        sequence: i + 1,
        diagnosisSequence: it.pointers.length > 0 ? it.pointers : undefined,
        productOrService: it.code ?? { text: 'unspecified' },
        servicedDate: it.date,
        locationCodeableConcept: it.pos ? { coding: [{ system: SYSTEM.placeOfService, code: it.pos }] } : undefined,
        quantity: it.quantity !== undefined ? { value: it.quantity } : undefined,
        net: money(it.billed),
      })),
    ),
    total: money(total),
  };
}

function adjudication(category: string, display: string, amount: number): Json {
  return { category: { coding: [{ system: SYSTEM.adjudication, code: category, display }] }, amount: money(amount) };
}

export function eobResource(id: string, v: ClaimView, refs: FhirRefs): Json {
  const sum = (f: (i: ClaimView['items'][number]) => number) => v.items.reduce((s, i) => s + f(i), 0);
  const paidOut = sum((i) => i.paid);
  return {
    resourceType: 'ExplanationOfBenefit',
    id,
    identifier: list(ident(v.source === 'claims' ? 'claim_id' : 'pharmacy_claim_id', v.claimId)),
    status: 'active',
    ...claimCommon(v, refs),
    outcome: 'complete',
    disposition: v.status,
    claim: refs.to(v.source, v.claimId),
    insurance: insurance(v, refs),
    item: list(
      ...v.items.map((it, i) => ({
        sequence: i + 1,
        productOrService: it.code ?? { text: 'unspecified' },
        servicedDate: it.date,
        quantity: it.quantity !== undefined ? { value: it.quantity } : undefined,
        net: money(it.billed),
        adjudication: list(
          adjudication('submitted', 'Submitted Amount', it.billed),
          adjudication('eligible', 'Eligible Amount', it.allowed),
          it.copay !== undefined ? adjudication('copay', 'CoPay', it.copay) : undefined,
          adjudication('benefit', 'Benefit Amount', it.paid),
        ),
      })),
    ),
    total: [
      adjudication('submitted', 'Submitted Amount', sum((i) => i.billed)),
      adjudication('eligible', 'Eligible Amount', sum((i) => i.allowed)),
      adjudication('benefit', 'Benefit Amount', paidOut),
    ],
    payment: { amount: money(paidOut) },
  };
}

/** Claim + lines → ClaimView. */
export function medicalClaimView(claim: Row, lines: readonly Row[], member: Row | undefined, provider: Reference): ClaimView {
  const diagnoses = [claim.diagnosis_code_1, claim.diagnosis_code_2, claim.diagnosis_code_3, claim.diagnosis_code_4]
    .map((d) => str(d))
    .filter((d): d is string => d !== undefined);
  return {
    source: 'claims',
    claimId: String(claim.claim_id),
    memberId: String(claim.member_id),
    payerId: str(member?.payer_id),
    type: str(claim.claim_type) === 'institutional' ? 'institutional' : 'professional',
    start: str(claim.service_date),
    end: str(claim.end_date) ?? str(claim.service_date),
    provider,
    diagnoses,
    status: str(claim.status),
    items: lines.map((l) => ({
      code: codedRow(l),
      date: str(l.service_date) ?? str(claim.service_date),
      pos: str(claim.place_of_service),
      quantity: num(l.units),
      pointers: (str(l.diagnosis_pointers) ?? '')
        .split(',')
        .map((p) => Number(p.trim()))
        .filter((p) => Number.isInteger(p) && p >= 1 && p <= diagnoses.length),
      billed: cents(l.billed_amount),
      allowed: cents(l.allowed_amount),
      paid: cents(l.paid_amount),
    })),
  };
}

export function pharmacyClaimView(c: Row, member: Row | undefined): ClaimView {
  const npi = str(c.pharmacy_npi);
  return {
    source: 'pharmacy_claims',
    claimId: String(c.pharmacy_claim_id),
    memberId: String(c.member_id),
    payerId: str(member?.payer_id),
    type: 'pharmacy',
    start: str(c.fill_date),
    end: str(c.fill_date),
    provider: npi ? { identifier: { system: SYSTEM.npi, value: npi }, display: `pharmacy ${npi}` } : { display: 'pharmacy' },
    diagnoses: [],
    status: str(c.status),
    items: [
      {
        code: concept(SYSTEM.ndc, str(c.ndc), str(c.drug_name)),
        date: str(c.fill_date),
        pos: undefined,
        quantity: num(c.quantity),
        pointers: [],
        billed: cents(c.ingredient_cost) + cents(c.dispensing_fee),
        allowed: cents(c.ingredient_cost) + cents(c.dispensing_fee),
        paid: cents(c.paid_amount),
        copay: cents(c.copay_amount),
      },
    ],
  };
}
