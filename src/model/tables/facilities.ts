import { col, type TableDef } from '../types.js';

export const facilities: TableDef = {
  name: 'facilities',
  description: 'Synthetic hospitals and clinics in the population\'s counties.',
  products: ['patientsim', 'membersim', 'rxmembersim'],
  primaryKey: ['facility_id'],
  columns: [
    col('facility_id', 'VARCHAR', 'Facility identifier', { nullable: false }),
    col('npi', 'VARCHAR', 'Organization NPI-shaped number (synthetic)', { codeSystem: 'NPI (synthetic)' }),
    col('name', 'VARCHAR', 'Facility name'),
    col('facility_type', 'VARCHAR', 'hospital, clinic, pharmacy'),
    col('bed_count', 'INTEGER', 'Staffed beds (hospitals)'),
    col('city', 'VARCHAR', 'City'),
    col('state', 'VARCHAR', 'State', { codeSystem: 'USPS state' }),
    col('zip', 'VARCHAR', 'ZIP', { codeSystem: 'ZIP code' }),
    col('county_fips', 'VARCHAR', 'County FIPS', { codeSystem: 'FIPS county' }),
  ],
};
