import type { Product, TableDef } from './types.js';
import { patients } from './tables/patients.js';
import { encounters } from './tables/encounters.js';
import { diagnoses } from './tables/diagnoses.js';
import { labResults } from './tables/lab_results.js';
import { medications } from './tables/medications.js';
import { procedures } from './tables/procedures.js';
import { allergies } from './tables/allergies.js';
import { providers } from './tables/providers.js';
import { facilities } from './tables/facilities.js';
import { payers } from './tables/payers.js';
import { plans } from './tables/plans.js';
import { members } from './tables/members.js';
import { claims } from './tables/claims.js';
import { claimLines } from './tables/claim_lines.js';
import { pharmacyClaims } from './tables/pharmacy_claims.js';
import { studies } from './tables/studies.js';
import { sites } from './tables/sites.js';
import { arms } from './tables/arms.js';
import { subjects } from './tables/subjects.js';
import { visits } from './tables/visits.js';
import { adverseEvents } from './tables/adverse_events.js';
import { dispositionEvents } from './tables/disposition_events.js';
import { trialLabResults } from './tables/trial_lab_results.js';
import { exposures } from './tables/exposures.js';
import { drugs } from './tables/drugs.js';
import { planDrugCoverage } from './tables/plan_drug_coverage.js';
import { paForms } from './tables/pa_forms.js';
import { paPolicies } from './tables/pa_policies.js';

/** Every table, in dependency order (a table appears after the tables it references). */
export const ALL_TABLES: readonly TableDef[] = [
  providers, facilities, payers, plans,
  patients, encounters, diagnoses, labResults, medications, procedures, allergies,
  members, claims, claimLines, pharmacyClaims,
  studies, sites, arms, subjects, visits, adverseEvents, dispositionEvents, trialLabResults, exposures,
  drugs, planDrugCoverage, paForms, paPolicies,
];

const BY_NAME = new Map(ALL_TABLES.map((t) => [t.name, t]));

export function tableByName(name: string): TableDef | undefined {
  return BY_NAME.get(name);
}

/** Tables a dataset built from these products contains, in dependency order. */
export function tablesForProducts(products: readonly Product[]): TableDef[] {
  return ALL_TABLES.filter((t) => t.products.some((p) => products.includes(p)));
}

/** The column merged datasets add to every table, naming the dataset a row came from. */
export const SOURCE_DATASET_COLUMN = 'source_dataset';
