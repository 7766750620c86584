/**
 * Defaults applied by profile normalization. Written here once so the README and the
 * normalized output agree; changing one changes every step key that uses it (on purpose).
 */
import type {
  CoverageSpec,
  Distribution,
  PharmacySpec,
  PriorAuthSpec,
  TrialArmSpec,
  TrialSpec,
  UtilizationSpec,
} from './types.js';

export const DEFAULT_COUNT = 100;
/**
 * Entities generated per batch (a batch's rows are held in memory until they are appended).
 * Small batches keep rows from surviving a young-generation GC: 1,000 → 100 took 25k patients
 * with --jobs 2 from 1.13 GiB to 0.96–1.0 GiB peak RSS at the same speed, and 100 → 20 from
 * 12.8 s and 835 MiB to 11.9 s and 743 MiB (medians of four and six runs). Output never
 * depends on it.
 */
export const DEFAULT_BATCH_SIZE = 20;
export const MAX_COUNT = 10_000_000;
export const AGE_RANGE: [number, number] = [0, 120];
export const DEFAULT_AGE: Distribution = { type: 'uniform', min: 18, max: 90 };
export const DEFAULT_GENDER = { female: 0.51, male: 0.49 };
export const DEFAULT_ALLERGIES_RATE = 0.1;

export const DEFAULT_UTILIZATION: UtilizationSpec = {
  pcp_visits_per_year: { type: 'poisson', mean: 3, min: 0, max: 24 },
  specialist_visits_per_year: { type: 'poisson', mean: 1.5, min: 0, max: 24 },
  er_visits_per_year: { type: 'poisson', mean: 0.3, min: 0, max: 12 },
  inpatient_admits_per_year: { type: 'poisson', mean: 0.25, min: 0, max: 6 },
  monthly_fills: { type: 'poisson', mean: 2, min: 0, max: 20 },
};

export const DEFAULT_COVERAGE: CoverageSpec = {
  plan_distribution: { HMO: 0.4, PFFS: 0.25, PPO: 0.35 },
  line_of_business: 'commercial',
  payers: [],
  part_d_rate: 0.85,
  lis_rate: 0.15,
  risk_score: { type: 'log_normal', mean: 1, std_dev: 0.5, min: 0.3, max: 5 },
  claims_months: 12,
};

export const DEFAULT_PHARMACY: PharmacySpec = {
  adherence: { type: 'normal', mean: 0.8, std_dev: 0.15, min: 0, max: 1 },
  ninety_day_rate: 0.3,
  drugs: [],
  tier_copays: { '1': 5, '2': 15, '3': 47, '4': 100, '5': 150 },
  months: 12,
};

export const DEFAULT_TRIAL_ARMS: TrialArmSpec[] = [
  { code: 'ACTIVE', name: 'Active (Drug A + SOC)', type: 'EXPERIMENTAL', ratio: 1, treatment: 'Drug A + standard of care', ae_rate_multiplier: 1.3 },
  { code: 'CONTROL', name: 'Control (SOC only)', type: 'ACTIVE COMPARATOR', ratio: 1, treatment: 'Standard of care', ae_rate_multiplier: 1 },
];

/** protocol and title are derived from the profile id / indication when absent. */
export const DEFAULT_TRIAL: Omit<TrialSpec, 'protocol' | 'title'> = {
  phase: 'PHASE III',
  indication: 'Non-small cell lung cancer',
  indication_code: 'C34.90',
  sponsor: 'Healthsim Synthetic Sponsor',
  sites: 8,
  arms: DEFAULT_TRIAL_ARMS,
  visits: 12,
  visit_interval_days: 21,
  // Calibrated so the defaults reproduce the seeds' Phase 3 example: 200 randomized subjects,
  // 2,400 scheduled visits, ~77% completed, ~89 AEs. Screen failures are opt-in (count = randomized).
  missed_visit_rate: 0.13,
  screen_failure_rate: 0,
  discontinuation_rate: 0.25,
  ae_rate: 0.445,
  enrollment_months: 12,
};

export const DEFAULT_PRIOR_AUTH: PriorAuthSpec = {
  payers: 10,
  drugs: ['ozempic', 'wegovy', 'mounjaro', 'zepbound', 'trulicity', 'victoza', 'saxenda', 'rybelsus', 'jardiance', 'invokana'],
  coverage_rate: 0.85,
  pa_rate: 0.65,
  step_therapy_rate: 0.3,
  policies: 6,
};

/** Sections each product needs; a needed section that is absent is filled with its defaults. */
export const SECTIONS_BY_PRODUCT = {
  patientsim: ['utilization'],
  membersim: ['utilization', 'coverage'],
  rxmembersim: ['utilization', 'coverage', 'pharmacy'],
  trialsim: ['trial'],
} as const;

export const US_STATES = [
  'AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY', 'LA',
  'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK', 'OR',
  'PA', 'PR', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY',
] as const;

/** "3", 3, "III", "Phase 3", "PHASE III", "2/3", "phase ii/iii" → "PHASE III", "PHASE II/III"; undefined if unknown. */
export function normalizePhase(raw: string | number): string | undefined {
  const roman: Record<string, string> = { '1': 'I', '2': 'II', '3': 'III', '4': 'IV', i: 'I', ii: 'II', iii: 'III', iv: 'IV' };
  const s = String(raw).trim().toLowerCase().replace(/^phase\s*/, '');
  const parts = s.split(/\s*\/\s*/);
  const mapped = parts.map((p) => roman[p]);
  if (mapped.some((m) => m === undefined) || mapped.length > 2) return undefined;
  return `PHASE ${mapped.join('/')}`;
}
