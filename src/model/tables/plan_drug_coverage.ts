import { col, fk, type TableDef } from '../types.js';

export const planDrugCoverage: TableDef = {
  name: 'plan_drug_coverage',
  description: 'Coverage of each drug by each plan.',
  products: ['pa'],
  primaryKey: ['coverage_id'],
  columns: [
    col('coverage_id', 'VARCHAR', 'Coverage identifier', { nullable: false }),
    fk('plan_id', 'plans', 'Plan'),
    fk('drug_id', 'drugs', 'Drug'),
    col('covered', 'BOOLEAN', 'On formulary'),
    col('pa_required', 'BOOLEAN', 'Prior authorization required'),
    col('step_therapy', 'BOOLEAN', 'Step therapy required'),
    col('step_therapy_drugs', 'VARCHAR', 'Drugs that must be tried first'),
    col('tier', 'INTEGER', 'Formulary tier (null if not covered)'),
    col('copay_amount', 'DECIMAL(12,2)', 'Copay per 30-day fill'),
    col('quantity_limit', 'VARCHAR', 'Quantity limit (e.g. 4 pens / 28 days)'),
    col('approval_criteria', 'VARCHAR', 'Criteria text summarised'),
  ],
};
