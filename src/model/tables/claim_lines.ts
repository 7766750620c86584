import { col, fk, type TableDef } from '../types.js';

export const claimLines: TableDef = {
  name: 'claim_lines',
  description: 'Service lines of medical claims.',
  products: ['membersim'],
  primaryKey: ['claim_line_id'],
  columns: [
    col('claim_line_id', 'VARCHAR', 'Line identifier', { nullable: false }),
    fk('claim_id', 'claims', 'Claim'),
    col('line_number', 'INTEGER', '1-based line number'),
    col('service_date', 'DATE', 'Date of service'),
    col('code', 'VARCHAR', 'CPT or HCPCS procedure code', { codeSystem: 'CPT / HCPCS' }),
    col('code_system', 'VARCHAR', 'CPT or HCPCS'),
    col('description', 'VARCHAR', 'Our own short label'),
    col('diagnosis_pointers', 'VARCHAR', 'Pointers to the claim diagnoses, e.g. 1,2'),
    col('units', 'INTEGER', 'Units of service'),
    col('billed_amount', 'DECIMAL(12,2)', 'Line charge'),
    col('allowed_amount', 'DECIMAL(12,2)', 'Line allowed'),
    col('paid_amount', 'DECIMAL(12,2)', 'Line paid'),
  ],
};
