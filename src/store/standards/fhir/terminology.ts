/** FHIR R4 code-system URIs and the small value maps the FHIR mapping needs. */

export const SYSTEM = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  snomed: 'http://snomed.info/sct',
  ndc: 'http://hl7.org/fhir/sid/ndc',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  ucum: 'http://unitsofmeasure.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  placeOfService: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  cdcRace: 'urn:oid:2.16.840.1.113883.6.238',
  usCoreRace: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  usCoreEthnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  /** Our own identifier namespaces: `urn:healthsim:<column>`. */
  healthsim: (column: string) => `urn:healthsim:${column}`,
} as const;

/** The model's `code_system` values → FHIR system URIs. */
export function systemFor(codeSystem: string | undefined): string | undefined {
  if (!codeSystem) return undefined;
  const key = codeSystem.toUpperCase().replace(/[\s_-]/g, '');
  switch (key) {
    case 'ICD10CM': case 'ICD10': return SYSTEM.icd10cm;
    case 'LOINC': return SYSTEM.loinc;
    case 'RXNORM': return SYSTEM.rxnorm;
    case 'CPT': return SYSTEM.cpt;
    case 'HCPCS': return SYSTEM.hcpcs;
    case 'SNOMEDCT': case 'SNOMED': return SYSTEM.snomed;
    case 'NDC': return SYSTEM.ndc;
    default: return SYSTEM.healthsim(`codesystem:${codeSystem.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
  }
}

export const ENCOUNTER_CLASS_DISPLAY: Readonly<Record<string, string>> = {
  AMB: 'ambulatory',
  EMER: 'emergency',
  IMP: 'inpatient encounter',
  ACUTE: 'inpatient acute',
  OBSENC: 'observation encounter',
  HH: 'home health',
  VR: 'virtual',
};

/** OMB categories (CDC Race & Ethnicity code set) keyed by the model's text, upper-cased. */
export const OMB_RACE: Readonly<Record<string, string>> = {
  'AMERICAN INDIAN OR ALASKA NATIVE': '1002-5',
  ASIAN: '2028-9',
  'BLACK OR AFRICAN AMERICAN': '2054-5',
  'NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER': '2076-8',
  WHITE: '2106-3',
};

export const OMB_ETHNICITY: Readonly<Record<string, string>> = {
  'HISPANIC OR LATINO': '2135-2',
  'NOT HISPANIC OR LATINO': '2186-5',
};

export const INTERPRETATION_DISPLAY: Readonly<Record<string, string>> = {
  N: 'Normal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
  A: 'Abnormal',
};

export const MEDICATION_REQUEST_STATUS: Readonly<Record<string, string>> = {
  active: 'active',
  stopped: 'stopped',
  completed: 'completed',
  cancelled: 'cancelled',
  'on-hold': 'on-hold',
};
