import { col, fk, type TableDef } from '../types.js';

export const adverseEvents: TableDef = {
  name: 'adverse_events',
  description: 'Adverse events with MedDRA-style terms and CTCAE grades.',
  products: ['trialsim'],
  primaryKey: ['adverse_event_id'],
  columns: [
    col('adverse_event_id', 'VARCHAR', 'AE identifier', { nullable: false }),
    fk('subject_id', 'subjects', 'Subject'),
    col('term', 'VARCHAR', 'Reported term (MedDRA preferred term style)'),
    col('system_organ_class', 'VARCHAR', 'MedDRA system organ class'),
    col('onset_date', 'DATE', 'Start date'),
    col('end_date', 'DATE', 'End date (null if ongoing)'),
    col('ctcae_grade', 'INTEGER', 'CTCAE grade 1–5'),
    col('serious', 'BOOLEAN', 'Serious adverse event'),
    col('relatedness', 'VARCHAR', 'RELATED, POSSIBLY RELATED or NOT RELATED'),
    col('outcome', 'VARCHAR', 'RECOVERED/RESOLVED, RECOVERING/RESOLVING, NOT RECOVERED/NOT RESOLVED, FATAL'),
    col('action_taken', 'VARCHAR', 'DOSE NOT CHANGED, DOSE REDUCED, DRUG INTERRUPTED, DRUG WITHDRAWN'),
  ],
};
