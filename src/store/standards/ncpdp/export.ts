/**
 * NCPDP-style flat pharmacy claims (rxmembersim `pharmacy_claims`), one record per fill.
 *
 * This is a flat extract modelled on NCPDP Telecommunication D.0 claim fields, not the D.0
 * wire format. Files (relative to the export directory):
 *   pharmacy_claims.txt          header line of field names, then one record per claim,
 *                                pipe-delimited, LF line endings, rows in pharmacy_claim_id order
 *   pharmacy_claims.layout.txt   the field list below, generated from NCPDP_FIELDS
 *
 * Values never contain '|' or line breaks (replaced by a space); an empty field is null.
 * Dates are CCYYMMDD, money has two decimals, quantity three.
 *
 *   #  name                          NCPDP id  source / rule
 *   1  CLAIM_ID                      -         pharmacy_claim_id (healthsim key)
 *   2  TRANSACTION_CODE              103-A3    B1 billing; B2 reversal (status reversed)
 *   3  BIN_NUMBER                    101-A1    6 digits, stable per payer (synthetic)
 *   4  PROCESSOR_CONTROL_NUMBER      104-A4    HSRX + 4 digits, stable per plan (synthetic)
 *   5  GROUP_ID                      301-C1    members.plan_id
 *   6  CARDHOLDER_ID                 302-C2    members.subscriber_id (else member_id)
 *   7  DATE_OF_BIRTH                 304-C4    members.birth_date
 *   8  PATIENT_GENDER_CODE           305-C5    0 unknown, 1 male, 2 female
 *   9  DATE_OF_SERVICE               401-D1    fill_date
 *  10  SERVICE_PROVIDER_ID_QUALIFIER 202-B2    01 (NPI)
 *  11  SERVICE_PROVIDER_ID           201-B1    pharmacy_npi
 *  12  PRESCRIPTION_REFERENCE_NUMBER 402-D2    12 digits, stable per member + drug (synthetic)
 *  13  PRODUCT_SERVICE_ID_QUALIFIER  436-E1    03 (NDC)
 *  14  PRODUCT_SERVICE_ID            407-D7    ndc (11 digits)
 *  15  QUANTITY_DISPENSED            442-E7    quantity
 *  16  FILL_NUMBER                   403-D3    refill_number (0 = original)
 *  17  DAYS_SUPPLY                   405-D5    days_supply
 *  18  PRESCRIBER_ID_QUALIFIER       466-EZ    01 (NPI)
 *  19  PRESCRIBER_ID                 411-DB    prescriber_npi
 *  20  INGREDIENT_COST_SUBMITTED     409-D9    ingredient_cost
 *  21  DISPENSING_FEE_SUBMITTED      412-DC    dispensing_fee
 *  22  GROSS_AMOUNT_DUE              430-DU    ingredient_cost + dispensing_fee
 *  23  PATIENT_PAY_AMOUNT            505-F5    copay_amount
 *  24  TOTAL_AMOUNT_PAID             509-F9    paid_amount
 *  25  TRANSACTION_RESPONSE_STATUS   112-AN    P paid, R rejected, A approved reversal
 *  26  RXNORM_CODE                   -         rxnorm_code (healthsim extension)
 *  27  DRUG_NAME                     -         drug_name (healthsim extension)
 *  28  FORMULARY_TIER                -         formulary_tier (healthsim extension)
 */
import type { Row } from '../../../model/index.js';
import { cents, indexBy, num, rowsOf, stableDigits, str, toAscii, type ExportFile, type StandardTables } from '../common.js';

export interface NcpdpField {
  name: string;
  ncpdpId: string;
  description: string;
}

interface FieldRule extends NcpdpField {
  value(c: Row, member: Row | undefined): string;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return toAscii(String(v)).replace(/\s*[|\r\n]+\s*/g, ' ').trim();
}
function money(centsValue: number | undefined): string {
  if (centsValue === undefined) return '';
  const sign = centsValue < 0 ? '-' : '';
  const abs = Math.abs(centsValue);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
function amount(v: unknown): string {
  return num(v as Row[string]) === undefined ? '' : money(cents(v as Row[string]));
}
function ccyymmdd(v: unknown): string {
  return text(v).replace(/-/g, '');
}
function status(c: Row): string {
  return str(c.status) ?? '';
}

const RULES: readonly FieldRule[] = [
  { name: 'CLAIM_ID', ncpdpId: '-', description: 'pharmacy_claim_id (healthsim key)', value: (c) => text(c.pharmacy_claim_id) },
  { name: 'TRANSACTION_CODE', ncpdpId: '103-A3', description: 'B1 billing; B2 reversal', value: (c) => (status(c) === 'reversed' ? 'B2' : 'B1') },
  { name: 'BIN_NUMBER', ncpdpId: '101-A1', description: '6 digits, stable per payer (synthetic)', value: (_c, m) => (m?.payer_id ? stableDigits(`bin:${String(m.payer_id)}`, 6) : '') },
  { name: 'PROCESSOR_CONTROL_NUMBER', ncpdpId: '104-A4', description: 'HSRX + 4 digits, stable per plan (synthetic)', value: (_c, m) => (m?.plan_id ? `HSRX${stableDigits(`pcn:${String(m.plan_id)}`, 4)}` : '') },
  { name: 'GROUP_ID', ncpdpId: '301-C1', description: 'members.plan_id', value: (_c, m) => text(m?.plan_id) },
  { name: 'CARDHOLDER_ID', ncpdpId: '302-C2', description: 'members.subscriber_id (else member_id)', value: (c, m) => text(m?.subscriber_id ?? c.member_id) },
  { name: 'DATE_OF_BIRTH', ncpdpId: '304-C4', description: 'members.birth_date (CCYYMMDD)', value: (_c, m) => ccyymmdd(m?.birth_date) },
  { name: 'PATIENT_GENDER_CODE', ncpdpId: '305-C5', description: '0 unknown, 1 male, 2 female', value: (_c, m) => ({ M: '1', F: '2' })[String(m?.sex ?? '').toUpperCase()] ?? '0' },
  { name: 'DATE_OF_SERVICE', ncpdpId: '401-D1', description: 'fill_date (CCYYMMDD)', value: (c) => ccyymmdd(c.fill_date) },
  { name: 'SERVICE_PROVIDER_ID_QUALIFIER', ncpdpId: '202-B2', description: '01 (NPI)', value: (c) => (c.pharmacy_npi ? '01' : '') },
  { name: 'SERVICE_PROVIDER_ID', ncpdpId: '201-B1', description: 'pharmacy_npi', value: (c) => text(c.pharmacy_npi) },
  { name: 'PRESCRIPTION_REFERENCE_NUMBER', ncpdpId: '402-D2', description: '12 digits, stable per member + drug (synthetic)', value: (c) => stableDigits(`rx:${String(c.member_id)}:${String(c.rxnorm_code ?? c.ndc)}`, 12) },
  { name: 'PRODUCT_SERVICE_ID_QUALIFIER', ncpdpId: '436-E1', description: '03 (NDC)', value: (c) => (c.ndc ? '03' : '') },
  { name: 'PRODUCT_SERVICE_ID', ncpdpId: '407-D7', description: 'ndc (11 digits)', value: (c) => text(c.ndc) },
  { name: 'QUANTITY_DISPENSED', ncpdpId: '442-E7', description: 'quantity (3 decimals)', value: (c) => (num(c.quantity) === undefined ? '' : num(c.quantity)!.toFixed(3)) },
  { name: 'FILL_NUMBER', ncpdpId: '403-D3', description: 'refill_number (0 = original)', value: (c) => text(c.refill_number) },
  { name: 'DAYS_SUPPLY', ncpdpId: '405-D5', description: 'days_supply', value: (c) => text(c.days_supply) },
  { name: 'PRESCRIBER_ID_QUALIFIER', ncpdpId: '466-EZ', description: '01 (NPI)', value: (c) => (c.prescriber_npi ? '01' : '') },
  { name: 'PRESCRIBER_ID', ncpdpId: '411-DB', description: 'prescriber_npi', value: (c) => text(c.prescriber_npi) },
  { name: 'INGREDIENT_COST_SUBMITTED', ncpdpId: '409-D9', description: 'ingredient_cost', value: (c) => amount(c.ingredient_cost) },
  { name: 'DISPENSING_FEE_SUBMITTED', ncpdpId: '412-DC', description: 'dispensing_fee', value: (c) => amount(c.dispensing_fee) },
  { name: 'GROSS_AMOUNT_DUE', ncpdpId: '430-DU', description: 'ingredient_cost + dispensing_fee', value: (c) => money(cents(c.ingredient_cost) + cents(c.dispensing_fee)) },
  { name: 'PATIENT_PAY_AMOUNT', ncpdpId: '505-F5', description: 'copay_amount', value: (c) => amount(c.copay_amount) },
  { name: 'TOTAL_AMOUNT_PAID', ncpdpId: '509-F9', description: 'paid_amount', value: (c) => amount(c.paid_amount) },
  { name: 'TRANSACTION_RESPONSE_STATUS', ncpdpId: '112-AN', description: 'P paid, R rejected, A approved reversal', value: (c) => ({ paid: 'P', rejected: 'R', reversed: 'A' })[status(c)] ?? '' },
  { name: 'RXNORM_CODE', ncpdpId: '-', description: 'rxnorm_code (healthsim extension)', value: (c) => text(c.rxnorm_code) },
  { name: 'DRUG_NAME', ncpdpId: '-', description: 'drug_name (healthsim extension)', value: (c) => text(c.drug_name) },
  { name: 'FORMULARY_TIER', ncpdpId: '-', description: 'formulary_tier (healthsim extension)', value: (c) => text(c.formulary_tier) },
];

/** The record layout, in field order. */
export const NCPDP_FIELDS: readonly NcpdpField[] = RULES.map(({ name, ncpdpId, description }) => ({ name, ncpdpId, description }));

export const NCPDP_DELIMITER = '|';

/** One flat record per pharmacy claim, as field name → text. */
export function ncpdpRecords(tables: StandardTables): Record<string, string>[] {
  const members = indexBy(rowsOf(tables, 'members'), 'member_id');
  return rowsOf(tables, 'pharmacy_claims').map((c) => {
    const m = members.get(String(c.member_id));
    return Object.fromEntries(RULES.map((r) => [r.name, r.value(c, m)]));
  });
}

/** Parses a pharmacy_claims.txt back into records (field name → text). */
export function parseNcpdpFlat(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines.shift() ?? '').split(NCPDP_DELIMITER);
  return lines.map((line) => {
    const values = line.split(NCPDP_DELIMITER);
    if (values.length !== header.length) throw new Error(`NCPDP flat record has ${values.length} fields, header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, values[i]]));
  });
}

function layoutText(): string {
  const rows = NCPDP_FIELDS.map((f, i) => `${String(i + 1).padStart(2)}  ${f.name.padEnd(30)}${f.ncpdpId.padEnd(8)}${f.description}`);
  return [
    'NCPDP-style flat pharmacy claims (modelled on Telecommunication D.0 fields; not the D.0 wire format).',
    "Pipe-delimited, one header line, LF line endings; '|' and line breaks in values become spaces;",
    'an empty field is null; dates CCYYMMDD; money with 2 decimals; quantity with 3 decimals.',
    '',
    ` #  ${'name'.padEnd(30)}${'NCPDP'.padEnd(8)}source / rule`,
    ...rows,
  ].join('\n') + '\n';
}

export function exportNcpdp(tables: StandardTables): ExportFile[] {
  if ((tables.pharmacy_claims ?? []).length === 0) return [];
  const names = NCPDP_FIELDS.map((f) => f.name);
  const records = ncpdpRecords(tables);
  const lines = [names.join(NCPDP_DELIMITER), ...records.map((r) => names.map((n) => r[n]).join(NCPDP_DELIMITER))];
  return [
    { path: 'pharmacy_claims.layout.txt', content: layoutText(), rows: NCPDP_FIELDS.length, table: 'layout' },
    { path: 'pharmacy_claims.txt', content: lines.join('\n') + '\n', rows: records.length, table: 'pharmacy_claims' },
  ];
}
