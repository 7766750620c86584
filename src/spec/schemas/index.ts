export { configSchema, EXPORT_FORMATS, NAME_PATTERN } from './config.js';
export { profileSchema, PRODUCTS, LINES_OF_BUSINESS, ARM_TYPES } from './profile.js';
export { journeySchema, EVENT_TYPES, TIMING_TYPES } from './journey.js';
export { skillSchema } from './skill.js';
export { DISTRIBUTION_TYPES, type JsonSchema } from './common.js';
