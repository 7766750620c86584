/**
 * Synthetic payer names. They are invented for this project and are not the names or
 * trademarks of real health plans; if one coincides with a real organization it is by chance and
 * the generated data says nothing about it.
 */
export interface SyntheticPayer {
  name: string;
  /** short token used in plan names and ids */
  short: string;
}

export const SYNTHETIC_PAYERS: readonly SyntheticPayer[] = [
  { name: 'Golden State Health Plan', short: 'Golden State' },
  { name: 'Cedar Ridge Health Partners', short: 'Cedar Ridge' },
  { name: 'Lakeshore Community Health Plan', short: 'Lakeshore' },
  { name: 'Prairie Wind Health Alliance', short: 'Prairie Wind' },
  { name: 'Harborlight Health', short: 'Harborlight' },
  { name: 'Summit Crest Health Plan', short: 'Summit Crest' },
  { name: 'Evergreen Valley Health', short: 'Evergreen Valley' },
  { name: 'Red Mesa Health Cooperative', short: 'Red Mesa' },
  { name: 'Tidewater Senior Health', short: 'Tidewater' },
  { name: 'Northstar Family Health Plan', short: 'Northstar' },
  { name: 'Silver Birch Health', short: 'Silver Birch' },
  { name: 'Copper Canyon Health Plan', short: 'Copper Canyon' },
];

/** Plan-type labels used in plan names. */
export const PLAN_TYPE_LABELS: Readonly<Record<string, string>> = {
  HMO: 'HMO',
  PPO: 'PPO',
  PFFS: 'Private Fee-for-Service',
  SNP: 'Special Needs Plan (HMO D-SNP)',
  EPO: 'EPO',
  HDHP: 'High Deductible PPO',
  PDP: 'Prescription Drug Plan',
  POS: 'HMO-POS',
};

/** Marketing-name tiers appended to plan names. */
export const PLAN_NAME_TIERS: readonly string[] = ['Essential', 'Choice', 'Select', 'Premier', 'Value', 'Plus'];
