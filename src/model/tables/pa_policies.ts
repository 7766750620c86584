import { col, fk, type TableDef } from '../types.js';

export const paPolicies: TableDef = {
  name: 'pa_policies',
  description: 'Prior-authorization policy documents (plain text with criteria).',
  products: ['pa'],
  primaryKey: ['policy_id'],
  columns: [
    col('policy_id', 'VARCHAR', 'Policy identifier', { nullable: false }),
    fk('plan_id', 'plans', 'Plan'),
    fk('drug_id', 'drugs', 'Drug'),
    col('title', 'VARCHAR', 'Policy title'),
    col('effective_date', 'DATE', 'Effective date'),
    col('authorization_months', 'INTEGER', 'Initial authorization period in months'),
    col('text', 'VARCHAR', 'Full policy text: criteria, documentation, limits, renewal, exclusions, appeals'),
  ],
};
