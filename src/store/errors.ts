/**
 * Typed store errors with stable codes (the CLI maps them to messages and exit codes).
 */
export type StoreErrorCode =
  | 'DB_LOCKED'
  | 'NOT_A_DATABASE'
  | 'DATASET_NOT_FOUND'
  | 'INVALID_DATASET_NAME'
  | 'QUERY_REFUSED'
  | 'QUERY_TIMEOUT'
  | 'QUERY_FAILED'
  | 'DUPLICATE_KEY'
  | 'MISSING_TABLE'
  | 'UNKNOWN_FORMAT'
  | 'DATA_MISSING';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Another process holds the DuckDB file read-write (DuckDB allows one writer process). */
export class DatabaseLockedError extends StoreError {
  readonly path: string;
  readonly pid: number | undefined;
  constructor(path: string, pid: number | undefined, cause?: unknown) {
    const by = pid === undefined ? 'another process' : `pid ${pid}`;
    super('DB_LOCKED', `database ${path} is locked by ${by} (another healthsim build?)`, { cause });
    this.name = 'DatabaseLockedError';
    this.path = path;
    this.pid = pid;
  }
}

export class NotADatabaseError extends StoreError {
  readonly path: string;
  constructor(path: string, cause?: unknown) {
    super(
      'NOT_A_DATABASE',
      `${path} is not a DuckDB database file; move or delete it (healthsim rebuilds the database from its cache), or point the config's database path elsewhere`,
      { cause },
    );
    this.name = 'NotADatabaseError';
    this.path = path;
  }
}

export class DatasetNotFoundError extends StoreError {
  readonly dataset: string;
  constructor(dataset: string) {
    super('DATASET_NOT_FOUND', `dataset "${dataset}" is not in the database (run healthsim build ${dataset})`);
    this.name = 'DatasetNotFoundError';
    this.dataset = dataset;
  }
}

export class QueryRefusedError extends StoreError {
  constructor(message: string, cause?: unknown) {
    super('QUERY_REFUSED', message, { cause });
    this.name = 'QueryRefusedError';
  }
}

export class QueryTimeoutError extends StoreError {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super('QUERY_TIMEOUT', `query exceeded ${formatSeconds(timeoutMs)} s and was interrupted`);
    this.name = 'QueryTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// With file access restricted to the listed files, DuckDB reads a missing file's name as a
// directory to search and refuses "<file>/**/*.parquet"; without the restriction it finds no files.
const MISSING_FILE = /No files found that match the pattern "([^"]+)"|Cannot open file "([^"]+\.parquet)"|Cannot access file "([^"]+\.parquet)\/\*\*\/\*\.parquet"/;

/**
 * A dataset stored as views reads its build's Parquet files; when one is gone (project moved,
 * cache removed by hand), DuckDB's IO error becomes this, saying how to restore it.
 */
export function missingDataError(err: unknown): StoreError | undefined {
  const m = MISSING_FILE.exec(errorMessage(err));
  if (!m) return undefined;
  return new StoreError(
    'DATA_MISSING',
    `the dataset's data file ${m[1] ?? m[2] ?? m[3]} is missing (the project was moved or its .healthsim/cache was removed); run healthsim build to restore it`,
    { cause: err },
  );
}
