import { col, fk, type TableDef } from '../types.js';

export const subjects: TableDef = {
  name: 'subjects',
  description: 'Trial subjects with screening, consent, randomization and status.',
  products: ['trialsim'],
  primaryKey: ['subject_id'],
  columns: [
    col('subject_id', 'VARCHAR', 'Subject identifier', { nullable: false }),
    col('person_id', 'VARCHAR', 'Links the product views of one synthetic person', { nullable: false }),
    fk('study_id', 'studies', 'Study'),
    fk('site_id', 'sites', 'Site'),
    fk('arm_id', 'arms', 'Randomized arm (null for screen failures)', true),
    col('subject_number', 'VARCHAR', 'SUBJID within the site'),
    col('usubjid', 'VARCHAR', 'STUDYID-SITEID-SUBJID'),
    col('sex', 'VARCHAR', 'M or F'),
    col('birth_date', 'DATE', 'Date of birth'),
    col('age', 'INTEGER', 'Age at consent'),
    col('race', 'VARCHAR', 'CDISC race'),
    col('ethnicity', 'VARCHAR', 'CDISC ethnicity'),
    col('screening_date', 'DATE', 'Screening visit'),
    col('consent_date', 'DATE', 'Informed consent'),
    col('randomization_date', 'DATE', 'Randomization (null for screen failures)'),
    col('status', 'VARCHAR', 'SCREEN FAILURE, ONGOING, COMPLETED or DISCONTINUED'),
  ],
};
