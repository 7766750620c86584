import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { exportDataset, registerSink, type ExportManifest } from '../../src/store/exporters/index.js';
import { openProjectDb, type ProjectDb } from '../../src/store/projectDb.js';
import { mergeDatasets } from '../../src/store/merge.js';
import { PATIENT_TABLES, patientRows, tempDir } from './fixtures.js';
import { persistFiles, writeDataset } from './helpers.js';

const tmp = tempDir('export');
let files: Record<string, string>;
let db: ProjectDb;
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(async () => {
  files = await writeDataset(tmp.dir, 'cache', patientRows('ex', 12), PATIENT_TABLES);
  db = await openProjectDb(path.join(tmp.dir, 'healthsim.duckdb'));
  await persistFiles(db, 'diabetes-cohort', files, { products: ['patientsim'] });
  await persistFiles(db, 'as-views', files, { products: ['patientsim'], storage: 'view' });
});
afterAll(() => { db.close(); tmp.cleanup(); });

describe('exportDataset', () => {
  it('writes one CSV per table in model column order and key order, with a manifest', async () => {
    const out = path.join(tmp.dir, 'exports', 'csv');
    const { manifest } = await exportDataset({ source: { files }, dataset: 'diabetes-cohort', format: 'csv', outDir: out });
    expect(readdirSync(out).sort()).toEqual(['allergies.csv', 'diagnoses.csv', 'encounters.csv', 'facilities.csv', 'lab_results.csv', 'manifest.json', 'medications.csv', 'patients.csv', 'procedures.csv', 'providers.csv']);
    const csv = readFileSync(path.join(out, 'medications.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('medication_id,patient_id,encounter_id,code,code_system,description,therapeutic_class,dose_value,dose_unit,frequency,route,start_date,end_date,status,line_of_therapy,outcome');
    expect(csv[1]).toBe('ex-P000001-M1,ex-P000001,ex-P000001-E1,860975,RxNorm,metformin 500 MG Oral Tablet,biguanide,500.0,mg,BID,oral,2020-02-02,,active,1,ongoing');
    expect(csv[2]).toBe('ex-P000001-M2,ex-P000001,ex-P000001-E2,274783,RxNorm,insulin glargine 100 UNT/ML Injectable Solution,basal insulin,20.0,[iU],qHS,subcutaneous,2023-02-02,,active,2,partial response');
    expect(readFileSync(path.join(out, 'allergies.csv'), 'utf8')).toBe('allergy_id,patient_id,code,code_system,description,category,reaction,severity,onset_date\n');
    const onDisk = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest.dataset).toBe('diabetes-cohort');
    const meds = manifest.files.find((f) => f.file === 'medications.csv')!;
    expect(meds).toEqual({ file: 'medications.csv', table: 'medications', rows: 15, bytes: readFileSync(path.join(out, 'medications.csv')).length, sha256: sha(path.join(out, 'medications.csv')) });
    expect(manifest.files.map((f) => f.file)).toEqual([...manifest.files.map((f) => f.file)].sort());
  });

  it('is byte-identical across runs for every format, and Parquet keeps real types', async () => {
    for (const format of ['csv', 'parquet', 'ndjson']) {
      const a = await exportDataset({ source: { files }, dataset: 'd', format, outDir: path.join(tmp.dir, 'r1', format) });
      // from the database, a dataset stored as views (the default): the same bytes in every format
      const b = await exportDataset({ source: { db, dataset: 'as-views' }, dataset: 'd', format, outDir: path.join(tmp.dir, 'r2', format) });
      expect(readFileSync(path.join(b.outDir, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(a.outDir, 'manifest.json'), 'utf8'));
      // stored as tables: the same bytes for text formats; Parquet is written again by DuckDB
      // (other bytes, the same rows and types)
      const c = await exportDataset({ source: { db, dataset: 'diabetes-cohort' }, dataset: 'd', format, outDir: path.join(tmp.dir, 'r3', format) });
      if (format !== 'parquet') expect(readFileSync(path.join(c.outDir, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(a.outDir, 'manifest.json'), 'utf8'));
      const again = await exportDataset({ source: { db, dataset: 'diabetes-cohort' }, dataset: 'd', format, outDir: path.join(tmp.dir, 'r4', format) });
      expect(readFileSync(path.join(again.outDir, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(c.outDir, 'manifest.json'), 'utf8'));
    }
    const sameRows = await db.exclusive(async (conn) => {
      const r = await conn.runAndReadAll(`SELECT count(*) FROM (
        (SELECT * FROM read_parquet('${path.join(tmp.dir, 'r1', 'parquet', 'lab_results.parquet')}') EXCEPT ALL SELECT * FROM read_parquet('${path.join(tmp.dir, 'r3', 'parquet', 'lab_results.parquet')}'))
        UNION ALL (SELECT * FROM read_parquet('${path.join(tmp.dir, 'r3', 'parquet', 'lab_results.parquet')}') EXCEPT ALL SELECT * FROM read_parquet('${path.join(tmp.dir, 'r1', 'parquet', 'lab_results.parquet')}')))`);
      return Number(r.getRows()[0][0]);
    });
    expect(sameRows).toBe(0);
    // The Parquet export of cached tables is the cached file itself, byte for byte.
    expect(sha(path.join(tmp.dir, 'r1', 'parquet', 'patients.parquet'))).toBe(sha(files.patients));
    const nd = readFileSync(path.join(tmp.dir, 'r1', 'ndjson', 'lab_results.ndjson'), 'utf8').split('\n')[0];
    expect(JSON.parse(nd)).toEqual({ lab_result_id: 'ex-P000001-E1-L1', patient_id: 'ex-P000001', encounter_id: 'ex-P000001-E1', effective_date: '2024-04-01', panel: 'hba1c', code: '4548-4', code_system: 'LOINC', description: 'Hemoglobin A1c/Hemoglobin.total in Blood', value: 6.8, unit: '%', reference_low: 4, reference_high: 5.6, interpretation: 'H' });
  });

  it('exports selected tables and merged datasets with source_dataset last', async () => {
    const merged = await mergeDatasets([{ name: 'a', files }, { name: 'b', files }], path.join(tmp.dir, 'merged'));
    const mfiles = Object.fromEntries(merged.tables.map((t) => [t.table, t.file]));
    const { manifest } = await exportDataset({ source: { files: mfiles, extraColumns: merged.extraColumns }, dataset: 'm', format: 'csv', outDir: path.join(tmp.dir, 'mx'), tables: ['patients'] });
    expect(manifest.files.map((f) => [f.file, f.rows])).toEqual([['patients.csv', 24]]);
    const lines = readFileSync(path.join(tmp.dir, 'mx', 'patients.csv'), 'utf8').split('\n');
    expect(lines[0].endsWith(',primary_provider_id,source_dataset')).toBe(true);
    expect(lines[1].startsWith('b:ex-P000001,b:ex-H000001,')).toBe(true);
    expect(lines[1].endsWith(',b:ex-PR1,b')).toBe(true);
  });

  it('replaces an existing directory atomically and leaves it intact when an export fails', async () => {
    const out = path.join(tmp.dir, 'atomic');
    mkdirSync(out);
    writeFileSync(path.join(out, 'stale.txt'), 'old');
    await exportDataset({ source: { files }, dataset: 'd', format: 'ndjson', outDir: out, tables: ['patients'] });
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'patients.ndjson']);
    registerSink({ format: 'boom', description: 'fails midway', async write(ctx) { writeFileSync(path.join(ctx.outDir, 'half.txt'), 'x'); throw new Error('sink failed'); } });
    await expect(exportDataset({ source: { files }, dataset: 'd', format: 'boom', outDir: out })).rejects.toThrow('sink failed');
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'patients.ndjson']);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('atomic'))).toEqual(['atomic']);
    await expect(exportDataset({ source: { files }, dataset: 'd', format: 'xml', outDir: out })).rejects.toThrow('unknown export format "xml" (known: boom, csv, fhir, ncpdp, ndjson, parquet, sdtm, x12)');
    await expect(exportDataset({ source: { files }, dataset: 'd', format: 'csv', outDir: out, tables: ['claims'] })).rejects.toThrow('table "claims" is not in the dataset');
    expect(existsSync(path.join(out, 'patients.ndjson'))).toBe(true);
  });
});
