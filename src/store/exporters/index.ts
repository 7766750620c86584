export * from './sink.js';
export { csvSink, parquetSink, ndjsonSink, registerBuiltinSinks } from './tabular.js';
export * from './exportDataset.js';
