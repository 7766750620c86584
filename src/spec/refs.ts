/** References a spec makes to things outside itself, with positions, for cross-file checks. */
/**
 * `drug`: a medication as a profile names it (drug name, brand, RxCUI or drug class); `lab`: a lab
 * panel (cmp), test key (hba1c) or LOINC code, as a journey orders it.
 */
export type CodeSystem = 'icd10cm' | 'loinc' | 'rxnorm' | 'cpt' | 'drug' | 'lab';

export interface SpecRef {
  file: string;
  line: number;
  col: number;
  /** display path, e.g. clinical.comorbidities[0].code */
  path: string;
}

export interface CodeRef extends SpecRef {
  system: CodeSystem;
  code: string;
}

/** A skill named by a journey (`condition:` alias or `parameters.skill_ref.skill`). */
export interface SkillRef extends SpecRef {
  name: string;
  /** `condition:` is an alias; `skill_ref` names a skill id */
  via: 'condition' | 'skill_ref';
  lookup?: string;
  /** where `lookup` is written */
  lookupAt?: SpecRef;
}
