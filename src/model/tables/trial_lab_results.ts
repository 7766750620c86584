import { col, fk, type TableDef } from '../types.js';

export const trialLabResults: TableDef = {
  name: 'trial_lab_results',
  description: 'Laboratory results and vital signs collected at protocol visits.',
  products: ['trialsim'],
  primaryKey: ['trial_lab_result_id'],
  columns: [
    col('trial_lab_result_id', 'VARCHAR', 'Result identifier', { nullable: false }),
    fk('subject_id', 'subjects', 'Subject'),
    fk('visit_id', 'visits', 'Visit'),
    col('category', 'VARCHAR', 'CHEMISTRY, HEMATOLOGY or VITAL SIGNS'),
    col('test_code', 'VARCHAR', 'SDTM short test code (ALT, HGB, SYSBP …)', { codeSystem: 'CDISC SDTM LBTESTCD' }),
    col('code', 'VARCHAR', 'LOINC code', { codeSystem: 'LOINC' }),
    col('description', 'VARCHAR', 'Test name'),
    col('value', 'DOUBLE', 'Numeric result'),
    col('unit', 'VARCHAR', 'UCUM unit', { codeSystem: 'UCUM' }),
    col('reference_low', 'DOUBLE', 'Reference range low'),
    col('reference_high', 'DOUBLE', 'Reference range high'),
    col('collection_date', 'DATE', 'Collection date'),
  ],
};
