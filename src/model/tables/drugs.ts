import { col, type TableDef } from '../types.js';

export const drugs: TableDef = {
  name: 'drugs',
  description: 'Drugs in the prior-authorization formulary.',
  products: ['pa'],
  primaryKey: ['drug_id'],
  columns: [
    col('drug_id', 'VARCHAR', 'Drug identifier', { nullable: false }),
    col('brand_name', 'VARCHAR', 'Brand name'),
    col('generic_name', 'VARCHAR', 'Generic name'),
    col('rxnorm_code', 'VARCHAR', 'RxNorm ingredient RXCUI', { codeSystem: 'RxNorm' }),
    col('drug_class', 'VARCHAR', 'GLP-1 receptor agonist, SGLT2 inhibitor, …'),
    col('route', 'VARCHAR', 'oral or subcutaneous'),
    col('indication', 'VARCHAR', 'Labeled indication'),
  ],
};
