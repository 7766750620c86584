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
}

export interface PersonCondition {
  code: string;
  description: string;
  onset_date: string;
  is_primary: boolean;
  severity?: string;
}
