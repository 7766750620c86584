import { col, type TableDef } from '../types.js';

export const payers: TableDef = {
  name: 'payers',
  description: 'Health plans\' parent organizations (synthetic names).',
  products: ['membersim', 'rxmembersim', 'pa'],
  primaryKey: ['payer_id'],
  columns: [
    col('payer_id', 'VARCHAR', 'Payer identifier', { nullable: false }),
    col('name', 'VARCHAR', 'Payer name'),
    col('payer_type', 'VARCHAR', 'Medicare Advantage, Commercial, Medicaid managed care, PBM'),
    col('state', 'VARCHAR', 'Home state', { codeSystem: 'USPS state' }),
  ],
};
