import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleProject, healthsim } from './helpers.js';

const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  cohort: { profile: profiles/elderly-diabetic.yaml, journey: journeys/diabetic-year-one.yaml, count: 25 }
  trial: { profile: profiles/oncology-trial.yaml, count: 10 }
`;

describe('build --shard K/N', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await exampleProject();
    await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('the union of N shards holds exactly the rows of a one-machine build', async () => {
    for (const k of [0, 1, 2]) {
      const r = healthsim(dir, 'build', '--shard', `${k}/3`);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(healthsim(dir, 'build').code).toBe(0);
    const lock = JSON.parse(await readFile(path.join(dir, 'healthsim.lock'), 'utf8'));
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const digest = async (sql: string): Promise<string> =>
      String((await conn.runAndReadAll(`SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))) FROM (${sql}) t`)).getRows()[0][0]);
    try {
      for (const [ds, tables] of [['cohort', ['patients', 'encounters', 'lab_results', 'providers']], ['trial', ['subjects', 'visits', 'studies']]] as const) {
        const key = lock.steps[`generate:${ds}`].key;
        for (const t of tables) {
          const one = path.join(dir, '.healthsim', 'cache', key, `${t}.parquet`);
          const shards = path.join(dir, 'outputs', 'shards', ds, t, '*', '*.parquet');
          const a = await digest(`SELECT * FROM read_parquet('${one}')`);
          const b = await digest(`SELECT * EXCLUDE (shard) FROM read_parquet('${shards}', hive_partitioning = true)`);
          expect(b, `${ds}.${t}`).toBe(a);
        }
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });

  it('rejects a malformed shard spec as a usage error', () => {
    const r = healthsim(dir, 'build', '--shard', '3/3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard must be K/N');
  });
});
