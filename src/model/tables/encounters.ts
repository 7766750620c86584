import { col, fk, type TableDef } from '../types.js';

export const encounters: TableDef = {
  name: 'encounters',
  description: 'Clinical encounters (visits, ED, admissions) produced by journeys and utilization.',
  products: ['patientsim'],
  primaryKey: ['encounter_id'],
  columns: [
    col('encounter_id', 'VARCHAR', 'Encounter identifier', { nullable: false }),
    fk('patient_id', 'patients', 'Patient seen'),
    col('start_date', 'DATE', 'First day of the encounter'),
    col('end_date', 'DATE', 'Last day of the encounter'),
    col('encounter_class', 'VARCHAR', 'HL7 v3 ActCode class: AMB, EMER, IMP, VR'),
    col('code', 'VARCHAR', 'Visit type code (CPT/HCPCS)', { codeSystem: 'CPT / HCPCS' }),
    col('code_system', 'VARCHAR', 'CPT or HCPCS'),
    col('description', 'VARCHAR', 'Visit type (our own short label)'),
    col('reason_code', 'VARCHAR', 'ICD-10-CM reason for the visit', { codeSystem: 'ICD-10-CM' }),
    col('reason_description', 'VARCHAR', 'ICD-10-CM description of the reason'),
    fk('provider_id', 'providers', 'Attending provider', true),
    fk('facility_id', 'facilities', 'Facility', true),
    col('journey_event', 'VARCHAR', 'Journey event id that produced the encounter (null for utilization)'),
  ],
};
