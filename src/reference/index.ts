export { icd10, lookup as icd10Lookup, exists as icd10Exists, descendants as icd10Descendants, normalizeIcd10, ICD10CM_VERSION } from './icd10.js';
export type { Icd10Code } from './icd10.js';
export { geography, GEOGRAPHY_VERSION } from './geography.js';
export type { County, ZipArea } from './geography.js';
export { firstNamesFor, surnameTable, pickWeighted, titleCase, NAMES_VERSION } from './names.js';
export type { WeightedNames } from './names.js';
export { loinc, LOINC_TESTS, LAB_PANELS, loincByKey, loincByCode, expandPanel, LOINC_VERSION } from './loinc.js';
export type { LoincTest } from './loinc.js';
export { rxnorm, RX_DRUGS, findDrug, drugsInClass, RXNORM_VERSION } from './rxnorm.js';
export type { RxDrug } from './rxnorm.js';
export { codeExists, registerCodeChecker } from './codes.js';
export type { CodeSystem, CodeChecker } from './codes.js';
export { resolveSkill, lookupSkill, skillRegistry, shippedSkills, normalizeSkill, SkillRegistry } from './skills.js';
export type { Skill, SkillLabModel, SkillMedLine, SkillMedOption, SkillComplication, SkillProcedure } from './skills.js';

import { ICD10CM_VERSION } from './icd10.js';
import { GEOGRAPHY_VERSION } from './geography.js';
import { NAMES_VERSION } from './names.js';
import { LOINC_VERSION } from './loinc.js';
import { RXNORM_VERSION } from './rxnorm.js';

/** Part of every generate step key: changing shipped reference data changes outputs. */
export const REFERENCE_DATA_VERSION = [
  `icd10cm=${ICD10CM_VERSION}`,
  `geography=${GEOGRAPHY_VERSION}`,
  `names=${NAMES_VERSION}`,
  `loinc=${LOINC_VERSION}`,
  `rxnorm=${RXNORM_VERSION}`,
  'skills=1',
].join(';');
