/**
 * Shared machinery for the fault-and-abuse suite (test/reliability, test/soak): a small project,
 * a real `healthsim build` child that can be killed at a chosen moment, and a snapshot of every
 * output (exports, cache, lock, database contents) to compare a recovered project with a clean one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BIN, REPO, exists, hashTree, tempDir } from '../e2e/helpers.js';

export { BIN, REPO, exists, hashTree, tempDir };
export { healthsim } from '../e2e/helpers.js';

/** Two generated datasets (one with a journey), a merge, and a csv + parquet export of the merge. */
export const SMALL_CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  cohort:
    profile: profiles/elderly-diabetic.yaml
    journey: journeys/diabetic-year-one.yaml
    count: 12
  hf:
    profile: profiles/heart-failure.yaml
    count: 6
  both:
    merge: [cohort, hf]
exports:
  both-csv: { dataset: both, format: csv, path: outputs/exports/both-csv }
  both-parquet: { dataset: both, format: parquet, path: outputs/exports/both-parquet }
`;

export const SMALL_DATASETS = ['both', 'cohort', 'hf'];

/** A fresh project directory with the example profiles/journeys and `config`. */
export async function smallProject(config = SMALL_CONFIG, prefix = 'hs-rel-'): Promise<string> {
  const dir = await tempDir(prefix);
  for (const f of ['profiles', 'journeys']) await cp(path.join(REPO, f), path.join(dir, f), { recursive: true });
  await writeFile(path.join(dir, 'healthsim.config.yaml'), config);
  return dir;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** true when the kill was delivered before the process exited on its own */
  killed: boolean;
  /** ms from spawn to the kill (or to exit when not killed) */
  atMs: number;
}

export interface KillPlan {
  /** kill once this many step lines ("ran …", "cached …", "up to date …") were printed */
  afterLines?: number;
  /** then wait this long (ms) before SIGKILL; alone: ms after spawn */
  delayMs: number;
}

const STEP_LINE = /^(ran|cached|up to date|failed|skipped)\s/m;

/** Spawn the real CLI; with a plan, SIGKILL it at that moment. Resolves when the process is gone. */
export function runCli(cwd: string, args: string[], plan?: KillPlan, env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let atMs = 0;
    let timer: NodeJS.Timeout | undefined;
    let armed = false;
    const arm = (): void => {
      if (armed || !plan) return;
      armed = true;
      timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) {
          killed = child.kill('SIGKILL');
          atMs = performance.now() - t0;
        }
      }, plan.delayMs);
    };
    const lines = (): number => stdout.split('\n').filter((l) => STEP_LINE.test(l)).length;
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (plan?.afterLines !== undefined && lines() >= plan.afterLines) arm();
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    if (plan && (plan.afterLines === undefined || plan.afterLines === 0)) arm();
    const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (!killed) atMs = performance.now() - t0;
      resolve({ code, signal, stdout, stderr, killed, atMs });
    });
  });
}

/** Every path (project-relative) whose name marks an unfinished write: `.tmp-`, `.old-`, `*.tmp-<pid>`. */
export async function leftovers(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (/(^|\.)tmp-|\.old-\d+/.test(e.name)) out.push(r);
      if (e.isDirectory() && r !== 'profiles' && r !== 'journeys') await walk(r);
    }
  };
  await walk('');
  return out.sort();
}

/** Cache entries that are not a complete entry (no manifest, or a file the manifest does not list / lacks). */
export async function halfCacheEntries(dir: string): Promise<string[]> {
  const root = path.join(dir, '.healthsim', 'cache');
  const bad: string[] = [];
  let names: string[] = [];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  for (const n of names) {
    if (!/^[0-9a-f]{64}$/.test(n)) continue;
    const files = (await readdir(path.join(root, n))).sort();
    if (!files.includes('manifest.json')) {
      bad.push(`${n}: no manifest`);
      continue;
    }
    const m = JSON.parse(await readFile(path.join(root, n, 'manifest.json'), 'utf8')) as { files: { file: string }[] };
    const listed = [...m.files.map((f) => f.file), 'manifest.json'].sort();
    if (JSON.stringify(listed) !== JSON.stringify(files)) bad.push(`${n}: files ${files.join(',')} vs manifest ${listed.join(',')}`);
  }
  return bad;
}

export type DbContents = Record<string, { rows: number; hash: string }>;

/**
 * Every user table and view of the project database: row count and an order-independent content
 * hash. The catalog's file list holds absolute paths; they are hashed relative to the project.
 */
export async function dbContents(dir: string): Promise<DbContents> {
  const file = path.join(dir, 'outputs', 'healthsim.duckdb');
  const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    const tables = (
      await conn.runAndReadAll(
        `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()
         UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
         ORDER BY 1, 2`,
      )
    ).getRows() as [string, string][];
    const out: DbContents = {};
    for (const [s, t] of tables) {
      // the catalog row holds the spec JSON (with absolute-free fields); hash it too
      const rel = s === 'healthsim_catalog' && t === 'files' ? `(SELECT * REPLACE (replace(path, '${dir}', '') AS path) FROM "${s}"."${t}")` : `"${s}"."${t}"`;
      const q = `SELECT count(*)::BIGINT AS n, coalesce(sum(hash(x))::VARCHAR, '0') AS h FROM ${rel} AS x`;
      const [[n, h]] = (await conn.runAndReadAll(q)).getRows() as [bigint, string][];
      out[`${s}.${t}`] = { rows: Number(n), hash: h };
    }
    return out;
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

export interface Snapshot {
  exports: Record<string, string>;
  cache: Record<string, string>;
  lock: string;
  db: DbContents;
}

export async function snapshot(dir: string): Promise<Snapshot> {
  return {
    exports: await hashTree(path.join(dir, 'outputs', 'exports')),
    cache: await hashTree(path.join(dir, '.healthsim', 'cache')),
    lock: await readFile(path.join(dir, 'healthsim.lock'), 'utf8'),
    db: await dbContents(dir),
  };
}

/** Row counts per dataset and table from the catalog, for a readable assertion. */
export function datasetRowCounts(db: DbContents, datasets: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(db)) if (datasets.includes(k.split('.')[0])) out[k] = v.rows;
  return out;
}

export async function rmrf(p: string): Promise<void> {
  await rm(p, { recursive: true, force: true });
}

export async function ensureDir(p: string): Promise<void> {
  await mkdir(p, { recursive: true });
}

/** Numbers from the environment, for soak tuning. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
