/** References a spec makes to things outside itself, with positions, for cross-file checks. */
export type CodeSystem = 'icd10cm' | 'loinc' | 'rxnorm' | 'cpt';

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
}
