import { col, type TableDef } from '../types.js';

export const studies: TableDef = {
  name: 'studies',
  description: 'Clinical study (protocol) definitions.',
  products: ['trialsim'],
  primaryKey: ['study_id'],
  columns: [
    col('study_id', 'VARCHAR', 'Study identifier (STUDYID)', { nullable: false }),
    col('protocol', 'VARCHAR', 'Protocol number'),
    col('title', 'VARCHAR', 'Study title'),
    col('phase', 'VARCHAR', 'PHASE I … PHASE IV (CDISC CT)'),
    col('indication', 'VARCHAR', 'Indication (e.g. NSCLC)'),
    col('indication_code', 'VARCHAR', 'ICD-10-CM code of the indication', { codeSystem: 'ICD-10-CM' }),
    col('sponsor', 'VARCHAR', 'Sponsor (synthetic)'),
    col('start_date', 'DATE', 'First subject screened'),
    col('planned_subjects', 'INTEGER', 'Planned enrollment'),
    col('visits_per_subject', 'INTEGER', 'Scheduled visits per subject'),
  ],
};
