/**
 * Transaction-set bodies: one 837P (005010X222A1) per professional claim and one 835
 * (005010X221A1) per paid professional claim. Each body starts with ST and has no SE: the
 * envelope (segments.ts) numbers ST02/SE02 and counts SE01.
 */
import type { Row } from '../../../model/index.js';
import { cents, epochDay, stableDigits, str } from '../common.js';
import { facilityParty, filingIndicator, nm1, providerParty, type X12Party } from './parties.js';
import { COMPONENT, seg, x12Amount, x12Date, x12Id, x12Text } from './segments.js';

/** Everything one claim's transaction needs, resolved from the tables. */
export interface ClaimContext {
  claim: Row;
  lines: readonly Row[];
  member: Row | undefined;
  plan: Row | undefined;
  payer: Row | undefined;
  provider: Row | undefined;
  facility: Row | undefined;
  /** 'YYYY-MM-DD' used for BHT04. */
  date: string;
}

const SUBMITTER = { name: 'HEALTHSIM SYNTHETIC SUBMITTER', id: 'HEALTHSIM' };

function payerId(c: ClaimContext): string {
  return x12Id(c.payer?.payer_id ?? c.member?.payer_id ?? 'UNKNOWN', 80) || 'UNKNOWN';
}
function payerName(c: ClaimContext): string {
  return x12Text(c.payer?.name ?? 'UNKNOWN PAYER', 60);
}

/** Billing provider: the facility when the claim has one, else the rendering practitioner. */
export function billingParty(c: ClaimContext): X12Party {
  if (c.facility) return facilityParty(c.facility);
  if (c.provider) return providerParty(c.provider);
  return {
    entity: '2', name: 'UNASSIGNED BILLING PROVIDER', street: '100 MEDICAL PLAZA DR',
    city: x12Text(c.member?.city, 30), state: x12Id(c.member?.state, 2), zip: x12Id(c.member?.zip, 5),
    ein: stableDigits(`ein:${String(c.claim.claim_id)}`, 9),
  };
}

export function icd10NoDot(code: unknown): string {
  return x12Id(String(code ?? '').replace(/\./g, ''), 8);
}

function diagnoses(claim: Row): string[] {
  return [claim.diagnosis_code_1, claim.diagnosis_code_2, claim.diagnosis_code_3, claim.diagnosis_code_4]
    .map(icd10NoDot)
    .filter((c) => c !== '');
}

function pointers(line: Row, count: number): string {
  const ps = (str(line.diagnosis_pointers) ?? '')
    .split(',')
    .map((p) => Number(p.trim()))
    .filter((p) => Number.isInteger(p) && p >= 1 && p <= Math.min(count, 12))
    .slice(0, 4);
  return (ps.length > 0 ? ps : count > 0 ? [1] : []).join(COMPONENT);
}

function lineDate(c: ClaimContext, line: Row): string {
  return x12Date(str(line.service_date) ?? str(c.claim.service_date) ?? c.date);
}

/** SV101 / SVC01: HCPCS qualifier (HC covers CPT and HCPCS Level II) and the code. */
function procedure(line: Row): string {
  return `HC${COMPONENT}${x12Id(line.code, 48)}`;
}

export function claimTotalCents(lines: readonly Row[]): number {
  return lines.reduce((s, l) => s + cents(l.billed_amount), 0);
}

export function build837P(c: ClaimContext): string[] {
  const billing = billingParty(c);
  const m = c.member;
  const dx = diagnoses(c.claim);
  const pos = x12Id(c.claim.place_of_service, 2) || '11';
  const out: string[] = [
    seg('ST', '837', '0000', '005010X222A1'),
    seg('BHT', '0019', '00', x12Id(c.claim.claim_id, 50), x12Date(c.date), '0000', 'CH'),
    // 1000A submitter, 1000B receiver
    seg('NM1', '41', '2', SUBMITTER.name, '', '', '', '', '46', SUBMITTER.id),
    seg('PER', 'IC', 'EDI DESK', 'TE', '8005550100'),
    seg('NM1', '40', '2', payerName(c), '', '', '', '', '46', payerId(c)),
    // 2000A / 2010AA billing provider
    seg('HL', '1', '', '20', '1'),
    ...(billing.taxonomy ? [seg('PRV', 'BI', 'PXC', billing.taxonomy)] : []),
    seg('NM1', ...nm1('85', billing)),
    seg('N3', billing.street),
    seg('N4', billing.city, billing.state, billing.zip ? `${billing.zip}0001` : ''),
    seg('REF', 'EI', billing.ein),
    // 2000B / 2010BA subscriber (the member is the patient), 2010BB payer
    seg('HL', '2', '1', '22', '0'),
    seg('SBR', 'P', '18', x12Id(c.plan?.plan_id ?? m?.plan_id, 50), '', '', '', '', '', filingIndicator(c.plan, m)),
    seg('NM1', 'IL', '1', x12Text(m?.last_name, 60), x12Text(m?.first_name, 35), '', '', '', 'MI', x12Id(m?.subscriber_id ?? m?.member_id ?? c.claim.member_id, 80)),
  ];
  if (m && str(m.address_line)) {
    out.push(seg('N3', x12Text(m.address_line, 55)));
    out.push(seg('N4', x12Text(m.city, 30), x12Id(m.state, 2), x12Id(m.zip, 9)));
  }
  if (m && str(m.birth_date)) {
    const sex = String(m.sex ?? '').toUpperCase();
    out.push(seg('DMG', 'D8', x12Date(String(m.birth_date)), sex === 'M' || sex === 'F' ? sex : 'U'));
  }
  out.push(seg('NM1', 'PR', '2', payerName(c), '', '', '', '', 'PI', payerId(c)));
  // 2300 claim
  out.push(seg('CLM', x12Id(c.claim.claim_id, 38), x12Amount(claimTotalCents(c.lines)), '', '', `${pos}${COMPONENT}B${COMPONENT}1`, 'Y', 'A', 'Y', 'Y'));
  if (dx.length > 0) out.push(seg('HI', ...dx.slice(0, 12).map((code, i) => `${i === 0 ? 'ABK' : 'ABF'}${COMPONENT}${code}`)));
  // 2310B rendering provider when it is not the billing provider
  if (c.provider && billing.entity === '2') {
    const r = providerParty(c.provider);
    out.push(seg('NM1', ...nm1('82', r)));
    if (r.taxonomy) out.push(seg('PRV', 'PE', 'PXC', r.taxonomy));
  }
  // 2400 service lines
  c.lines.forEach((l, i) => {
    out.push(seg('LX', i + 1));
    out.push(seg('SV1', procedure(l), x12Amount(cents(l.billed_amount)), 'UN', Math.max(1, Number(l.units ?? 1)), '', '', pointers(l, dx.length)));
    out.push(seg('DTP', '472', 'D8', lineDate(c, l)));
  });
  return out;
}

function addDays(iso: string, days: number): string {
  const d = epochDay(iso);
  if (d === undefined) return iso;
  return new Date((d + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The remittance date: 30 days after the last date of service (data-derived, not the clock). */
export function paymentDate(c: ClaimContext): string {
  return addDays(str(c.claim.end_date) ?? str(c.claim.service_date) ?? c.date, 30);
}

export function build835(c: ClaimContext): string[] {
  const payee = billingParty(c);
  const m = c.member;
  const paid = c.lines.reduce((s, l) => s + cents(l.paid_amount), 0);
  const billed = claimTotalCents(c.lines);
  const patientResp = c.lines.reduce((s, l) => s + (cents(l.allowed_amount) - cents(l.paid_amount)), 0);
  const payDate = x12Date(paymentDate(c));
  const payerEin = stableDigits(`ein:${payerId(c)}`, 9);
  const out: string[] = [
    seg('ST', '835', '0000'),
    seg('BPR', 'I', x12Amount(paid), 'C', 'CHK', '', '', '', '', '', '', '', '', '', '', '', payDate),
    seg('TRN', '1', stableDigits(`check:${String(c.claim.claim_id)}`, 10), `1${payerEin}`),
    seg('DTM', '405', payDate),
    // 1000A payer, 1000B payee
    seg('N1', 'PR', payerName(c)),
    seg('N3', `PO BOX ${stableDigits(`pobox:${payerId(c)}`, 4)}`),
    seg('N4', payee.city, x12Id(c.payer?.state, 2) || payee.state, payee.zip),
    seg('PER', 'BL', 'EDI SUPPORT', 'TE', '8005550199'),
    seg('N1', 'PE', x12Text(payee.entity === '1' ? `${payee.first ?? ''} ${payee.name}` : payee.name, 60), ...(payee.npi ? ['XX', payee.npi] : [])),
    seg('N3', payee.street),
    seg('N4', payee.city, payee.state, payee.zip),
    seg('REF', 'TJ', payee.ein),
    // 2000 header number, 2100 claim payment
    seg('LX', '1'),
    seg(
      'CLP', x12Id(c.claim.claim_id, 38), '1', x12Amount(billed), x12Amount(paid), x12Amount(patientResp),
      filingIndicator(c.plan, m), stableDigits(`icn:${String(c.claim.claim_id)}`, 12), x12Id(c.claim.place_of_service, 2) || '11', '1',
    ),
    seg('NM1', 'QC', '1', x12Text(m?.last_name, 60), x12Text(m?.first_name, 35), '', '', '', 'MI', x12Id(m?.member_id ?? c.claim.member_id, 80)),
    seg('DTM', '232', x12Date(str(c.claim.service_date) ?? c.date)),
    seg('DTM', '233', x12Date(str(c.claim.end_date) ?? str(c.claim.service_date) ?? c.date)),
  ];
  // 2110 service payment: CO-45 (charge over fee schedule) and PR-2 (coinsurance) balance each line
  for (const l of c.lines) {
    const lb = cents(l.billed_amount);
    const la = cents(l.allowed_amount);
    const lp = cents(l.paid_amount);
    out.push(seg('SVC', procedure(l), x12Amount(lb), x12Amount(lp), '', Math.max(1, Number(l.units ?? 1))));
    out.push(seg('DTM', '472', lineDate(c, l)));
    if (lb !== la) out.push(seg('CAS', 'CO', '45', x12Amount(lb - la)));
    if (la !== lp) out.push(seg('CAS', 'PR', '2', x12Amount(la - lp)));
    out.push(seg('AMT', 'B6', x12Amount(la)));
  }
  return out;
}
