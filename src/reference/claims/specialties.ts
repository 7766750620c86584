/**
 * Provider specialties with their NUCC Health Care Provider Taxonomy codes (NUCC code set,
 * freely available at nucc.org), and the ICD-10-CM category prefixes whose patients they see.
 */
export interface Specialty {
  key: string;
  name: string;
  taxonomy: string;
  /** share of practitioners in a generated network */
  weight: number;
  /** condition prefixes that send a member to this specialty */
  conditions: readonly string[];
}

export const SPECIALTIES: readonly Specialty[] = [
  { key: 'internal_medicine', name: 'Internal Medicine', taxonomy: '207R00000X', weight: 26, conditions: [] },
  { key: 'family_medicine', name: 'Family Medicine', taxonomy: '207Q00000X', weight: 24, conditions: [] },
  { key: 'cardiology', name: 'Cardiovascular Disease', taxonomy: '207RC0000X', weight: 7, conditions: ['I50', 'I48', 'I25', 'I21', 'I10', 'I11', 'I13'] },
  { key: 'endocrinology', name: 'Endocrinology, Diabetes & Metabolism', taxonomy: '207RE0101X', weight: 4, conditions: ['E10', 'E11', 'E05', 'E03', 'E66'] },
  { key: 'pulmonology', name: 'Pulmonary Disease', taxonomy: '207RP1001X', weight: 4, conditions: ['J44', 'J45', 'J84', 'C34'] },
  { key: 'nephrology', name: 'Nephrology', taxonomy: '207RN0300X', weight: 3, conditions: ['N18', 'N17', 'I12'] },
  { key: 'ophthalmology', name: 'Ophthalmology', taxonomy: '207W00000X', weight: 4, conditions: ['H25', 'H40', 'E11.3'] },
  { key: 'oncology', name: 'Medical Oncology', taxonomy: '207RX0202X', weight: 3, conditions: ['C'] },
  { key: 'gastroenterology', name: 'Gastroenterology', taxonomy: '207RG0100X', weight: 3, conditions: ['K21', 'K57', 'K74', 'K76', 'K50', 'K51'] },
  { key: 'orthopedics', name: 'Orthopaedic Surgery', taxonomy: '207X00000X', weight: 4, conditions: ['M17', 'M16', 'M54', 'M81'] },
  { key: 'emergency_medicine', name: 'Emergency Medicine', taxonomy: '207P00000X', weight: 6, conditions: [] },
  { key: 'hospitalist', name: 'Hospitalist', taxonomy: '208M00000X', weight: 5, conditions: [] },
  { key: 'anesthesiology', name: 'Anesthesiology', taxonomy: '207L00000X', weight: 3, conditions: [] },
];

/**
 * Children's specialties: a network gets them (after every other provider, so an adult dataset's
 * network is the same as before they existed) only when its members can be under 18.
 */
export const CHILD_SPECIALTIES: readonly Specialty[] = [
  { key: 'pediatrics', name: 'Pediatrics', taxonomy: '208000000X', weight: 20, conditions: [] },
  { key: 'otolaryngology', name: 'Otolaryngology', taxonomy: '207Y00000X', weight: 2, conditions: ['J35', 'H65', 'H66'] },
];

/**
 * Who reads screening mammograms and does cervical screening: appended after every other
 * provider (children's included), so the providers a network had before keep their rows.
 */
export const SCREENING_SPECIALTIES: readonly Specialty[] = [
  { key: 'radiology', name: 'Diagnostic Radiology', taxonomy: '2085R0202X', weight: 3, conditions: [] },
  { key: 'obstetrics_gynecology', name: 'Obstetrics & Gynecology', taxonomy: '207V00000X', weight: 4, conditions: [] },
];

export function specialty(key: string): Specialty {
  const s = SPECIALTIES.find((x) => x.key === key) ?? CHILD_SPECIALTIES.find((x) => x.key === key) ?? SCREENING_SPECIALTIES.find((x) => x.key === key);
  if (!s) throw new Error(`unknown specialty ${key}`);
  return s;
}
