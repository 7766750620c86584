/**
 * The project database (`outputs/healthsim.duckdb`): one DuckDB instance per file per process.
 * DuckDB lets one process hold a file read-write; a second one gets a lock error that we turn
 * into DatabaseLockedError with the holder's pid.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { scratchMemoryLimit } from './parquet.js';
import { DatabaseLockedError, NotADatabaseError, StoreError, errorMessage } from './errors.js';
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

/** DuckDB's messages for a truncated or damaged database file. */
const DAMAGED = /Could not read enough bytes from file|Corrupt database file|checksum/i;

const LOCK_PID = /Conflicting lock is held in .*?\(PID (\d+)\)/;

/** Maps DuckDB open errors to typed store errors; other errors are returned unchanged. */
export function translateOpenError(dbPath: string, err: unknown): unknown {
  const message = errorMessage(err);
  if (/Could not set lock on file/.test(message)) {
    const m = LOCK_PID.exec(message);
    return new DatabaseLockedError(dbPath, m ? Number(m[1]) : undefined, err);
  }
  if (/not a valid DuckDB database file/.test(message)) return new NotADatabaseError(dbPath, err);
  const unopenable = /Cannot open (?:database|file) .*?: (Read-only file system|Permission denied|No space left on device)/.exec(message);
  if (unopenable) {
    return Object.assign(new Error(`cannot open the database ${dbPath}: ${unopenable[1]}; make ${path.dirname(dbPath)} writable (and free space if needed), then run the command again`, { cause: err }), {
      code: 'DB_UNWRITABLE',
    });
  }
  if (DAMAGED.test(message)) {
    return new StoreError(
      'NOT_A_DATABASE',
      `${dbPath} is damaged (${message.split('\n')[0]}); move or delete it (healthsim rebuilds the database from its cache)`,
      { cause: err },
    );
  }
  return err;
}

const DAMAGED_FILE = /from file "([^"]+\.duckdb)"/;

/**
 * A damaged database can also show only when a later read reaches the damaged part (a small file
 * cut short opens fine). Such an error, raised anywhere, becomes the same NOT_A_DATABASE error an
 * open would give; other errors are returned unchanged.
 */
export function translateDamagedDatabase(err: unknown): unknown {
  const message = errorMessage(err);
  const m = DAMAGED_FILE.exec(message);
  return m && DAMAGED.test(message) ? translateOpenError(m[1], err) : err;
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

/** Handles open in this process, by resolved path: DuckDB's file lock is per process, so a second
 * instance on the same file in one process would not be refused by DuckDB itself. */
const OPEN = new Map<string, { db: ProjectDb; refs: number; close: () => void }>();

/** True when this process holds `dbPath` open through openProjectDb. */
export function isOpenInProcess(dbPath: string): boolean {
  return OPEN.has(path.resolve(dbPath));
}

/**
 * Opens (creating if needed, unless read-only) the project database and its catalog. Opening the
 * same file again in this process returns the same handle (reference-counted `close`); asking for
 * read-write while it is open read-only fails.
 */
export async function openProjectDb(dbPath: string, options: OpenOptions = {}): Promise<ProjectDb> {
  const resolved = path.resolve(dbPath);
  // Serialize opens of one path so two concurrent calls share one instance.
  const previous = OPENING.get(resolved) ?? Promise.resolve();
  const opening = previous.catch(() => undefined).then(() => openShared(dbPath, resolved, options));
  OPENING.set(resolved, opening);
  try {
    return await opening;
  } finally {
    if (OPENING.get(resolved) === opening) OPENING.delete(resolved);
  }
}

const OPENING = new Map<string, Promise<ProjectDb>>();

async function openShared(dbPath: string, resolved: string, options: OpenOptions): Promise<ProjectDb> {
  const readOnly = options.readOnly ?? false;
  const existing = OPEN.get(resolved);
  if (existing) {
    if (existing.db.readOnly && !readOnly) throw new DatabaseLockedError(dbPath, process.pid);
    existing.refs++;
    return existing.db;
  }
  if (!readOnly) await mkdir(path.dirname(resolved), { recursive: true });
  // A writable database gets the scratch budget (DuckDB's default is 80 % of RAM: persisting 84 M
  // rows then peaked at 3.3 GB RSS); beyond it DuckDB spills to `<db>.tmp`.
  const instance = await openInstance(dbPath, { ...(readOnly ? { access_mode: 'READ_ONLY' } : { memory_limit: scratchMemoryLimit() }), ...options.config });
  const conn = await instance.connect();
  try {
    if (!readOnly) await ensureCatalog(conn);
  } catch (err) {
    conn.closeSync();
    instance.closeSync();
    throw err;
  }
  let queue: Promise<unknown> = Promise.resolve();
  const entry = {
    refs: 1,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
    db: undefined as unknown as ProjectDb,
  };
  entry.db = {
    path: dbPath,
    readOnly,
    conn,
    exclusive<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
      const run = queue.then(() => fn(conn));
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      if (OPEN.get(resolved) !== entry) return;
      if (--entry.refs > 0) return;
      OPEN.delete(resolved);
      entry.close();
    },
  };
  OPEN.set(resolved, entry);
  return entry.db;
}

/** Releases a handle from openProjectDb (same as `db.close()`). */
export async function closeProjectDb(db: ProjectDb): Promise<void> {
  db.close();
}
