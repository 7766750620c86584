import { col, fk, type TableDef } from '../types.js';

export const procedures: TableDef = {
  name: 'procedures',
  description: 'Procedures performed, coded in CPT or HCPCS Level II (codes only, our own labels).',
  products: ['patientsim'],
  primaryKey: ['procedure_id'],
  columns: [
    col('procedure_id', 'VARCHAR', 'Procedure identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient'),
    fk('encounter_id', 'encounters', 'Encounter', true),
    col('performed_date', 'DATE', 'Date performed'),
    col('code', 'VARCHAR', 'CPT or HCPCS code', { codeSystem: 'CPT / HCPCS' }),
    col('code_system', 'VARCHAR', 'CPT or HCPCS'),
    col('description', 'VARCHAR', 'Our own short label (CPT descriptors are AMA-licensed)'),
  ],
};
