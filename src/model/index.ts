export * from './types.js';
export * from './registry.js';
export * from './ddl.js';
