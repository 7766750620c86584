import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createTableSql, quoteIdent, tableByName, type TableDef } from '../../src/model/index.js';
import { getSink } from '../../src/store/exporters/sink.js';
import {
  exportFhir, exportNcpdp, exportSdtm, exportX12, readStandardTables, registerStandardSinks, type ExportFile,
} from '../../src/store/standards/index.js';
import { REFERENCE_DATE, tables } from '../fixtures/standards/dataset.js';

function literal(v: unknown, type: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (type === 'DATE') return `DATE '${String(v)}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${String(v).replace(/'/g, "''")}'`;
}

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let defs: TableDef[];
const dirs: string[] = [];

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  defs = Object.keys(tables).map((name) => tableByName(name)!);
  for (const def of defs) {
    await connection.run(createTableSql(def));
    const rows = tables[def.name];
    const values = rows.map((r) => `(${def.columns.map((c) => literal(r[c.name], c.type)).join(', ')})`).join(',\n');
    await connection.run(`INSERT INTO ${quoteIdent(def.name)} VALUES ${values}`);
  }
  registerStandardSinks();
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function runSink(format: string, options: Record<string, unknown>) {
  const outDir = mkdtempSync(join(tmpdir(), `healthsim-${format}-`));
  dirs.push(outDir);
  const files = await getSink(format)!.write({ connection, tables: defs, extraColumns: [], outDir, dataset: 'fixture', options });
  return { outDir, files };
}

function expectSameBytes(outDir: string, written: { file: string; rows: number }[], expected: ExportFile[]) {
  expect(written.map((f) => [f.file, f.rows])).toEqual(expected.map((f) => [f.path, f.rows]));
  for (const f of expected) expect(readFileSync(join(outDir, f.path)).equals(Buffer.from(f.content))).toBe(true);
}

describe('standards sinks over DuckDB', () => {
  it('reads rows with model types: DATE as YYYY-MM-DD, DECIMAL and DOUBLE as numbers, BOOLEAN', async () => {
    const t = await readStandardTables({ connection, tables: defs }, ['claims', 'diagnoses', 'members']);
    expect(t.claims![0]).toMatchObject({ claim_id: 'ma-C0000001', service_date: '2024-02-14', billed_amount: 310.25, provider_id: 'dc-PR0001' });
    expect(t.diagnoses![0]).toMatchObject({ is_primary: true, onset_date: '2019-06-02' });
    expect(t.members![0]).toMatchObject({ member_id: 'ma-M000001', risk_score: 1.312 });
    expect(t.patients).toBeUndefined();
  });

  it('fhir sink writes the same bytes as the pure exporter', async () => {
    const { outDir, files } = await runSink('fhir', {});
    expectSameBytes(outDir, files, exportFhir(tables));
  });

  it('sdtm sink writes the same bytes as the pure exporter', async () => {
    const { outDir, files } = await runSink('sdtm', { reference_date: REFERENCE_DATE });
    expectSameBytes(outDir, files, exportSdtm(tables, { referenceDate: REFERENCE_DATE }));
  });

  it('x12 sink writes the same bytes as the pure exporter and checks its options', async () => {
    const { outDir, files } = await runSink('x12', { reference_date: REFERENCE_DATE, claims_per_file: 2 });
    expectSameBytes(outDir, files, exportX12(tables, { referenceDate: REFERENCE_DATE, claimsPerFile: 2 }));
    await expect(runSink('x12', { claims_per_file: 0 })).rejects.toThrow('export option claims_per_file must be a positive integer (got 0)');
    await expect(runSink('x12', { reference_date: '01/01/2025' })).rejects.toThrow('export option reference_date must be YYYY-MM-DD (got "01/01/2025")');
  });

  it('ncpdp sink writes the same bytes as the pure exporter', async () => {
    const { outDir, files } = await runSink('ncpdp', {});
    expectSameBytes(outDir, files, exportNcpdp(tables));
  });
});
