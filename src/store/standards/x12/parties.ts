/**
 * Who appears in the 837P/835: billing provider, rendering provider, subscriber and payer,
 * resolved from the model's rows. The model has no street lines or tax ids for providers and
 * facilities, so those are synthetic and stable (derived from the provider's id): a street line
 * `<n> MEDICAL PLAZA DR` and a 9-digit EIN.
 */
import type { Row } from '../../../model/index.js';
import { stableDigits, str } from '../common.js';
import { x12Id, x12Text } from './segments.js';

export interface X12Party {
  entity: '1' | '2';
  /** Last name or organization name. */
  name: string;
  first?: string;
  npi?: string;
  taxonomy?: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  ein: string;
}

export function providerParty(p: Row): X12Party {
  const key = String(p.provider_id);
  return {
    entity: '1',
    name: x12Text(p.last_name, 60),
    first: x12Text(p.first_name, 35),
    npi: x12Id(p.npi, 10) || undefined,
    taxonomy: x12Id(p.taxonomy_code, 10) || undefined,
    street: `${100 + Number(stableDigits(`street:${key}`, 3))} MEDICAL PLAZA DR`,
    city: x12Text(p.city, 30),
    state: x12Id(p.state, 2),
    zip: x12Id(p.zip, 5),
    ein: stableDigits(`ein:${key}`, 9),
  };
}

export function facilityParty(f: Row): X12Party {
  const key = String(f.facility_id);
  return {
    entity: '2',
    name: x12Text(f.name, 60),
    npi: x12Id(f.npi, 10) || undefined,
    street: `${100 + Number(stableDigits(`street:${key}`, 3))} MEDICAL PLAZA DR`,
    city: x12Text(f.city, 30),
    state: x12Id(f.state, 2),
    zip: x12Id(f.zip, 5),
    ein: stableDigits(`ein:${key}`, 9),
  };
}

/** NM1 for a party: person (1) or organization (2), NPI (XX) when known. */
export function nm1(code: string, p: X12Party): (string | undefined)[] {
  return [code, p.entity, p.name, p.entity === '1' ? p.first : undefined, undefined, undefined, undefined, p.npi ? 'XX' : undefined, p.npi];
}

/** Claim filing indicator (SBR09 / CLP06) from the plan's line of business and type. */
export function filingIndicator(plan: Row | undefined, member: Row | undefined): string {
  const lob = (str(plan?.line_of_business) ?? '').toUpperCase();
  const type = (str(plan?.plan_type) ?? str(member?.plan_type) ?? '').toUpperCase();
  if (lob.includes('MEDICARE')) return '16'; // HMO Medicare risk (Medicare Advantage)
  if (lob.includes('MEDICAID')) return 'MC';
  if (type === 'HMO') return 'HM';
  if (type === 'PPO') return '12';
  if (type === 'EPO') return '14';
  if (type === 'POS') return '13';
  return 'CI';
}
