import { describe, expect, it } from 'vitest';
import { NCPDP_FIELDS, exportNcpdp, parseNcpdpFlat } from '../../src/store/standards/ncpdp/export.js';
import { tables } from '../fixtures/standards/dataset.js';

const files = exportNcpdp(tables);
const data = String(files.find((f) => f.path === 'pharmacy_claims.txt')!.content);

describe('NCPDP flat pharmacy claims', () => {
  it('writes the data file and its layout', () => {
    expect(files.map((f) => f.path)).toEqual(['pharmacy_claims.layout.txt', 'pharmacy_claims.txt']);
    const layout = String(files[0].content).split('\n');
    expect(layout).toContain(' 3  BIN_NUMBER                    101-A1  6 digits, stable per payer (synthetic)');
    expect(data.split('\n')[0]).toBe(NCPDP_FIELDS.map((f) => f.name).join('|'));
    expect(data.endsWith('\n')).toBe(true);
    expect(data).not.toContain('\r');
  });

  it('is byte-identical across runs and independent of input row order', () => {
    const shuffled = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, [...v].reverse()]));
    expect(exportNcpdp(shuffled)).toEqual(files);
  });

  it('round-trips every claim through the flat file', () => {
    const records = parseNcpdpFlat(data);
    const claims = [...tables.pharmacy_claims].sort((a, b) => (String(a.pharmacy_claim_id) < String(b.pharmacy_claim_id) ? -1 : 1));
    expect(records).toHaveLength(claims.length);
    records.forEach((r, i) => {
      const c = claims[i];
      expect(r.CLAIM_ID).toBe(c.pharmacy_claim_id);
      expect(r.DATE_OF_SERVICE).toBe(String(c.fill_date).replace(/-/g, ''));
      expect(r.PRODUCT_SERVICE_ID).toBe(c.ndc);
      expect(Number(r.QUANTITY_DISPENSED)).toBe(c.quantity);
      expect(Number(r.DAYS_SUPPLY)).toBe(c.days_supply);
      expect(Number(r.FILL_NUMBER)).toBe(c.refill_number);
      expect(Number(r.INGREDIENT_COST_SUBMITTED)).toBe(c.ingredient_cost);
      expect(Number(r.DISPENSING_FEE_SUBMITTED)).toBe(c.dispensing_fee);
      expect(Number(r.PATIENT_PAY_AMOUNT)).toBe(c.copay_amount);
      expect(Number(r.TOTAL_AMOUNT_PAID)).toBe(c.paid_amount);
      expect(r.SERVICE_PROVIDER_ID).toBe(c.pharmacy_npi ?? '');
      expect(r.PRESCRIBER_ID).toBe(c.prescriber_npi);
      expect(r.BIN_NUMBER).toMatch(/^\d{6}$/);
      expect(r.PRESCRIPTION_REFERENCE_NUMBER).toMatch(/^\d{12}$/);
    });
  });

  it('maps a record exactly', () => {
    const [first, , third, fourth] = parseNcpdpFlat(data);
    expect(first).toMatchObject({
      CLAIM_ID: 'rx-R0000001', TRANSACTION_CODE: 'B1', GROUP_ID: 'dc-PL01', CARDHOLDER_ID: 'SUB000001', DATE_OF_BIRTH: '19510227',
      PATIENT_GENDER_CODE: '1', DATE_OF_SERVICE: '20240115', SERVICE_PROVIDER_ID_QUALIFIER: '01', PRODUCT_SERVICE_ID_QUALIFIER: '03',
      QUANTITY_DISPENSED: '60.000', INGREDIENT_COST_SUBMITTED: '4.21', DISPENSING_FEE_SUBMITTED: '1.75', GROSS_AMOUNT_DUE: '5.96',
      PATIENT_PAY_AMOUNT: '0.00', TOTAL_AMOUNT_PAID: '5.96', TRANSACTION_RESPONSE_STATUS: 'P', FORMULARY_TIER: '1',
    });
    // the same member and drug keep one prescription number across fills
    expect(parseNcpdpFlat(data)[1].PRESCRIPTION_REFERENCE_NUMBER).toBe(first.PRESCRIPTION_REFERENCE_NUMBER);
    expect(third).toMatchObject({ TRANSACTION_CODE: 'B2', TRANSACTION_RESPONSE_STATUS: 'A', DRUG_NAME: 'Semaglutide 1 MG/DOSE Pen 3 mL', QUANTITY_DISPENSED: '3.500' });
    expect(fourth).toMatchObject({ TRANSACTION_RESPONSE_STATUS: 'R', SERVICE_PROVIDER_ID_QUALIFIER: '', SERVICE_PROVIDER_ID: '' });
  });

  it('writes nothing for a dataset without pharmacy claims', () => {
    expect(exportNcpdp({ patients: tables.patients })).toEqual([]);
  });
});
