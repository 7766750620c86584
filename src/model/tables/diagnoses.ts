import { col, fk, type TableDef } from '../types.js';

export const diagnoses: TableDef = {
  name: 'diagnoses',
  description: 'Conditions on the problem list, coded in ICD-10-CM.',
  products: ['patientsim'],
  primaryKey: ['diagnosis_id'],
  columns: [
    col('diagnosis_id', 'VARCHAR', 'Diagnosis identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient'),
    fk('encounter_id', 'encounters', 'Encounter where it was recorded', true),
    col('code', 'VARCHAR', 'ICD-10-CM code, dotted (E11.9)', { codeSystem: 'ICD-10-CM' }),
    col('code_system', 'VARCHAR', 'ICD-10-CM'),
    col('description', 'VARCHAR', 'ICD-10-CM short description'),
    col('onset_date', 'DATE', 'Onset (diagnosis) date'),
    col('is_primary', 'BOOLEAN', 'The profile primary condition'),
    col('severity', 'VARCHAR', 'Severity or control level (controlled, uncontrolled, …)'),
    col('status', 'VARCHAR', 'active or resolved'),
  ],
};
