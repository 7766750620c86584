/**
 * Row → FHIR R4 resource builders for coverage and claims: Coverage (members), Claim and
 * ExplanationOfBenefit (medical claims with their lines, and pharmacy claims).
 */
import type { Row } from '../../../model/index.js';
import { cents, num, str } from '../common.js';
import { codedRow, concept, ident, list, money, period, type FhirRefs, type Json, type Reference } from './datatypes.js';
import { SYSTEM } from './terminology.js';

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

/** Claim.insurance has a sequence; ExplanationOfBenefit.insurance has none. */
function insurance(v: ClaimView, refs: FhirRefs, withSequence: boolean): Json[] {
  const coverage = refs.to('coverage', v.memberId) ?? { display: `coverage of ${v.memberId}` };
  return [{ sequence: withSequence ? 1 : undefined, focal: true, coverage }];
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
    insurance: insurance(v, refs, true),
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
    insurance: insurance(v, refs, false),
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
