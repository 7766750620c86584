/**
 * Multi-machine builds end to end: four real `healthsim build --shard K/4` processes, then
 * `healthsim shards combine`, compared with a one-machine `healthsim build` of the same project:
 * identical healthsim.lock, cache entries, export bytes and database rows. Then the ways a shard
 * directory can be unusable (missing, unfinished, corrupt, stale, mixed N), each refused with the
 * command that fixes it and nothing changed.
 */
import { spawn } from 'node:child_process';
import { cp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, exists, hashTree, tempDir, type Run } from './helpers.js';

/** Two generated datasets (patientsim with a journey, membersim), a merge and two exports. */
const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  cohort: { profile: profiles/elderly-diabetic.yaml, journey: journeys/diabetic-year-one.yaml, count: 25, tags: [diabetes] }
  members: { profile: profiles/medicare-advantage-ca.yaml, count: 18 }
  both: { merge: [cohort, members], tags: [combined] }
exports:
  both-csv: { dataset: both, format: csv, path: outputs/exports/both-csv }
  cohort-parquet: { dataset: cohort, format: parquet, path: outputs/exports/cohort-parquet }
`;

function run(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // blocks of 3 entities: every shard of these small datasets gets blocks (and the block size is part of the step keys)
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', HEALTHSIM_BLOCK_SIZE: '3' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const healthsim = (cwd: string, ...args: string[]): Promise<Run> => run(cwd, [BIN, ...args]);

const combine = (cwd: string, ...args: string[]): Promise<Run> => healthsim(cwd, 'shards', 'combine', ...args);

/** A project directory holding the specs of `from` (and, optionally, a copy of its shards). */
async function projectLike(from: string, opts: { shards?: boolean; config?: string } = {}): Promise<string> {
  const dir = await tempDir('healthsim-shards-');
  for (const f of ['profiles', 'journeys']) await cp(path.join(from, f), path.join(dir, f), { recursive: true });
  await writeFile(path.join(dir, 'healthsim.config.yaml'), opts.config ?? CONFIG);
  if (opts.shards) await cp(path.join(from, 'outputs', 'shards'), path.join(dir, 'outputs', 'shards'), { recursive: true });
  return dir;
}

async function nothingChanged(dir: string): Promise<void> {
  expect(await exists(path.join(dir, '.healthsim', 'cache'))).toBe(false);
  expect(await exists(path.join(dir, 'outputs', 'healthsim.duckdb'))).toBe(false);
  expect(await exists(path.join(dir, 'healthsim.lock'))).toBe(false);
}

describe('build --shard K/4 on four processes, then shards combine', () => {
  const dirs: string[] = [];
  let sharded: string; // the four shard processes ran here, then combine
  let single: string; // one-machine build of the same project
  let combined: Run;
  let shardRuns: Run[];

  beforeAll(async () => {
    sharded = await projectLike(REPO);
    single = await projectLike(REPO);
    dirs.push(sharded, single);
    const [oneMachine, ...shards] = await Promise.all([
      healthsim(single, 'build'),
      ...[0, 1, 2, 3].map((k) => healthsim(sharded, 'build', '--shard', `${k}/4`)),
    ]);
    expect(oneMachine.stderr).toBe('');
    expect(oneMachine.code).toBe(0);
    shardRuns = shards;
    for (const r of shards) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    combined = await combine(sharded);
  }, 90_000);
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('each shard writes its Parquet and then a manifest with the step key, rows and sha256 per file', async () => {
    expect(shardRuns[2].stdout).toContain('shard 2/4 members  (members 3, claims 38, claim_lines 63)  → outputs/shards/members/<table>/shard=2/');
    const lock = JSON.parse(await readFile(path.join(single, 'healthsim.lock'), 'utf8'));
    const m = JSON.parse(await readFile(path.join(sharded, 'outputs', 'shards', 'members', '_shard-2-of-4.json'), 'utf8'));
    expect(m).toMatchObject({ version: 1, dataset: 'members', step: 'generate:members', key: lock.steps['generate:members'].key, shard: { index: 2, count: 4 } });
    expect(m.tables).toEqual({ providers: 0, facilities: 0, payers: 0, plans: 0, members: 3, claims: 38, claim_lines: 63 });
    expect(m.files.map((f: { file: string }) => f.file)).toEqual(Object.keys(m.tables).map((t) => `${t}/shard=2/u0000-b000003.parquet`));
    const onDisk = await hashTree(path.join(sharded, 'outputs', 'shards', 'members'));
    for (const f of m.files) expect(onDisk[f.file]).toBe(f.sha256);
  });

  it('the shards read as one Hive-partitioned table hold exactly the rows of the one-machine build', async () => {
    const lock = JSON.parse(await readFile(path.join(single, 'healthsim.lock'), 'utf8'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const digest = async (sql: string): Promise<string> =>
      String((await conn.runAndReadAll(`SELECT count(*) || ':' || md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))) FROM (${sql}) t`)).getRows()[0][0]);
    try {
      for (const [ds, tables] of [['cohort', ['providers', 'patients', 'encounters', 'lab_results']], ['members', ['plans', 'members', 'claims', 'claim_lines']]] as const) {
        const key = lock.steps[`generate:${ds}`].key;
        for (const t of tables) {
          const one = await digest(`SELECT * FROM read_parquet('${path.join(single, '.healthsim', 'cache', key, `${t}.parquet`)}')`);
          const glob = path.join(sharded, 'outputs', 'shards', ds, t, '*', '*.parquet');
          expect(await digest(`SELECT * EXCLUDE (shard) FROM read_parquet('${glob}', hive_partitioning = true)`), `${ds}.${t}`).toBe(one);
        }
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('imports every dataset and builds: exit 0, with what was imported', () => {
    expect(combined.stderr).toBe('');
    expect(combined.code).toBe(0);
    const lines = combined.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'imported generate:cohort from 4 shards  (providers 23, facilities 5, patients 25, encounters 256, diagnoses 94, lab_results 2751, medications 113, procedures 21, allergies 2)',
    );
    expect(lines[1]).toBe('imported generate:members from 4 shards  (providers 26, facilities 4, payers 3, plans 9, members 18, claims 186, claim_lines 345)');
    expect(lines.filter((l) => /^ran\s/.test(l)).map((l) => l.split(/\s+/)[1]).sort()).toEqual([
      'export:both-csv',
      'export:cohort-parquet',
      'merge:both',
      'persist:both',
      'persist:cohort',
      'persist:members',
    ]);
    expect(lines.at(-1)).toMatch(/^combined 2 datasets from shards; 6 steps ran, in /);
  });

  it('gives the same healthsim.lock, cache entries and export bytes as the one-machine build', async () => {
    const lockText = await readFile(path.join(single, 'healthsim.lock'), 'utf8');
    expect(await readFile(path.join(sharded, 'healthsim.lock'), 'utf8')).toBe(lockText);
    const lock = JSON.parse(lockText);
    for (const step of ['generate:cohort', 'generate:members', 'merge:both']) {
      const key = lock.steps[step].key;
      const one = await hashTree(path.join(single, '.healthsim', 'cache', key));
      expect(Object.keys(one)).toContain(step === 'generate:members' ? 'members.parquet' : 'patients.parquet');
      expect(await hashTree(path.join(sharded, '.healthsim', 'cache', key)), step).toEqual(one); // Parquet bytes and manifest.json
    }
    const exportsOne = await hashTree(path.join(single, 'outputs', 'exports'));
    expect(Object.keys(exportsOne)).toContain('cohort-parquet/patients.parquet');
    expect(await hashTree(path.join(sharded, 'outputs', 'exports'))).toEqual(exportsOne);
  });

  it('gives the same rows in every table of the database, catalog included', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      await conn.run(`ATTACH '${path.join(single, 'outputs', 'healthsim.duckdb')}' AS one (READ_ONLY)`);
      await conn.run(`ATTACH '${path.join(sharded, 'outputs', 'healthsim.duckdb')}' AS sharded (READ_ONLY)`);
      const tables = async (db: string): Promise<string[]> =>
        (await conn.runAndReadAll(
          `SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = '${db}'
           UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE database_name = '${db}' AND NOT internal
           ORDER BY 1`,
        )).getRows().map((r) => String(r[0])).filter((t) => t !== 'healthsim_catalog.files'); // absolute paths differ by project
      const list = await tables('one');
      expect(list).toContain('both.claim_lines');
      expect(list).toContain('healthsim_catalog.datasets');
      expect(await tables('sharded')).toEqual(list);
      for (const t of list) {
        const count = async (sql: string): Promise<number> => Number((await conn.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0][0]);
        expect(await count(`SELECT * FROM one.${t}`), t).toBe(await count(`SELECT * FROM sharded.${t}`));
        expect(await count(`SELECT * FROM one.${t} EXCEPT ALL SELECT * FROM sharded.${t}`), t).toBe(0);
        expect(await count(`SELECT * FROM sharded.${t} EXCEPT ALL SELECT * FROM one.${t}`), t).toBe(0);
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('a second combine finds everything in the cache and changes nothing', async () => {
    const lockBefore = await readFile(path.join(sharded, 'healthsim.lock'), 'utf8');
    const r = await combine(sharded, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; combined: { step: string; status: string }[]; build: { steps: { status: string }[] } };
    expect(report.combined.map((c) => [c.step, c.status])).toEqual([
      ['generate:cohort', 'cached'],
      ['generate:members', 'cached'],
    ]);
    expect(report.build.steps.filter((s) => s.status === 'ran')).toEqual([]);
    expect(await readFile(path.join(sharded, 'healthsim.lock'), 'utf8')).toBe(lockBefore);
  });

  // the refusals only read the shards of `sharded`: they run side by side
  describe.concurrent('refusals', () => {
    it('rejects a malformed --shard or combine option as a usage error', async ({ expect }) => {
      const r = await healthsim(sharded, 'build', '--shard', '4/4');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('error: --shard must be K/N with 0 ≤ K < N (got "4/4")\n');
      const c = await combine(sharded, '--jobs', '0');
      expect(c.code).toBe(2);
      expect(c.stderr).toBe('error: --jobs must be an integer from 1 to 64 (got "0")\n');
    });

    it('refuses missing, unfinished and corrupt shards, naming the command to rerun; nothing changes', async ({ expect }) => {
      const dir = await projectLike(sharded, { shards: true });
      dirs.push(dir);
      const shards = path.join(dir, 'outputs', 'shards');
      // shard 2 of members never ran; shard 1 of cohort was killed before its manifest; a file of shard 3 was cut short
      for (const t of ['providers', 'facilities', 'payers', 'plans', 'members', 'claims', 'claim_lines']) await rm(path.join(shards, 'members', t, 'shard=2'), { recursive: true });
      await rm(path.join(shards, 'members', '_shard-2-of-4.json'));
      await rm(path.join(shards, 'cohort', '_shard-1-of-4.json'));
      await truncate(path.join(shards, 'cohort', 'encounters', 'shard=3', 'u0000-b000006.parquet'), 100);
      const r = await combine(dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toEqual([
        'error: generate:cohort: shard 1/4 is missing (outputs/shards/cohort/_shard-1-of-4.json not found; its Parquet files are there, so the shard did not finish)',
        '  fix: healthsim build --shard 1/4 --shard-dir outputs/shards cohort',
        expect.stringMatching(/^error: generate:cohort: shard 3\/4: outputs\/shards\/cohort\/encounters\/shard=3\/u0000-b000006\.parquet has 100 bytes, its manifest says \d+$/),
        '  fix: healthsim build --shard 3/4 --shard-dir outputs/shards cohort',
        'error: generate:members: shard 2/4 is missing (outputs/shards/members/_shard-2-of-4.json not found)',
        '  fix: healthsim build --shard 2/4 --shard-dir outputs/shards members',
        'shards not combined: 3 problems; nothing was changed',
        '',
      ]);
      await nothingChanged(dir);

      // a targeted combine needs only the shards of what it builds (members, unaffected by the cohort problems)
      await rm(path.join(shards, 'cohort'), { recursive: true });
      const none = await combine(dir, '--json', 'generate:cohort');
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout).problems).toEqual([
        {
          step: 'generate:cohort',
          dataset: 'cohort',
          reason: 'no-shards',
          message: 'generate:cohort: no finished shard in outputs/shards/cohort',
          fix: 'healthsim build --shard K/N --shard-dir outputs/shards cohort, for K = 0 … N-1',
        },
      ]);
      await nothingChanged(dir);
    });

    it('a shard another live process is writing is neither rewritten nor read; --wait goes on once it is gone', async ({ expect }) => {
      const dir = await projectLike(sharded, { shards: true });
      dirs.push(dir);
      const members = path.join(dir, 'outputs', 'shards', 'members');
      const manifest = path.join(members, '_shard-2-of-4.json');
      const before = await readFile(manifest, 'utf8');
      // shard 2 of members held by a live process of this machine (as a running `build --shard 2/4` holds it)
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        const lock = path.join(members, '.shard-2.lock');
        await writeFile(lock, JSON.stringify({ pid: holder.pid, host: os.hostname(), token: 'held', beat: 0 }));
        const message = `error: shard 2 of members is being written by pid ${holder.pid} on this machine (another healthsim build --shard 2/N or shards combine); wait for it to finish, or run again with --wait SECONDS. Lock file: `;
        const again = await healthsim(dir, 'build', '--shard', '2/4', 'members');
        expect(again.code).toBe(1);
        expect(again.stderr.startsWith(message)).toBe(true);
        expect(again.stderr.trimEnd().endsWith(path.join('members', '.shard-2.lock'))).toBe(true);
        expect(await readFile(manifest, 'utf8')).toBe(before); // its manifest and files were not touched
        const c = await combine(dir);
        expect(c.code).toBe(1);
        expect(c.stderr.startsWith(message)).toBe(true);
        await nothingChanged(dir);
        expect(await exists(path.join(dir, 'outputs', 'shards', 'cohort', '.shard-0.lock'))).toBe(false); // combine released what it took
        setTimeout(() => holder.kill('SIGKILL'), 1000);
        const waited = await combine(dir, '--wait', '60');
        expect(waited.stderr).toBe('');
        expect(waited.code).toBe(0);
        expect(await exists(lock)).toBe(false);
        expect(await readFile(path.join(dir, 'healthsim.lock'), 'utf8')).toBe(await readFile(path.join(single, 'healthsim.lock'), 'utf8'));
      } finally {
        holder.kill('SIGKILL');
      }
    });

    it('refuses shards built from an older spec (their key is not the current one)', async ({ expect }) => {
      const lock = JSON.parse(await readFile(path.join(single, 'healthsim.lock'), 'utf8'));
      const dir = await projectLike(sharded, { shards: true, config: CONFIG.replace('count: 25', 'count: 24') });
      dirs.push(dir);
      const r = await combine(dir, '--json');
      expect(r.code).toBe(1);
      const problems = JSON.parse(r.stdout).problems as { step: string; reason: string; shard: { index: number }; message: string; fix: string }[];
      expect(problems.map((p) => [p.step, p.reason, p.shard.index])).toEqual([0, 1, 2, 3].map((k) => ['generate:cohort', 'stale', k]));
      const old = lock.steps['generate:cohort'].key.slice(0, 12);
      expect(problems[0].message).toMatch(new RegExp(`^generate:cohort: shard 0/4 was built from another version of the spec or engine \\(key ${old}, current [0-9a-f]{12}\\)$`));
      expect(problems[0].message).not.toContain(`current ${old}`);
      expect(problems[3].fix).toBe('healthsim build --shard 3/4 --shard-dir outputs/shards cohort');
      await nothingChanged(dir);
    });

    it('refuses shards of different splits in one directory (a real --shard 1/2 run over a 4-way split)', async ({ expect }) => {
      const dir = await projectLike(sharded, { shards: true });
      dirs.push(dir);
      const extra = await healthsim(dir, 'build', '--shard', '1/2', '--shard-dir', 'outputs/shards', 'members');
      expect(extra.code).toBe(0);
      const r = await combine(dir, '--shard-dir', 'outputs/shards', 'members');
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').slice(0, 2)).toEqual([
        'error: generate:members: the shards in outputs/shards/members disagree on N (_shard-1-of-2.json, _shard-0-of-4.json, _shard-1-of-4.json, _shard-2-of-4.json, _shard-3-of-4.json); shards of different splits share the shard=K directories, so none can be trusted',
        '  fix: rm -r outputs/shards/members and rerun every shard with one N: healthsim build --shard K/N --shard-dir outputs/shards members',
      ]);
      await nothingChanged(dir);
    });
  });
});
