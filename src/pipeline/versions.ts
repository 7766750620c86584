/**
 * Versions that take part in every step key. Bump ENGINE_VERSION when a change to generation
 * or storage changes output bytes; bump REFERENCE_DATA_VERSION when shipped code tables change.
 */
export const ENGINE_VERSION = '0.1.0';
export const REFERENCE_DATA_VERSION = 'icd10cm-fy2022+census2023+curated-2026.11';
