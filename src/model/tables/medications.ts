import { col, fk, type TableDef } from '../types.js';

export const medications: TableDef = {
  name: 'medications',
  description: 'Medication orders and treatment history, coded in RxNorm.',
  products: ['patientsim'],
  primaryKey: ['medication_id'],
  columns: [
    col('medication_id', 'VARCHAR', 'Medication order identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient'),
    fk('encounter_id', 'encounters', 'Prescribing encounter', true),
    col('code', 'VARCHAR', 'RxNorm concept id (RXCUI)', { codeSystem: 'RxNorm' }),
    col('code_system', 'VARCHAR', 'RxNorm'),
    col('description', 'VARCHAR', 'Drug name and strength'),
    col('therapeutic_class', 'VARCHAR', 'Therapeutic class (biguanide, basal insulin, …)'),
    col('dose_value', 'DOUBLE', 'Dose per administration'),
    col('dose_unit', 'VARCHAR', 'mg, [iU], …'),
    col('frequency', 'VARCHAR', 'Sig frequency: daily, BID, qHS, weekly'),
    col('route', 'VARCHAR', 'oral, subcutaneous, inhalation, intravenous'),
    col('start_date', 'DATE', 'Start date'),
    col('end_date', 'DATE', 'Stop date (null while active)'),
    col('status', 'VARCHAR', 'active, stopped or completed'),
    col('line_of_therapy', 'INTEGER', '1 for first line, 2 for second …'),
    col('outcome', 'VARCHAR', 'Treatment outcome: ongoing, inadequate response, intolerance, partial response'),
  ],
};
