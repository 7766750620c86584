import { col, fk, type TableDef } from '../types.js';

export const plans: TableDef = {
  name: 'plans',
  description: 'Benefit plans offered by payers.',
  products: ['membersim', 'rxmembersim', 'pa'],
  primaryKey: ['plan_id'],
  columns: [
    col('plan_id', 'VARCHAR', 'Plan identifier', { nullable: false }),
    fk('payer_id', 'payers', 'Payer'),
    col('plan_name', 'VARCHAR', 'Marketing name'),
    col('plan_type', 'VARCHAR', 'HMO, PPO, PFFS, SNP, EPO, HDHP, PDP'),
    col('line_of_business', 'VARCHAR', 'Medicare Advantage, Commercial, Medicaid, Part D'),
    col('monthly_premium', 'DECIMAL(12,2)', 'Member premium per month (USD)'),
  ],
};
