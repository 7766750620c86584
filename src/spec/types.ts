/**
 * Normalized spec types: what validation + normalization produce (defaults applied).
 * Generators, the planner and the store read only these shapes, never raw YAML.
 */
import type { Product } from '../model/types.js';

export type EntityProduct = Exclude<Product, 'pa'>;

/** A number drawn from a distribution; every kind accepts optional min/max clamps. */
export type Distribution =
  | { type: 'constant'; value: number }
  | { type: 'normal'; mean: number; std_dev: number; min?: number; max?: number }
  | { type: 'log_normal'; mean: number; std_dev: number; min?: number; max?: number } // mean/std_dev of the value, not of its log
  | { type: 'uniform'; min: number; max: number }
  | { type: 'poisson'; mean: number; min?: number; max?: number }
  | { type: 'categorical'; weights: Record<string, number> };

export type Weights = Record<string, number>;

export interface GeographySpec {
  /** national = US population-weighted; state; county (fips); weighted list of states or counties */
  kind: 'national' | 'state' | 'county' | 'weighted';
  states?: string[];
  county_fips?: string[];
  /** for kind weighted: keys are state abbreviations or 5-digit FIPS */
  weights?: Weights;
}

export interface DemographicsSpec {
  age: Distribution;
  gender: { male: number; female: number };
  geography: GeographySpec;
  race?: Weights;
  ethnicity?: Weights;
  /** seed 003: source: populationsim with reference {type: county, fips} */
  source?: 'manual' | 'populationsim';
  /** the reference the demographics were resolved from (source: populationsim) */
  reference?: { type: 'county' | 'state' | 'national'; fips?: string; state?: string };
}

export interface ConditionSpec {
  code: string; // dotted ICD-10-CM, may be a category (E11) or a full code (E11.65)
  description?: string;
  prevalence: number;
  severity?: Weights;
  /** optional explicit onset: years before reference_date */
  onset_years_ago?: Distribution;
}

export interface MedicationSpec {
  /** a drug name known to the reference tables (metformin, insulin_glargine …) or a class */
  name: string;
  prevalence: number;
  if?: string;
}

export interface ConditionalRule<T> {
  if?: string;
  else?: boolean;
  value: T;
}

export interface ClinicalSpec {
  primary_condition?: ConditionSpec;
  comorbidities: ConditionSpec[];
  medications: MedicationSpec[];
  /** derive diagnoses from labs/BMI as seed 002 does (BMI > 30 → E66.x …) */
  derived_conditions: boolean;
  allergies_rate: number;
}

export interface UtilizationSpec {
  pcp_visits_per_year: Distribution;
  specialist_visits_per_year: Distribution;
  er_visits_per_year: Distribution;
  inpatient_admits_per_year: Distribution;
  monthly_fills: Distribution;
}

export interface CoverageSpec {
  plan_distribution: Weights; // HMO/PPO/PFFS …
  line_of_business: string;
  payers: string[];
  part_d_rate: number;
  lis_rate: number;
  risk_score: Distribution;
  claims_months: number;
}

export interface PharmacySpec {
  adherence: Distribution; // proportion of days covered, 0..1
  ninety_day_rate: number;
  drugs: MedicationSpec[];
  tier_copays: Record<string, number>;
  months: number;
}

export interface TrialArmSpec {
  code: string;
  name: string;
  type: 'EXPERIMENTAL' | 'ACTIVE COMPARATOR' | 'PLACEBO COMPARATOR';
  ratio: number;
  treatment: string;
  ae_rate_multiplier: number;
}

export interface TrialSpec {
  protocol: string;
  title: string;
  phase: string;
  indication: string;
  indication_code: string;
  sponsor: string;
  sites: number;
  arms: TrialArmSpec[];
  visits: number;
  visit_interval_days: number;
  missed_visit_rate: number;
  screen_failure_rate: number;
  discontinuation_rate: number;
  ae_rate: number; // expected AEs per subject
  enrollment_months: number;
}

export interface PriorAuthSpec {
  payers: number;
  drugs: string[];
  coverage_rate: number;
  pa_rate: number;
  step_therapy_rate: number;
  policies: number;
}

export interface NormalizedProfile {
  id: string;
  description?: string;
  product: EntityProduct;
  products: EntityProduct[]; // generation.products, defaults to [product]
  generation: { count: number; seed?: number; batch_size: number };
  demographics: DemographicsSpec;
  clinical: ClinicalSpec;
  utilization?: UtilizationSpec;
  coverage?: CoverageSpec;
  pharmacy?: PharmacySpec;
  trial?: TrialSpec;
  prior_auth?: PriorAuthSpec;
  providers?: { specialty?: string; state?: string; source?: 'networksim' | 'generated' };
}

export type Timing =
  | { type: 'fixed'; day: number; jitter_days?: number }
  | { type: 'recurring'; interval_days: number; jitter_days: number; start_day: number }
  | { type: 'after'; event: string; delay_days: number; delay_days_min?: number; delay_days_max?: number };

export type JourneyEventType =
  | 'encounter'
  | 'lab_order'
  | 'medication'
  | 'procedure'
  | 'claim'
  | 'visit'
  | 'adverse_event';

export interface JourneyEvent {
  id: string;
  event_type: JourneyEventType;
  timing: Timing;
  condition?: string;
  probability: number;
  if?: string;
  parameters: Record<string, unknown>;
  codes: { icd10?: string; cpt?: string; loinc?: string; rxnorm?: string };
  /** name of the journey phase the event came from, if any */
  phase?: string;
}

export interface NormalizedJourney {
  id: string;
  description?: string;
  duration_days: number;
  events: JourneyEvent[];
}

export interface DatasetConfig {
  name: string;
  kind: 'generate' | 'merge' | 'clone';
  profiles: string[]; // project-relative paths (generate)
  journey?: string;
  count?: number;
  seed?: number;
  namespace?: string;
  merge?: string[];
  clone?: string;
  tags: string[];
  description?: string;
}

export type ExportFormat = 'csv' | 'parquet' | 'ndjson' | 'fhir' | 'sdtm' | 'x12' | 'ncpdp';

export interface ExportConfig {
  name: string;
  dataset: string;
  format: ExportFormat;
  path: string; // project-relative unless absolute and allowed
  tables?: string[];
}

export interface NormalizedConfig {
  version: 1;
  seed: number;
  reference_date: string; // YYYY-MM-DD
  output_dir: string;
  skills_dir?: string;
  datasets: DatasetConfig[]; // sorted by name
  exports: ExportConfig[];
}

/** A skill (condition pack) as data: codes, labs by control level, medication lines, complications. */
export interface SkillLabRange {
  mean: number;
  std_dev: number;
  min?: number;
  max?: number;
}

export interface SkillLab {
  name: string;
  loinc: string;
  unit: string;
  description?: string;
  decimals?: number;
  reference_range?: { low?: number; high?: number };
  /** keyed by control level (controlled, uncontrolled, …), sorted */
  by_control: Record<string, SkillLabRange>;
}

export interface SkillDrug {
  name: string;
  rxnorm?: string;
  ndc?: string;
  dose?: number | string;
  unit?: string;
  frequency?: string;
  route?: string;
  description?: string;
  days_supply?: number;
  prevalence?: number;
}

export interface SkillMedicationLine {
  line: number | string;
  description?: string;
  if?: string;
  prevalence?: number;
  drugs: SkillDrug[];
}

export interface NormalizedSkill {
  id: string;
  name?: string;
  description?: string;
  /** aliases a journey event's `condition:` may use (always includes the id) */
  conditions: string[];
  codes: Record<string, string[]>; // icd10, loinc, rxnorm, cpt, …
  severity?: Weights;
  labs: Record<string, SkillLab>;
  medications: { lines: SkillMedicationLine[] };
  complications: Array<{ code: string; description?: string; prevalence: number; if?: string }>;
  visit_cadence_days?: number;
  monitoring?: Record<string, unknown>;
  data?: Record<string, unknown>;
  /** top-level `x_…` / `x-…` keys, kept as written */
  extensions: Record<string, unknown>;
}
