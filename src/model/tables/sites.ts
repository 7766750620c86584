import { col, fk, type TableDef } from '../types.js';

export const sites: TableDef = {
  name: 'sites',
  description: 'Investigator sites of a study.',
  products: ['trialsim'],
  primaryKey: ['site_id'],
  columns: [
    col('site_id', 'VARCHAR', 'Site identifier (SITEID)', { nullable: false }),
    fk('study_id', 'studies', 'Study'),
    col('site_number', 'VARCHAR', 'Site number within the study'),
    col('name', 'VARCHAR', 'Institution name (synthetic)'),
    col('city', 'VARCHAR', 'City'),
    col('state', 'VARCHAR', 'State', { codeSystem: 'USPS state' }),
    col('principal_investigator', 'VARCHAR', 'Principal investigator (synthetic)'),
  ],
};
