import { col, fk, type TableDef } from '../types.js';

export const exposures: TableDef = {
  name: 'exposures',
  description: 'Study treatment administrations (one per dosing visit).',
  products: ['trialsim'],
  primaryKey: ['exposure_id'],
  columns: [
    col('exposure_id', 'VARCHAR', 'Exposure identifier', { nullable: false }),
    fk('subject_id', 'subjects', 'Subject'),
    fk('visit_id', 'visits', 'Visit', true),
    col('treatment', 'VARCHAR', 'Treatment name'),
    col('dose', 'DOUBLE', 'Dose'),
    col('dose_unit', 'VARCHAR', 'mg, mg/kg, AUC'),
    col('route', 'VARCHAR', 'INTRAVENOUS, ORAL'),
    col('start_date', 'DATE', 'Start of administration'),
    col('end_date', 'DATE', 'End of administration'),
  ],
};
