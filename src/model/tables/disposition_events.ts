import { col, fk, type TableDef } from '../types.js';

export const dispositionEvents: TableDef = {
  name: 'disposition_events',
  description: 'Subject disposition (CDISC NCOMPLT terms).',
  products: ['trialsim'],
  primaryKey: ['disposition_event_id'],
  columns: [
    col('disposition_event_id', 'VARCHAR', 'Disposition identifier', { nullable: false }),
    fk('subject_id', 'subjects', 'Subject'),
    col('category', 'VARCHAR', 'DISPOSITION EVENT or PROTOCOL MILESTONE'),
    col('event', 'VARCHAR', 'COMPLETED, ADVERSE EVENT, WITHDRAWAL BY SUBJECT, LOST TO FOLLOW-UP, DEATH, PROGRESSIVE DISEASE, SCREEN FAILURE, INFORMED CONSENT OBTAINED, RANDOMIZED'),
    col('event_date', 'DATE', 'Date of the event'),
  ],
};
