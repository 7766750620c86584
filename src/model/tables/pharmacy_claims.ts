import { col, fk, type TableDef } from '../types.js';

export const pharmacyClaims: TableDef = {
  name: 'pharmacy_claims',
  description: 'Pharmacy (Part D / PBM) claims, one per fill.',
  products: ['rxmembersim'],
  primaryKey: ['pharmacy_claim_id'],
  columns: [
    col('pharmacy_claim_id', 'VARCHAR', 'Claim identifier', { nullable: false }),
    fk('member_id', 'members', 'Member'),
    col('fill_date', 'DATE', 'Date filled'),
    col('ndc', 'VARCHAR', 'NDC (11-digit, 5-4-2 without dashes)', { codeSystem: 'NDC' }),
    col('rxnorm_code', 'VARCHAR', 'RxNorm concept id', { codeSystem: 'RxNorm' }),
    col('drug_name', 'VARCHAR', 'Drug name and strength'),
    col('therapeutic_class', 'VARCHAR', 'Therapeutic class'),
    col('quantity', 'DOUBLE', 'Quantity dispensed'),
    col('days_supply', 'INTEGER', '30 or 90 typically'),
    col('refill_number', 'INTEGER', '0 for the first fill'),
    col('pharmacy_npi', 'VARCHAR', 'Dispensing pharmacy NPI-shaped id', { codeSystem: 'NPI (synthetic)' }),
    col('prescriber_npi', 'VARCHAR', 'Prescriber NPI-shaped id', { codeSystem: 'NPI (synthetic)' }),
    col('formulary_tier', 'INTEGER', 'Formulary tier 1–5'),
    col('ingredient_cost', 'DECIMAL(12,2)', 'Ingredient cost'),
    col('dispensing_fee', 'DECIMAL(12,2)', 'Dispensing fee'),
    col('copay_amount', 'DECIMAL(12,2)', 'Member copay'),
    col('paid_amount', 'DECIMAL(12,2)', 'Plan paid'),
    col('status', 'VARCHAR', 'paid, reversed or rejected'),
  ],
};
