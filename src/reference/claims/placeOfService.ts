/**
 * CMS place-of-service codes (public domain, CMS Place of Service Code Set) used on claims,
 * with our short names.
 */
export interface PlaceOfService {
  code: string;
  name: string;
}

export const PLACES_OF_SERVICE: readonly PlaceOfService[] = [
  { code: '11', name: 'Office' },
  { code: '12', name: 'Home' },
  { code: '19', name: 'Off-campus outpatient hospital' },
  { code: '21', name: 'Inpatient hospital' },
  { code: '22', name: 'On-campus outpatient hospital' },
  { code: '23', name: 'Emergency room, hospital' },
  { code: '24', name: 'Ambulatory surgical center' },
  { code: '31', name: 'Skilled nursing facility' },
  { code: '81', name: 'Independent laboratory' },
];

export type ClaimSetting = 'office' | 'emergency' | 'inpatient' | 'outpatient_surgery' | 'lab';

/** Place of service by claim setting (outpatient surgery can also be 24, ambulatory surgical center). */
export const SETTING_POS: Readonly<Record<ClaimSetting, string>> = {
  office: '11',
  emergency: '23',
  inpatient: '21',
  outpatient_surgery: '22',
  lab: '81',
};

export function placeOfService(code: string): PlaceOfService | undefined {
  return PLACES_OF_SERVICE.find((x) => x.code === code);
}
