import { col, fk, type TableDef } from '../types.js';

export const visits: TableDef = {
  name: 'visits',
  description: 'Scheduled and actual protocol visits.',
  products: ['trialsim'],
  primaryKey: ['visit_id'],
  columns: [
    col('visit_id', 'VARCHAR', 'Visit identifier', { nullable: false }),
    fk('subject_id', 'subjects', 'Subject'),
    col('visit_number', 'INTEGER', 'VISITNUM'),
    col('visit_name', 'VARCHAR', 'VISIT'),
    col('scheduled_date', 'DATE', 'Planned date per the schedule'),
    col('actual_date', 'DATE', 'Date attended (null if missed or not reached)'),
    col('status', 'VARCHAR', 'COMPLETED, MISSED or NOT DONE (after discontinuation)'),
  ],
};
