/** The store layer: DuckDB persistence, catalog, summaries, guarded queries, merge/clone, exports. */
export * from './errors.js';
export { schemaNameFor, assertDatasetName } from './sql.js';
export { writeParquetTables, releaseWriterBuffers, type TableRows, type WrittenTable } from './writeParquet.js';
export { copyTableToParquet, PARQUET_OPTIONS } from './parquet.js';
export { openProjectDb, closeProjectDb, isOpenInProcess, translateDamagedDatabase, type ProjectDb, type OpenOptions } from './projectDb.js';
export { SOURCE_DATASET_COLUMN } from '../model/registry.js';
export { filesByTable, type DatasetFiles } from './datasetFiles.js';
export {
  CATALOG_SCHEMA, persistDataset, removeDataset, listDatasets, getDataset, listTags, getSummary, getSpec, referencedFiles, restrictFileAccess,
  type CatalogEntry, type DatasetKind, type DatasetStorage, type PersistInput,
} from './catalog.js';
export { summaryLine, type DatasetSummary } from './summary.js';
export { sampleEntities, type SampleResult } from './sample.js';
export { runGuardedQuery, type QueryOptions, type QueryResult, type QueryColumn } from './queryGuard.js';
export { mergeDatasets, type MergeSource, type MergeResult, type MergeConflict } from './merge.js';
export { cloneDataset, type CloneOptions, type CloneResult } from './clone.js';
export * from './exporters/index.js';
export type { JsonValue } from './values.js';
export { combineBlocks } from './combineParts.js';
