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
  /** the keys the profile left out, which hold adult defaults (children's rates are scaled by age) */
  defaulted?: UtilizationKey[];
}

export type UtilizationKey = 'pcp_visits_per_year' | 'specialist_visits_per_year' | 'er_visits_per_year' | 'inpatient_admits_per_year' | 'monthly_fills';

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
  /** `views` over the build cache's Parquet (default) or self-contained `tables` */
  storage: 'views' | 'tables';
  skills_dir?: string;
  datasets: DatasetConfig[]; // sorted by name
  exports: ExportConfig[];
}

/**
 * A skill (condition pack) as data, in the shape `skills/*.yaml` are written in and the engine
 * reads (src/reference/skills.ts `Skill` is this plus the raw document; keep the two in step).
 * Normalized: every default the engine assumes is filled in; weights keep their file order
 * (severity levels run from best to worst controlled).
 */
export interface SkillDrugDose {
  /** a drug key or name the RxNorm table knows (metformin, insulin_glargine) */
  drug: string;
  /** dose options per administration, in the drug's unit */
  doses?: number[];
  frequency?: string;
}

export interface SkillMedOption extends SkillDrugDose {
  weight: number;
  /** co-prescribed drugs started with this option (a regimen) */
  also?: SkillDrugDose[];
}

export interface SkillMedLine {
  line: number;
  /** probability that a person reaches this line */
  probability: number;
  options: SkillMedOption[];
}

export interface SkillLabModel {
  loinc?: string;
  frequency_days?: number;
  /** visit-to-visit variation around the person's level */
  within_person_sd?: number;
  /** the person's usual level per severity; min/max bound every result */
  by_severity?: Record<string, Distribution>;
}

export interface SkillComplication {
  code: string;
  description?: string;
  prevalence: number;
  /** a companion code diagnosed with the complication (E11.22 → N18.30) */
  also?: string;
}

export interface SkillEncounterType {
  code: string;
  code_system: string;
  class: string;
  description: string;
}

export interface SkillProcedure {
  code: string;
  code_system: string;
  description: string;
  annual_probability: number;
}

export interface NormalizedSkill {
  id: string;
  /** defaults to the id */
  name: string;
  /** default 1 */
  version: number;
  /** names a journey event's `condition:` or a profile may use besides the id */
  aliases: string[];
  codes: { category: string[]; billable: Weights; uncomplicated?: string };
  /** severity / control level → weight, best to worst; {} when the pack has none */
  severity: Weights;
  severity_codes?: Record<string, Weights>;
  monitoring: { panels: string[]; labs: Record<string, SkillLabModel> };
  /** add_on default false; outcomes default {"inadequate response": 1} */
  medications: { lines: SkillMedLine[]; add_on: boolean; outcomes: Weights };
  complications: SkillComplication[];
  /** default every 365 days, encounter 99213 (CPT, AMB) */
  visits: { cadence_days: number; encounter: SkillEncounterType };
  procedures: SkillProcedure[];
}
