/**
 * Visit and service codes used for encounters and procedures: CPT codes with OUR OWN short
 * labels (CPT descriptors are AMA-licensed and not shipped).
 */
export const VISIT_LABELS: Record<string, string> = {
  '99203': 'Office visit, new patient, low complexity',
  '99204': 'Office visit, new patient, moderate complexity',
  '99212': 'Office visit, established patient, straightforward',
  '99213': 'Office visit, established patient, low complexity',
  '99214': 'Office visit, established patient, moderate complexity',
  '99215': 'Office visit, established patient, high complexity',
  '99284': 'Emergency department visit, moderately high severity',
  '99285': 'Emergency department visit, high severity',
  '99223': 'Initial hospital inpatient care, high complexity',
  '99391': 'Preventive visit, established patient, under 1 year',
  '99392': 'Preventive visit, established patient, age 1-4',
  '99393': 'Preventive visit, established patient, age 5-11',
  '99394': 'Preventive visit, established patient, age 12-17',
  '99395': 'Preventive visit, established patient, age 18-39',
  '99396': 'Preventive visit, established patient, age 40-64',
  '99397': 'Preventive visit, established patient, age 65+',
  '99441': 'Telephone evaluation and management, 5-10 minutes',
};

export const DEFAULT_VISIT_CODE: Record<string, string> = { AMB: '99213', EMER: '99284', IMP: '99223', VR: '99213' };

/** The established-patient preventive medicine visit for the person's age (CPT 99391–99397). */
export function preventiveVisitCode(age: number): string {
  return age >= 65 ? '99397' : age >= 40 ? '99396' : age >= 18 ? '99395' : age >= 12 ? '99394' : age >= 5 ? '99393' : age >= 1 ? '99392' : '99391';
}

export function visitLabel(code: string): string {
  return VISIT_LABELS[code] ?? 'Clinical encounter';
}
