import { col, type TableDef } from '../types.js';

export const providers: TableDef = {
  name: 'providers',
  description: 'Synthetic practitioners (NPI-shaped identifiers with a valid Luhn check digit).',
  products: ['patientsim', 'membersim', 'rxmembersim'],
  primaryKey: ['provider_id'],
  columns: [
    col('provider_id', 'VARCHAR', 'Provider identifier', { nullable: false }),
    col('npi', 'VARCHAR', '10-digit NPI-shaped number (synthetic, Luhn-valid)', { codeSystem: 'NPI (synthetic)' }),
    col('first_name', 'VARCHAR', 'Given name'),
    col('last_name', 'VARCHAR', 'Family name'),
    col('taxonomy_code', 'VARCHAR', 'NUCC provider taxonomy code', { codeSystem: 'NUCC provider taxonomy' }),
    col('specialty', 'VARCHAR', 'Specialty'),
    col('city', 'VARCHAR', 'Practice city'),
    col('state', 'VARCHAR', 'Practice state', { codeSystem: 'USPS state' }),
    col('zip', 'VARCHAR', 'Practice ZIP', { codeSystem: 'ZIP code' }),
    col('county_fips', 'VARCHAR', 'Practice county FIPS', { codeSystem: 'FIPS county' }),
  ],
};
