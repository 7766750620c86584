/** Claims-side code tables: procedures (CPT/HCPCS/revenue), places of service, NDC products, AE terms, payers. */
export * from './procedures.js';
export * from './placeOfService.js';
export * from './ndc.js';
export * from './adverseEvents.js';
export * from './payers.js';
export * from './specialties.js';
export * from './paDrugs.js';
