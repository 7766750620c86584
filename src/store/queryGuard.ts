/**
 * SELECT-only queries on a dataset. DuckDB's own parser decides what a statement is (no
 * regular expressions): exactly one statement, prepared, whose statement type is SELECT, run on
 * a separate instance opened READ_ONLY with extension auto-loading off, external access disabled
 * (no file or URL reads) and the configuration locked (the query cannot turn any of it back on).
 */
import { StatementType, type DuckDBConnection, type DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { DatabaseLockedError, DatasetNotFoundError, QueryRefusedError, QueryTimeoutError, StoreError, errorMessage, missingDataError } from './errors.js';
import { isOpenInProcess, openInstance } from './projectDb.js';
import { restrictFileAccess } from './catalog.js';
import { schemaNameFor, sqlString } from './sql.js';
import { toJsonValue, type JsonValue } from './values.js';

export interface QueryOptions {
  limit?: number;
  offset?: number;
  timeoutMs?: number;
}

export interface QueryColumn { name: string; type: string }

export interface QueryResult {
  columns: QueryColumn[];
  rows: JsonValue[][];
  total: number;
  offset: number;
  limit: number;
  hasMore: boolean;
}

const STATEMENT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(StatementType).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v as number, k]),
);

/** The statement type DuckDB's parser assigns, as a readable name (`DELETE`, `COPY`, …). */
export function statementTypeName(type: number): string {
  return (STATEMENT_NAMES[type] ?? `type ${type}`).replace(/_/g, ' ');
}

function refusalFor(err: unknown): StoreError {
  const message = errorMessage(err);
  const missing = missingDataError(err);
  if (missing) return missing;
  if (/disabled by configuration|Permission Error/i.test(message)) {
    return new QueryRefusedError(`refused: queries may only read the database, not files or URLs (${firstLine(message)})`, err);
  }
  if (/read-only/i.test(message)) return new QueryRefusedError(`refused: the database is opened read-only (${firstLine(message)})`, err);
  if (/extension|autoload|INSTALL|LOAD/i.test(message) && /Catalog Error|not in the catalog|extension/i.test(message)) {
    return new QueryRefusedError(`refused: extensions are not available to queries (${firstLine(message)})`, err);
  }
  return new StoreError('QUERY_FAILED', firstLine(message), { cause: err });
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/^Failed to extract statements: /, '');
}

const EMPTY = 'refused: the query is empty; give one SELECT statement';

/** Rejects unless the text is exactly one SELECT statement (DuckDB's parser decides). */
async function assertSingleSelect(conn: DuckDBConnection, sql: string): Promise<void> {
  let extracted;
  try {
    extracted = await conn.extractStatements(sql);
  } catch (err) {
    // The binding reports zero extracted statements (blank text, comments only) this way.
    if (errorMessage(err) === 'Error in native callback') throw new QueryRefusedError(EMPTY);
    throw refusalFor(err);
  }
  if (extracted.count === 0) throw new QueryRefusedError(EMPTY);
  if (extracted.count > 1) throw new QueryRefusedError(`refused: ${extracted.count} statements given; only one SELECT statement is allowed`);
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (err) {
    throw refusalFor(err);
  }
  const type = prepared.statementType;
  prepared.destroySync();
  if (type !== StatementType.SELECT) {
    throw new QueryRefusedError(`refused: ${statementTypeName(type)} statements are not allowed; only SELECT queries can be run`);
  }
}

async function withTimeout<T>(conn: DuckDBConnection, timeoutMs: number, run: () => Promise<T>): Promise<T> {
  let fired = false;
  const timer = setTimeout(() => { fired = true; conn.interrupt(); }, timeoutMs);
  try {
    return await run();
  } catch (err) {
    if (fired) throw new QueryTimeoutError(timeoutMs);
    throw refusalFor(err);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the guarded, read-only connection with `dataset` as the default schema. */
async function openGuarded(dbPath: string, dataset: string): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  const schema = schemaNameFor(dataset);
  // A second instance on a file this process writes would bypass DuckDB's per-process lock.
  if (isOpenInProcess(dbPath)) throw new DatabaseLockedError(dbPath, process.pid);
  const instance = await openInstance(dbPath, { access_mode: 'READ_ONLY', memory_limit: '2GB' });
  const conn = await instance.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ${sqlString(schema)} AND database_name = current_database()`);
    if (Number(r.getRows()[0][0]) === 0) throw new DatasetNotFoundError(dataset);
    await conn.run(`SET schema = ${sqlString(schema)}`);
    await restrictFileAccess(conn);
    await conn.run('SET lock_configuration = true');
    return { instance, conn };
  } catch (err) {
    conn.closeSync();
    instance.closeSync();
    throw err;
  }
}

/**
 * Runs one SELECT against dataset `dataset` in the database at `dbPath`. Unqualified table names
 * resolve to the dataset's schema; other datasets are reachable as `other_dataset.table`.
 * Returns one page (`limit` rows from `offset`) and the total row count.
 */
export async function runGuardedQuery(dbPath: string, dataset: string, sql: string, options: QueryOptions = {}): Promise<QueryResult> {
  const limit = Math.max(0, Math.floor(options.limit ?? 20));
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { instance, conn } = await openGuarded(dbPath, dataset);
  try {
    await assertSingleSelect(conn, sql);
    // The statement is wrapped as a subquery for paging; the wrapped text is parsed and checked again.
    const body = sql.replace(/[\s;]+$/, '');
    const pageSql = `SELECT * FROM (\n${body}\n) AS healthsim_query LIMIT ${limit} OFFSET ${offset}`;
    const countSql = `SELECT count(*) FROM (\n${body}\n) AS healthsim_query`;
    await assertSingleSelect(conn, pageSql);
    await assertSingleSelect(conn, countSql);
    return await withTimeout(conn, timeoutMs, async () => {
      const page = await conn.runAndReadAll(pageSql);
      const totalReader = await conn.runAndReadAll(countSql);
      const total = Number(totalReader.getRows()[0][0]);
      const columns = page.columnNames().map((name, i) => ({ name, type: page.columnType(i).toString() }));
      const rows = page.getRows().map((row) => row.map((v) => toJsonValue(v as DuckDBValue)));
      return { columns, rows, total, offset, limit, hasMore: offset + rows.length < total };
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
