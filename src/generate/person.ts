/**
 * The synthetic person behind every product view (patient, member, subject). Drawn from the
 * `demographics` stream of entity i only, so journeys and products never change who people are.
 */
export interface Person {
  index: number;
  person_id: string;
  first_name: string;
  last_name: string;
  sex: 'M' | 'F';
  birth_date: string; // YYYY-MM-DD
  age: number; // at reference date
  race: string;
  ethnicity: string;
  address_line: string;
  city: string;
  state: string;
  zip: string;
  county_fips: string;
  county_name: string;
  phone: string;
  email: string;
  /** ICD-10-CM codes (dotted) of the conditions this person has, decided by the clinical stream. */
  conditions: PersonCondition[];
  /**
   * Latent clinical state drawn once with the conditions (stream `conditions`), so every
   * product, journey event and lab result sees the same physiology for this person.
   */
  clinical: PersonClinical;
}

export interface PersonClinical {
  height_cm: number;
  weight_kg: number;
  bmi: number;
  smoker: boolean;
  /** the person's usual level of each modelled analyte (LOINC table key → value): hba1c, egfr, ldl, systolic_bp … */
  levels: Record<string, number>;
  /** severity / control level per skill id of the person's conditions */
  severity: Record<string, string>;
  /** skill ids of the person's conditions, primary first, no duplicates */
  skills: string[];
}

export interface PersonCondition {
  code: string;
  description: string;
  onset_date: string;
  is_primary: boolean;
  severity?: string;
  /** skill (condition pack) id covering this code, when one does */
  skill?: string;
  /** how the condition arose: the profile (primary/comorbidity), a skill complication, or derived from labs/BMI/age */
  source?: 'profile' | 'complication' | 'derived';
}
