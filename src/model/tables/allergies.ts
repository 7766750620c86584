import { col, fk, type TableDef } from '../types.js';

export const allergies: TableDef = {
  name: 'allergies',
  description: 'Allergies and intolerances.',
  products: ['patientsim'],
  primaryKey: ['allergy_id'],
  columns: [
    col('allergy_id', 'VARCHAR', 'Allergy identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient'),
    col('code', 'VARCHAR', 'RxNorm ingredient (drug) or SNOMED CT (other) code', { codeSystem: 'RxNorm (drug) or SNOMED CT (other)' }),
    col('code_system', 'VARCHAR', 'RxNorm or SNOMED CT'),
    col('description', 'VARCHAR', 'Substance'),
    col('category', 'VARCHAR', 'medication, food or environment'),
    col('reaction', 'VARCHAR', 'Manifestation'),
    col('severity', 'VARCHAR', 'mild, moderate or severe'),
    col('onset_date', 'DATE', 'Recorded date'),
  ],
};
