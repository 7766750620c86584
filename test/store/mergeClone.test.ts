import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mergeDatasets } from '../../src/store/merge.js';
import { cloneDataset } from '../../src/store/clone.js';
import { tableByName } from '../../src/model/registry.js';
import { MEMBER_TABLES, PATIENT_TABLES, memberRows, patientRows, tempDir } from './fixtures.js';
import { writeDataset } from './helpers.js';

const tmp = tempDir('merge');
let a: Record<string, string>;
let b: Record<string, string>;
let m: Record<string, string>;
let inst: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  a = await writeDataset(tmp.dir, 'a', patientRows('ns1', 10), PATIENT_TABLES);
  // Same namespace token: every ID of b collides with a (the worst case).
  b = await writeDataset(tmp.dir, 'b', patientRows('ns1', 6), PATIENT_TABLES);
  m = await writeDataset(tmp.dir, 'm', memberRows('ns2', 4), MEMBER_TABLES);
  inst = await DuckDBInstance.create(':memory:');
  conn = await inst.connect();
});
afterAll(() => { inst.closeSync(); tmp.cleanup(); });

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowsJson();
const pq = (f: string) => `read_parquet('${f}')`;

/** Every non-null FK value in `files` resolves to a primary key of its target table. */
async function danglingReferences(files: Record<string, string>): Promise<string[]> {
  const bad: string[] = [];
  for (const [t, f] of Object.entries(files)) {
    for (const c of tableByName(t)!.columns) {
      if (!c.references || !files[c.references.table]) continue;
      const target = tableByName(c.references.table)!;
      const r = await rows(`SELECT count(*) FROM ${pq(f)} x WHERE x.${c.name} IS NOT NULL AND x.${c.name} NOT IN (SELECT ${target.primaryKey[0]} FROM ${pq(files[c.references.table])})`);
      if (Number(r[0][0]) > 0) bad.push(`${t}.${c.name}: ${r[0][0]}`);
    }
  }
  return bad;
}

describe('mergeDatasets', () => {
  it('unions with source_dataset, rewrites colliding IDs in later sources and counts conflicts', async () => {
    const res = await mergeDatasets([{ name: 'cohort-a', files: a }, { name: 'cohort-b', files: b }, { name: 'members', files: m }], path.join(tmp.dir, 'merged'));
    expect(res.counts['cohort-b']).toMatchObject({ patients: 6, encounters: 12 });
    expect(res.counts.members).toMatchObject({ members: 4, claims: 8 });
    expect(res.tables.map((t) => t.table)).toEqual(['providers', 'facilities', 'payers', 'plans', 'patients', 'encounters', 'diagnoses', 'lab_results', 'medications', 'procedures', 'allergies', 'members', 'claims', 'claim_lines']);
    const byTable = Object.fromEntries(res.conflicts.filter((c) => c.column !== 'person_id').map((c) => [`${c.source}/${c.table}`, c.count]));
    expect(byTable).toEqual({
      'cohort-b/providers': 1, 'cohort-b/facilities': 1, 'cohort-b/patients': 6, 'cohort-b/encounters': 12,
      'cohort-b/diagnoses': 10, 'cohort-b/lab_results': 12, 'cohort-b/medications': 8, 'cohort-b/procedures': 3,
    });
    expect(res.conflicts.filter((c) => c.column === 'person_id')).toEqual([{ source: 'cohort-b', table: 'patients', column: 'person_id', count: 6 }]);
    expect(res.totalConflicts).toBe(59);
    const files = Object.fromEntries(res.tables.map((t) => [t.table, t.file]));
    expect(await danglingReferences(files)).toEqual([]);
    expect(await rows(`SELECT source_dataset, count(*), count(DISTINCT patient_id), count(DISTINCT person_id) FROM ${pq(files.patients)} GROUP BY ALL ORDER BY 1`))
      .toEqual([['cohort-a', '10', '10', '10'], ['cohort-b', '6', '6', '6']]);
    // b's encounter for its patient 1 points to b's rewritten patient, not a's.
    expect(await rows(`SELECT encounter_id, patient_id, provider_id FROM ${pq(files.encounters)} WHERE source_dataset = 'cohort-b' ORDER BY encounter_id LIMIT 1`))
      .toEqual([['cohort-b:ns1-P000001-E1', 'cohort-b:ns1-P000001', 'cohort-b:ns1-PR1']]);
    expect(await rows(`SELECT count(*) FROM ${pq(files.patients)} WHERE person_id = 'cohort-b:ns1-H000001'`)).toEqual([['1']]);
    // non-colliding sources keep their IDs
    expect(await rows(`SELECT min(member_id) FROM ${pq(files.members)}`)).toEqual([['ns2-M000001']]);
  });

  it('is byte-stable across runs', async () => {
    const one = await mergeDatasets([{ name: 'x', files: a }, { name: 'y', files: m }], path.join(tmp.dir, 'm1'));
    const two = await mergeDatasets([{ name: 'x', files: a }, { name: 'y', files: m }], path.join(tmp.dir, 'm2'));
    expect(one.totalConflicts).toBe(0);
    expect(one.tables.map((t) => sha(t.file))).toEqual(two.tables.map((t) => sha(t.file)));
  });
});

describe('cloneDataset', () => {
  it('gives every ID a new value and keeps references resolving', async () => {
    const res = await cloneDataset(a, path.join(tmp.dir, 'clone'), { oldToken: 'ns1', newToken: 'c9' });
    expect(res.rewritten.encounters).toEqual(['encounter_id', 'patient_id', 'provider_id', 'facility_id']);
    expect(res.rewritten.patients).toEqual(['patient_id', 'person_id', 'plan_id', 'primary_provider_id']);
    const files = Object.fromEntries(res.tables.map((t) => [t.table, t.file]));
    expect(await danglingReferences(files)).toEqual([]);
    expect(await rows(`SELECT patient_id, person_id, mrn, primary_provider_id FROM ${pq(files.patients)} ORDER BY 1 LIMIT 1`))
      .toEqual([['c9-P000001', 'c9-H000001', 'MRN00000001', 'c9-PR1']]);
    // no ID in the clone equals one in the source
    expect(await rows(`SELECT count(*) FROM ${pq(files.lab_results)} WHERE lab_result_id IN (SELECT lab_result_id FROM ${pq(a.lab_results)})`)).toEqual([['0']]);
    expect(res.tables.map((t) => [t.table, t.rows])).toEqual([['providers', 1], ['facilities', 1], ['patients', 10], ['encounters', 20], ['diagnoses', 17], ['lab_results', 20], ['medications', 13], ['procedures', 5], ['allergies', 0]]);
    const again = await cloneDataset(a, path.join(tmp.dir, 'clone2'), { oldToken: 'ns1', newToken: 'c9' });
    expect(again.tables.map((t) => sha(t.file))).toEqual(res.tables.map((t) => sha(t.file)));
  });

  it('prefixes IDs when the old token is unknown, and keeps source_dataset of a merged source', async () => {
    const merged = await mergeDatasets([{ name: 'x', files: a }, { name: 'y', files: b }], path.join(tmp.dir, 'mx'));
    const files = Object.fromEntries(merged.tables.map((t) => [t.table, t.file]));
    const res = await cloneDataset(files, path.join(tmp.dir, 'clone3'), { newToken: 'k2' });
    expect(res.extraColumns).toEqual(['source_dataset']);
    const out = Object.fromEntries(res.tables.map((t) => [t.table, t.file]));
    expect(await danglingReferences(out)).toEqual([]);
    expect(await rows(`SELECT patient_id, source_dataset FROM ${pq(out.patients)} ORDER BY 1 LIMIT 1`)).toEqual([['k2-ns1-P000001', 'x']]);
    expect(await rows(`SELECT count(*) FROM ${pq(out.patients)}`)).toEqual([['16']]);
  });
});
