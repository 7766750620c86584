/**
 * The project database (`outputs/healthsim.duckdb`): one DuckDB instance per file per process.
 * DuckDB lets one process hold a file read-write; a second one gets a lock error that we turn
 * into DatabaseLockedError with the holder's pid.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseLockedError, NotADatabaseError, errorMessage } from './errors.js';
import { ensureCatalog } from './catalog.js';

export interface ProjectDb {
  /** Path as given (used in messages). */
  readonly path: string;
  readonly readOnly: boolean;
  readonly conn: DuckDBConnection;
  /** Runs `fn` with exclusive use of the connection (transactions must not interleave). */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>;
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Extra DuckDB options (e.g. `threads`). */
  config?: Record<string, string>;
}

const LOCK_PID = /Conflicting lock is held in .*?\(PID (\d+)\)/;

/** Maps DuckDB open errors to typed store errors; other errors are returned unchanged. */
export function translateOpenError(dbPath: string, err: unknown): unknown {
  const message = errorMessage(err);
  if (/Could not set lock on file/.test(message)) {
    const m = LOCK_PID.exec(message);
    return new DatabaseLockedError(dbPath, m ? Number(m[1]) : undefined, err);
  }
  if (/not a valid DuckDB database file/.test(message)) return new NotADatabaseError(dbPath, err);
  return err;
}

/** Opens a DuckDB file with extension auto-install/auto-load disabled, translating errors. */
export async function openInstance(dbPath: string, options: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(dbPath, {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      ...options,
    });
  } catch (err) {
    throw translateOpenError(dbPath, err);
  }
}

/** Opens (creating if needed, unless read-only) the project database and its catalog. */
export async function openProjectDb(dbPath: string, options: OpenOptions = {}): Promise<ProjectDb> {
  const readOnly = options.readOnly ?? false;
  if (!readOnly) await mkdir(path.dirname(path.resolve(dbPath)), { recursive: true });
  const instance = await openInstance(dbPath, { ...(readOnly ? { access_mode: 'READ_ONLY' } : {}), ...options.config });
  const conn = await instance.connect();
  if (!readOnly) await ensureCatalog(conn);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    path: dbPath,
    readOnly,
    conn,
    exclusive<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
      const run = queue.then(() => fn(conn));
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
