import { col, fk, type TableDef } from '../types.js';

export const labResults: TableDef = {
  name: 'lab_results',
  description: 'Laboratory results and vital-sign observations, coded in LOINC with UCUM units.',
  products: ['patientsim'],
  primaryKey: ['lab_result_id'],
  columns: [
    col('lab_result_id', 'VARCHAR', 'Result identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient'),
    fk('encounter_id', 'encounters', 'Ordering encounter', true),
    col('effective_date', 'DATE', 'Specimen / observation date'),
    col('panel', 'VARCHAR', 'Panel the test belongs to (hba1c, cmp, lipid, vitals, …)'),
    col('code', 'VARCHAR', 'LOINC code', { codeSystem: 'LOINC' }),
    col('code_system', 'VARCHAR', 'LOINC'),
    col('description', 'VARCHAR', 'LOINC short name'),
    col('value', 'DOUBLE', 'Numeric result'),
    col('unit', 'VARCHAR', 'UCUM unit', { codeSystem: 'UCUM' }),
    col('reference_low', 'DOUBLE', 'Reference range low'),
    col('reference_high', 'DOUBLE', 'Reference range high'),
    col('interpretation', 'VARCHAR', 'N, H or L against the reference range'),
  ],
};
