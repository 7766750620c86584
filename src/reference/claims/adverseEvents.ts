/**
 * Adverse-event terms in the style of MedDRA preferred terms, each with its MedDRA system organ
 * class name. MedDRA itself is licensed (ICH/MSSO) and is not shipped: these are common clinical
 * terms paired with the SOC they conventionally sit under, with no MedDRA codes.
 *
 * `weight` is the relative frequency among AEs in an oncology (NSCLC chemo-immunotherapy) trial,
 * synthetic; `maxGrade` caps the CTCAE grade a term can take (e.g. alopecia is grade 1–2).
 */
export interface AdverseEventTerm {
  term: string;
  soc: string;
  weight: number;
  maxGrade: 2 | 3 | 4 | 5;
  /** more frequent on active treatment than on the comparator */
  treatmentRelated: boolean;
}

const SOC = {
  blood: 'Blood and lymphatic system disorders',
  gi: 'Gastrointestinal disorders',
  general: 'General disorders and administration site conditions',
  infections: 'Infections and infestations',
  investigations: 'Investigations',
  metabolism: 'Metabolism and nutrition disorders',
  musculoskeletal: 'Musculoskeletal and connective tissue disorders',
  nervous: 'Nervous system disorders',
  respiratory: 'Respiratory, thoracic and mediastinal disorders',
  skin: 'Skin and subcutaneous tissue disorders',
  endocrine: 'Endocrine disorders',
  vascular: 'Vascular disorders',
  psychiatric: 'Psychiatric disorders',
  cardiac: 'Cardiac disorders',
} as const;

const ae = (term: string, soc: string, weight: number, maxGrade: AdverseEventTerm['maxGrade'], treatmentRelated: boolean): AdverseEventTerm => ({
  term, soc, weight, maxGrade, treatmentRelated,
});

export const ADVERSE_EVENT_TERMS: readonly AdverseEventTerm[] = [
  ae('Fatigue', SOC.general, 14, 3, true),
  ae('Nausea', SOC.gi, 12, 3, true),
  ae('Anaemia', SOC.blood, 10, 4, true),
  ae('Decreased appetite', SOC.metabolism, 8, 3, true),
  ae('Constipation', SOC.gi, 7, 3, false),
  ae('Diarrhoea', SOC.gi, 7, 4, true),
  ae('Neutropenia', SOC.blood, 7, 4, true),
  ae('Vomiting', SOC.gi, 5, 3, true),
  ae('Dyspnoea', SOC.respiratory, 6, 4, false),
  ae('Cough', SOC.respiratory, 6, 2, false),
  ae('Pyrexia', SOC.general, 4, 3, false),
  ae('Rash', SOC.skin, 5, 3, true),
  ae('Pruritus', SOC.skin, 3, 3, true),
  ae('Alopecia', SOC.skin, 3, 2, true),
  ae('Arthralgia', SOC.musculoskeletal, 4, 3, false),
  ae('Back pain', SOC.musculoskeletal, 3, 3, false),
  ae('Peripheral sensory neuropathy', SOC.nervous, 4, 3, true),
  ae('Headache', SOC.nervous, 3, 3, false),
  ae('Thrombocytopenia', SOC.blood, 4, 4, true),
  ae('Alanine aminotransferase increased', SOC.investigations, 3, 4, true),
  ae('Aspartate aminotransferase increased', SOC.investigations, 3, 4, true),
  ae('Hypothyroidism', SOC.endocrine, 2, 3, true),
  ae('Pneumonitis', SOC.respiratory, 1.5, 5, true),
  ae('Pneumonia', SOC.infections, 3, 5, false),
  ae('Urinary tract infection', SOC.infections, 2, 3, false),
  ae('Hyponatraemia', SOC.metabolism, 2, 4, false),
  ae('Hypertension', SOC.vascular, 2, 3, false),
  ae('Insomnia', SOC.psychiatric, 2, 2, false),
  ae('Atrial fibrillation', SOC.cardiac, 1, 4, false),
  ae('Febrile neutropenia', SOC.blood, 1.5, 5, true),
];

export const SYSTEM_ORGAN_CLASSES: readonly string[] = Object.values(SOC).slice().sort();
