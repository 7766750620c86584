import { col, fk, type TableDef } from '../types.js';

export const claims: TableDef = {
  name: 'claims',
  description: 'Medical claim headers (professional and institutional).',
  products: ['membersim'],
  primaryKey: ['claim_id'],
  columns: [
    col('claim_id', 'VARCHAR', 'Claim identifier', { nullable: false }),
    fk('member_id', 'members', 'Member'),
    col('claim_type', 'VARCHAR', 'professional or institutional'),
    col('setting', 'VARCHAR', 'office, emergency, inpatient, outpatient_surgery, lab'),
    col('service_date', 'DATE', 'First date of service'),
    col('end_date', 'DATE', 'Last date of service (discharge for inpatient)'),
    col('place_of_service', 'VARCHAR', 'CMS place-of-service code (11, 21, 22, 23, 24, 81)', { codeSystem: 'CMS place of service' }),
    fk('provider_id', 'providers', 'Rendering / attending provider', true),
    fk('facility_id', 'facilities', 'Facility', true),
    col('diagnosis_code_1', 'VARCHAR', 'Principal ICD-10-CM diagnosis (dotted)', { codeSystem: 'ICD-10-CM' }),
    col('diagnosis_code_2', 'VARCHAR', 'Secondary diagnosis', { codeSystem: 'ICD-10-CM' }),
    col('diagnosis_code_3', 'VARCHAR', 'Secondary diagnosis', { codeSystem: 'ICD-10-CM' }),
    col('diagnosis_code_4', 'VARCHAR', 'Secondary diagnosis', { codeSystem: 'ICD-10-CM' }),
    col('billed_amount', 'DECIMAL(12,2)', 'Total charge (sum of lines)'),
    col('allowed_amount', 'DECIMAL(12,2)', 'Allowed (sum of lines)'),
    col('paid_amount', 'DECIMAL(12,2)', 'Plan paid (sum of lines)'),
    col('member_responsibility', 'DECIMAL(12,2)', 'Deductible + copay + coinsurance'),
    col('status', 'VARCHAR', 'paid or denied'),
  ],
};
