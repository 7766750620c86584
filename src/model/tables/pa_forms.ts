import { col, fk, type TableDef } from '../types.js';

export const paForms: TableDef = {
  name: 'pa_forms',
  description: 'Payer-specific prior-authorization form templates.',
  products: ['pa'],
  primaryKey: ['form_id'],
  columns: [
    col('form_id', 'VARCHAR', 'Form identifier', { nullable: false }),
    fk('payer_id', 'payers', 'Payer'),
    col('form_name', 'VARCHAR', 'Form title'),
    col('submission_method', 'VARCHAR', 'phone, fax, portal or mail'),
    col('submission_target', 'VARCHAR', 'Fax number, phone or portal URL (synthetic)'),
    col('sections', 'VARCHAR', 'JSON array of sections with their fields'),
    col('field_count', 'INTEGER', 'Number of fields on the form'),
  ],
};
