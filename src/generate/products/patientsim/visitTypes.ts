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
  '99395': 'Preventive visit, established patient, age 18-39',
  '99396': 'Preventive visit, established patient, age 40-64',
  '99397': 'Preventive visit, established patient, age 65+',
  '99441': 'Telephone evaluation and management, 5-10 minutes',
};

export const DEFAULT_VISIT_CODE: Record<string, string> = { AMB: '99213', EMER: '99284', IMP: '99223', VR: '99213' };

export function preventiveVisitCode(age: number): string {
  return age >= 65 ? '99397' : age >= 40 ? '99396' : '99395';
}

export function visitLabel(code: string): string {
  return VISIT_LABELS[code] ?? 'Clinical encounter';
}
