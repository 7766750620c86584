/**
 * SDTMIG 3.3 metadata for the domains healthsim writes: variable names, labels, types and
 * order as in the implementation guide (the subset our data populates), plus the NCI CDISC
 * controlled-terminology codelists we use. Character lengths are not fixed here: they are the
 * longest value in the data (at least 1, at most 200), as submission datasets usually are.
 */

export interface SdtmVariable {
  name: string;
  label: string;
  type: 'Char' | 'Num';
  /** NCI CDISC CT codelist short name(s), when the variable is controlled. */
  codelist?: string | readonly string[];
}

export interface SdtmDomain {
  name: string;
  label: string;
  class: string;
  structure: string;
  keys: readonly string[];
  variables: readonly SdtmVariable[];
}

const c = (name: string, label: string, codelist?: string | readonly string[]): SdtmVariable => ({ name, label, type: 'Char', codelist });
const n = (name: string, label: string): SdtmVariable => ({ name, label, type: 'Num' });

const ID = [c('STUDYID', 'Study Identifier'), c('DOMAIN', 'Domain Abbreviation'), c('USUBJID', 'Unique Subject Identifier')];
const VISIT = [n('VISITNUM', 'Visit Number'), c('VISIT', 'Visit Name')];

export const DOMAINS: Readonly<Record<'DM' | 'AE' | 'DS' | 'EX' | 'LB' | 'SV' | 'TS' | 'VS', SdtmDomain>> = {
  DM: {
    name: 'DM',
    label: 'Demographics',
    class: 'SPECIAL PURPOSE',
    structure: 'One record per subject',
    keys: ['STUDYID', 'USUBJID'],
    variables: [
      ...ID,
      c('SUBJID', 'Subject Identifier for the Study'),
      c('RFSTDTC', 'Subject Reference Start Date/Time'),
      c('RFENDTC', 'Subject Reference End Date/Time'),
      c('RFXSTDTC', 'Date/Time of First Study Treatment'),
      c('RFXENDTC', 'Date/Time of Last Study Treatment'),
      c('RFICDTC', 'Date/Time of Informed Consent'),
      c('RFPENDTC', 'Date/Time of End of Participation'),
      c('DTHDTC', 'Date/Time of Death'),
      c('DTHFL', 'Subject Death Flag', 'NY'),
      c('SITEID', 'Study Site Identifier'),
      c('BRTHDTC', 'Date/Time of Birth'),
      n('AGE', 'Age'),
      c('AGEU', 'Age Units', 'AGEU'),
      c('SEX', 'Sex', 'SEX'),
      c('RACE', 'Race', 'RACE'),
      c('ETHNIC', 'Ethnicity', 'ETHNIC'),
      c('ARMCD', 'Planned Arm Code'),
      c('ARM', 'Description of Planned Arm'),
      c('ACTARMCD', 'Actual Arm Code'),
      c('ACTARM', 'Description of Actual Arm'),
      c('ARMNRS', 'Reason Arm and/or Actual Arm is Null', 'ARMNULRS'),
      c('COUNTRY', 'Country', 'COUNTRY'),
    ],
  },
  AE: {
    name: 'AE',
    label: 'Adverse Events',
    class: 'EVENTS',
    structure: 'One record per adverse event per subject',
    keys: ['STUDYID', 'USUBJID', 'AEDECOD', 'AESTDTC'],
    variables: [
      ...ID,
      n('AESEQ', 'Sequence Number'),
      c('AESPID', 'Sponsor-Defined Identifier'),
      c('AETERM', 'Reported Term for the Adverse Event'),
      c('AEDECOD', 'Dictionary-Derived Term'),
      c('AEBODSYS', 'Body System or Organ Class'),
      c('AESEV', 'Severity/Intensity', 'AESEV'),
      c('AESER', 'Serious Event', 'NY'),
      c('AEACN', 'Action Taken with Study Treatment', 'ACN'),
      c('AEREL', 'Causality'),
      c('AEOUT', 'Outcome of Adverse Event', 'OUT'),
      c('AETOXGR', 'Standard Toxicity Grade', 'TOXGRV5'),
      c('AESTDTC', 'Start Date/Time of Adverse Event'),
      c('AEENDTC', 'End Date/Time of Adverse Event'),
      n('AESTDY', 'Study Day of Start of Adverse Event'),
      n('AEENDY', 'Study Day of End of Adverse Event'),
    ],
  },
  DS: {
    name: 'DS',
    label: 'Disposition',
    class: 'EVENTS',
    structure: 'One record per disposition status or protocol milestone per subject',
    keys: ['STUDYID', 'USUBJID', 'DSDECOD', 'DSSTDTC'],
    variables: [
      ...ID,
      n('DSSEQ', 'Sequence Number'),
      c('DSTERM', 'Reported Term for the Disposition Event'),
      c('DSDECOD', 'Standardized Disposition Term', ['NCOMPLT', 'PROTMLST']),
      c('DSCAT', 'Category for Disposition Event', 'DSCAT'),
      c('DSSTDTC', 'Start Date/Time of Disposition Event'),
      n('DSSTDY', 'Study Day of Start of Disposition Event'),
    ],
  },
  EX: {
    name: 'EX',
    label: 'Exposure',
    class: 'INTERVENTIONS',
    structure: 'One record per protocol-specified study treatment, constant-dosing interval, per subject',
    keys: ['STUDYID', 'USUBJID', 'EXTRT', 'EXSTDTC'],
    variables: [
      ...ID,
      n('EXSEQ', 'Sequence Number'),
      c('EXTRT', 'Name of Treatment'),
      n('EXDOSE', 'Dose'),
      c('EXDOSU', 'Dose Units', 'UNIT'),
      c('EXROUTE', 'Route of Administration', 'ROUTE'),
      ...VISIT,
      c('EXSTDTC', 'Start Date/Time of Treatment'),
      c('EXENDTC', 'End Date/Time of Treatment'),
      n('EXSTDY', 'Study Day of Start of Treatment'),
      n('EXENDY', 'Study Day of End of Treatment'),
    ],
  },
  LB: {
    name: 'LB',
    label: 'Laboratory Test Results',
    class: 'FINDINGS',
    structure: 'One record per lab test per time point per visit per subject',
    keys: ['STUDYID', 'USUBJID', 'LBTESTCD', 'VISITNUM'],
    variables: [
      ...ID,
      n('LBSEQ', 'Sequence Number'),
      c('LBTESTCD', 'Lab Test or Examination Short Name.', 'LBTESTCD'),
      c('LBTEST', 'Lab Test or Examination Name', 'LBTEST'),
      c('LBCAT', 'Category for Lab Test'),
      c('LBORRES', 'Result or Finding in Original Units'),
      c('LBORRESU', 'Original Units', 'UNIT'),
      c('LBORNRLO', 'Reference Range Lower Limit in Orig Unit'),
      c('LBORNRHI', 'Reference Range Upper Limit in Orig Unit'),
      c('LBSTRESC', 'Character Result/Finding in Std Format'),
      n('LBSTRESN', 'Numeric Result/Finding in Standard Units'),
      c('LBSTRESU', 'Standard Units', 'UNIT'),
      n('LBSTNRLO', 'Reference Range Lower Limit-Std Units'),
      n('LBSTNRHI', 'Reference Range Upper Limit-Std Units'),
      c('LBNRIND', 'Reference Range Indicator', 'NRIND'),
      c('LBSTAT', 'Completion Status', 'ND'),
      c('LBLOINC', 'LOINC Code'),
      ...VISIT,
      c('LBDTC', 'Date/Time of Specimen Collection'),
      n('LBDY', 'Study Day of Specimen Collection'),
    ],
  },
  SV: {
    name: 'SV',
    label: 'Subject Visits',
    class: 'SPECIAL PURPOSE',
    structure: 'One record per subject per actual visit',
    keys: ['STUDYID', 'USUBJID', 'VISITNUM'],
    variables: [
      ...ID,
      ...VISIT,
      c('SVSTDTC', 'Start Date/Time of Visit'),
      c('SVENDTC', 'End Date/Time of Visit'),
      n('SVSTDY', 'Study Day of Start of Visit'),
      n('SVENDY', 'Study Day of End of Visit'),
    ],
  },
  TS: {
    name: 'TS',
    label: 'Trial Summary',
    class: 'TRIAL DESIGN',
    structure: 'One record per trial summary parameter value',
    keys: ['STUDYID', 'TSPARMCD', 'TSSEQ'],
    variables: [
      c('STUDYID', 'Study Identifier'),
      c('DOMAIN', 'Domain Abbreviation'),
      n('TSSEQ', 'Sequence Number'),
      c('TSPARMCD', 'Trial Summary Parameter Short Name', 'TSPARMCD'),
      c('TSPARM', 'Trial Summary Parameter', 'TSPARM'),
      c('TSVAL', 'Parameter Value'),
      c('TSVALCD', 'Parameter Value Code'),
      c('TSVCDREF', 'Name of the Reference Terminology'),
    ],
  },
  VS: {
    name: 'VS',
    label: 'Vital Signs',
    class: 'FINDINGS',
    structure: 'One record per vital sign measurement per time point per visit per subject',
    keys: ['STUDYID', 'USUBJID', 'VSTESTCD', 'VISITNUM'],
    variables: [
      ...ID,
      n('VSSEQ', 'Sequence Number'),
      c('VSTESTCD', 'Vital Signs Test Short Name', 'VSTESTCD'),
      c('VSTEST', 'Vital Signs Test Name', 'VSTEST'),
      c('VSORRES', 'Result or Finding in Original Units'),
      c('VSORRESU', 'Original Units', 'VSRESU'),
      c('VSSTRESC', 'Character Result/Finding in Std Format'),
      n('VSSTRESN', 'Numeric Result/Finding in Standard Units'),
      c('VSSTRESU', 'Standard Units', 'VSRESU'),
      c('VSSTAT', 'Completion Status', 'ND'),
      ...VISIT,
      c('VSDTC', 'Date/Time of Measurements'),
      n('VSDY', 'Study Day of Vital Signs'),
    ],
  },
};

/**
 * NCI CDISC controlled terminology, with the codelists' C-codes. `terms` are the values the
 * mapping accepts (anything else becomes the codelist's fallback); an empty list means an
 * extensible codelist whose values come from the data (units, lab tests). define.json lists,
 * for each codelist, the terms that actually occur.
 */
export const CODELISTS: Readonly<Record<string, { nciCode: string; terms: readonly string[] }>> = {
  NY: { nciCode: 'C66742', terms: ['N', 'Y'] },
  AGEU: { nciCode: 'C66781', terms: ['YEARS'] },
  SEX: { nciCode: 'C66731', terms: ['F', 'M', 'U'] },
  RACE: {
    nciCode: 'C74457',
    terms: ['AMERICAN INDIAN OR ALASKA NATIVE', 'ASIAN', 'BLACK OR AFRICAN AMERICAN', 'MULTIPLE', 'NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER', 'NOT REPORTED', 'OTHER', 'UNKNOWN', 'WHITE'],
  },
  ETHNIC: { nciCode: 'C66790', terms: ['HISPANIC OR LATINO', 'NOT HISPANIC OR LATINO', 'NOT REPORTED', 'UNKNOWN'] },
  ARMNULRS: { nciCode: 'C142179', terms: ['ASSIGNED, NOT TREATED', 'NOT ASSIGNED', 'SCREEN FAILURE'] },
  COUNTRY: { nciCode: 'C66786', terms: ['USA'] },
  AESEV: { nciCode: 'C66769', terms: ['MILD', 'MODERATE', 'SEVERE'] },
  ACN: {
    nciCode: 'C66767',
    terms: ['DOSE INCREASED', 'DOSE NOT CHANGED', 'DOSE RATE REDUCED', 'DOSE REDUCED', 'DRUG INTERRUPTED', 'DRUG WITHDRAWN', 'NOT APPLICABLE', 'UNKNOWN'],
  },
  OUT: {
    nciCode: 'C66768',
    terms: ['FATAL', 'NOT RECOVERED/NOT RESOLVED', 'RECOVERED/RESOLVED', 'RECOVERED/RESOLVED WITH SEQUELAE', 'RECOVERING/RESOLVING', 'UNKNOWN'],
  },
  TOXGRV5: { nciCode: 'C178190', terms: ['1', '2', '3', '4', '5'] },
  NCOMPLT: {
    nciCode: 'C66727',
    terms: ['ADVERSE EVENT', 'COMPLETED', 'DEATH', 'LOST TO FOLLOW-UP', 'PROGRESSIVE DISEASE', 'SCREEN FAILURE', 'WITHDRAWAL BY SUBJECT'],
  },
  PROTMLST: { nciCode: 'C114118', terms: ['INFORMED CONSENT OBTAINED', 'RANDOMIZED'] },
  DSCAT: { nciCode: 'C74558', terms: ['DISPOSITION EVENT', 'PROTOCOL MILESTONE', 'OTHER EVENT'] },
  ROUTE: { nciCode: 'C66729', terms: ['INTRAVENOUS', 'ORAL', 'SUBCUTANEOUS', 'INTRAMUSCULAR', 'INHALATION', 'TOPICAL'] },
  NRIND: { nciCode: 'C78736', terms: ['HIGH', 'LOW', 'NORMAL'] },
  ND: { nciCode: 'C66789', terms: ['NOT DONE'] },
  VSTESTCD: { nciCode: 'C66741', terms: ['BMI', 'DIABP', 'HEIGHT', 'OXYSAT', 'PULSE', 'RESP', 'SYSBP', 'TEMP', 'WEIGHT'] },
  VSTEST: {
    nciCode: 'C67153',
    terms: ['Body Mass Index', 'Diastolic Blood Pressure', 'Height', 'Oxygen Saturation', 'Pulse Rate', 'Respiratory Rate', 'Systolic Blood Pressure', 'Temperature', 'Weight'],
  },
  UNIT: { nciCode: 'C71620', terms: [] },
  VSRESU: { nciCode: 'C66770', terms: ['C', 'F', 'IU', 'LB', 'beats/min', 'breaths/min', 'cm', 'in', 'kg', 'kg/m2', 'mmHg', '%'] },
  LBTESTCD: { nciCode: 'C65047', terms: [] },
  LBTEST: { nciCode: 'C67154', terms: [] },
  TSPARM: { nciCode: 'C67152', terms: [] },
  TSPARMCD: { nciCode: 'C66738', terms: ['ACTSUB', 'INDIC', 'NARMS', 'PLANSUB', 'SPONSOR', 'SSTDTC', 'STYPE', 'TITLE', 'TPHASE'] },
};

/** VSTESTCD → VSTEST (CT C66741 / C67153). */
export const VS_TESTS: Readonly<Record<string, string>> = {
  BMI: 'Body Mass Index',
  DIABP: 'Diastolic Blood Pressure',
  HEIGHT: 'Height',
  OXYSAT: 'Oxygen Saturation',
  PULSE: 'Pulse Rate',
  RESP: 'Respiratory Rate',
  SYSBP: 'Systolic Blood Pressure',
  TEMP: 'Temperature',
  WEIGHT: 'Weight',
};

/** LBTESTCD → LBTEST for the common chemistry and hematology tests (CT C65047 / C67154). */
export const LB_TESTS: Readonly<Record<string, string>> = {
  ALB: 'Albumin',
  ALP: 'Alkaline Phosphatase',
  ALT: 'Alanine Aminotransferase',
  AST: 'Aspartate Aminotransferase',
  BILI: 'Bilirubin',
  BUN: 'Blood Urea Nitrogen',
  CREAT: 'Creatinine',
  GLUC: 'Glucose',
  HBA1C: 'Hemoglobin A1C',
  HCT: 'Hematocrit',
  HGB: 'Hemoglobin',
  K: 'Potassium',
  LYM: 'Lymphocytes',
  NEUT: 'Neutrophils',
  PLAT: 'Platelets',
  SODIUM: 'Sodium',
  WBC: 'Leukocytes',
};

/** Trial phase (model: 'PHASE III') → TPHASE term and C-code. */
export const TRIAL_PHASE: Readonly<Record<string, { term: string; code: string }>> = {
  'PHASE 0': { term: 'PHASE 0 TRIAL', code: 'C54721' },
  'PHASE I': { term: 'PHASE I TRIAL', code: 'C15600' },
  'PHASE I/II': { term: 'PHASE I/II TRIAL', code: 'C15693' },
  'PHASE II': { term: 'PHASE II TRIAL', code: 'C15601' },
  'PHASE II/III': { term: 'PHASE II/III TRIAL', code: 'C15694' },
  'PHASE III': { term: 'PHASE III TRIAL', code: 'C15602' },
  'PHASE IV': { term: 'PHASE IV TRIAL', code: 'C15603' },
};

/** UCUM unit → CDISC UNIT term. */
export function cdiscUnit(ucum: string | undefined, testcd?: string): string | undefined {
  if (!ucum) return undefined;
  if (ucum === '/min') return testcd === 'RESP' ? 'breaths/min' : 'beats/min';
  const fixed: Record<string, string> = { 'mm[Hg]': 'mmHg', Cel: 'C', '[degF]': 'F', '[lb_av]': 'LB', '[in_i]': 'in', '[iU]': 'IU' };
  return fixed[ucum] ?? ucum.replace(/10\*(\d+)/g, '10^$1');
}
