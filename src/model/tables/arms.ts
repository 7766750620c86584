import { col, fk, type TableDef } from '../types.js';

export const arms: TableDef = {
  name: 'arms',
  description: 'Treatment arms with randomization ratios.',
  products: ['trialsim'],
  primaryKey: ['arm_id'],
  columns: [
    col('arm_id', 'VARCHAR', 'Arm identifier', { nullable: false }),
    fk('study_id', 'studies', 'Study'),
    col('arm_code', 'VARCHAR', 'ARMCD (≤ 20 chars)', { codeSystem: 'CDISC SDTM ARMCD' }),
    col('name', 'VARCHAR', 'ARM description'),
    col('arm_type', 'VARCHAR', 'EXPERIMENTAL, ACTIVE COMPARATOR or PLACEBO COMPARATOR'),
    col('ratio', 'INTEGER', 'Randomization weight (1:1 → 1 and 1)'),
    col('treatment', 'VARCHAR', 'Treatment administered'),
  ],
};
