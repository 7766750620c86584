import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import xportModule from 'xport-js';
import { exportSdtm, sdtmDatasets } from '../../src/store/standards/sdtm/export.js';
import { ibmDouble, writeXport } from '../../src/store/standards/sdtm/xport.js';
import { DOMAINS } from '../../src/store/standards/sdtm/metadata.js';
import { sdtmSiteIds, sdtmStudyIds } from '../../src/store/standards/sdtm/derive.js';
import { REFERENCE_DATE, tables } from '../fixtures/standards/dataset.js';

type XptLibrary = {
  getMetadata(): Promise<{ dataset: string; name: string; label: string; length: number; type: string }[]>;
  getData(o: { type: 'array' }): Promise<(string | number | null)[][]>;
  getHeader(): { sasCreate: string; sasModified: string; sasLib: string };
};
const Library = ((xportModule as unknown as { default?: unknown }).default ?? xportModule) as new (path: string) => XptLibrary;

const dir = mkdtempSync(join(tmpdir(), 'healthsim-sdtm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeTemp(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** xport-js reads trailing blank padding as extra observations when it is ≥ one record long. */
function paddingRows(obsLength: number, n: number): number {
  const pad = (80 - ((obsLength * n) % 80)) % 80;
  return obsLength > 0 ? Math.floor(pad / obsLength) : 0;
}

const files = exportSdtm(tables, { referenceDate: REFERENCE_DATE });

describe('SDTM export', () => {
  it('writes xpt, csv and define.json for the eight domains', () => {
    expect(files.map((f) => f.path)).toEqual([
      'csv/ae.csv', 'csv/dm.csv', 'csv/ds.csv', 'csv/ex.csv', 'csv/lb.csv', 'csv/sv.csv', 'csv/ts.csv', 'csv/vs.csv',
      'define.json',
      'xpt/ae.xpt', 'xpt/dm.xpt', 'xpt/ds.xpt', 'xpt/ex.xpt', 'xpt/lb.xpt', 'xpt/sv.xpt', 'xpt/ts.xpt', 'xpt/vs.xpt',
    ]);
  });

  it('is byte-identical across runs and independent of input row order', () => {
    const shuffled = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, [...v].reverse()]));
    const again = exportSdtm(shuffled, { referenceDate: REFERENCE_DATE });
    expect(again.map((f) => [f.path, Buffer.from(f.content).toString('hex')])).toEqual(
      files.map((f) => [f.path, Buffer.from(f.content).toString('hex')]),
    );
  });

  it('derives DM exactly (USUBJID, reference dates, arms, screen failure)', () => {
    const dm = String(files.find((f) => f.path === 'csv/dm.csv')!.content).split('\n');
    expect(dm[0]).toBe(DOMAINS.DM.variables.map((v) => v.name).join(','));
    expect(dm[1]).toBe(
      'ONC301,DM,ONC301-101-0001,0001,2024-01-18,2024-02-09,2024-01-18,2024-02-09,2024-01-09,2024-02-09,,,101,1958-04-02,65,YEARS,M,WHITE,NOT HISPANIC OR LATINO,DRGX+CARBO,Drug X 200 mg + Carboplatin,DRGX+CARBO,Drug X 200 mg + Carboplatin,,USA',
    );
    expect(dm[3]).toBe(
      'ONC301,DM,ONC301-102-0003,0003,,,,,2024-01-20,2024-01-25,,,102,1961-08-19,62,YEARS,F,ASIAN,NOT HISPANIC OR LATINO,,,,,SCREEN FAILURE,USA',
    );
    expect(dm).toHaveLength(5); // header, 3 subjects, final empty line
  });

  it('numbers --SEQ per subject, computes study days without day 0 and maps controlled terms', () => {
    const ds = Object.fromEntries(sdtmDatasets(tables).map((d) => [d.domain.name, d.records]));
    expect(ds.AE.map((r) => [r.USUBJID, r.AESEQ, r.AETERM, r.AESTDY, r.AESER, r.AESEV, r.AETOXGR])).toEqual([
      ['ONC301-101-0001', 1, 'Fatigue', -3, 'N', 'MODERATE', '2'],
      ['ONC301-101-0001', 2, 'Nausea', 2, 'N', 'MILD', '1'],
      ['ONC301-101-0002', 1, 'Neutropenia', 11, 'Y', 'SEVERE', '4'],
    ]);
    expect(ds.VS.map((r) => [r.VSTESTCD, r.VSTEST, r.VSORRESU, r.VISITNUM, r.VSDY])).toEqual([
      ['SYSBP', 'Systolic Blood Pressure', 'mmHg', 2, 1],
      ['TEMP', 'Temperature', 'C', 2, 1],
    ]);
    expect(ds.LB.map((r) => [r.USUBJID, r.LBSEQ, r.LBTESTCD, r.LBSTRESN, r.LBSTRESU, r.LBNRIND, r.LBSTAT])).toEqual([
      ['ONC301-101-0001', 1, 'ALT', 31, 'U/L', 'NORMAL', null],
      ['ONC301-101-0001', 2, 'HGB', 13.6, 'g/dL', 'NORMAL', null],
      ['ONC301-101-0002', 1, 'CREAT', null, null, null, 'NOT DONE'],
      ['ONC301-101-0002', 2, 'NEUT', 0.42, '10^9/L', 'LOW', null],
    ]);
    expect(ds.DS.map((r) => `${r.USUBJID}:${r.DSSEQ}:${r.DSDECOD}:${r.DSCAT}`)).toEqual([
      'ONC301-101-0001:1:INFORMED CONSENT OBTAINED:PROTOCOL MILESTONE',
      'ONC301-101-0001:2:RANDOMIZED:PROTOCOL MILESTONE',
      'ONC301-101-0001:3:COMPLETED:DISPOSITION EVENT',
      'ONC301-101-0002:1:ADVERSE EVENT:DISPOSITION EVENT',
      'ONC301-102-0003:1:SCREEN FAILURE:DISPOSITION EVENT',
    ]);
    // the missed visit (no actual date) is not in SV
    expect(ds.SV.map((r) => `${r.USUBJID}/${r.VISITNUM}`)).toEqual([
      'ONC301-101-0001/1', 'ONC301-101-0001/2', 'ONC301-101-0001/3', 'ONC301-101-0002/1', 'ONC301-101-0002/2', 'ONC301-102-0003/1',
    ]);
  });

  it('reads every .xpt back with xport-js: names, labels, types, lengths and values', async () => {
    for (const ds of sdtmDatasets(tables)) {
      const lower = ds.domain.name.toLowerCase();
      const file = files.find((f) => f.path === `xpt/${lower}.xpt`)!;
      expect((file.content as Buffer).length % 80).toBe(0);
      const lib = new Library(writeTemp(`${lower}.xpt`, file.content));
      const meta = await lib.getMetadata();
      expect(meta.map((m) => [m.dataset, m.name, m.label, m.type, m.length])).toEqual(
        ds.variables.map((v) => [ds.domain.name, v.name, v.label, v.type, v.length]),
      );
      expect(lib.getHeader().sasCreate).toBe('01JAN25:00:00:00');
      // (xport-js 0.3's 'object' row format returns arrays; read arrays and pair them by position)
      const rows = await lib.getData({ type: 'array' });
      const obsLength = ds.variables.reduce((s, v) => s + v.length, 0);
      expect(rows.length).toBe(ds.records.length + paddingRows(obsLength, ds.records.length));
      const expected = ds.records.map((r) => ds.variables.map((v) => (v.type === 'Num' ? (r[v.name] ?? null) : String(r[v.name] ?? ''))));
      expect(rows.slice(0, ds.records.length)).toEqual(expected);
      for (const v of ds.variables) {
        expect(v.name.length).toBeLessThanOrEqual(8);
        expect(v.label.length).toBeLessThanOrEqual(40);
        expect(v.length).toBeLessThanOrEqual(200);
      }
    }
  });

  it('lists datasets, variables and codelists in define.json', () => {
    const define = JSON.parse(String(files.find((f) => f.path === 'define.json')!.content));
    expect(define.standard).toBe('SDTMIG');
    expect(define.version).toBe('3.3');
    expect(define.datasets.map((d: { name: string; records: number }) => `${d.name}:${d.records}`)).toEqual([
      'DM:3', 'AE:3', 'DS:5', 'EX:3', 'LB:4', 'SV:6', 'TS:9', 'VS:2',
    ]);
    const dm = define.datasets[0];
    expect(dm.variables.find((v: { name: string }) => v.name === 'SEX')).toEqual({ order: 17, name: 'SEX', label: 'Sex', type: 'Char', length: 1, codelist: 'SEX' });
    expect(dm.variables.find((v: { name: string }) => v.name === 'AGE')).toEqual({ order: 15, name: 'AGE', label: 'Age', type: 'Num', length: 8 });
    const sex = define.codelists.find((c: { name: string }) => c.name === 'SEX');
    expect(sex).toEqual({ name: 'SEX', nciCode: 'C66731', terms: ['F', 'M'] });
    const out = define.codelists.find((c: { name: string }) => c.name === 'OUT');
    expect(out.terms).toEqual(['NOT RECOVERED/NOT RESOLVED', 'RECOVERED/RESOLVED']);
  });
});

describe('XPORT v5 writer', () => {
  it('encodes IBM 360 doubles exactly', () => {
    expect(ibmDouble(1).toString('hex')).toBe('4110000000000000');
    expect(ibmDouble(-118.625).toString('hex')).toBe('c276a00000000000');
    expect(ibmDouble(0.1).toString('hex')).toBe('401999999999999a');
    expect(ibmDouble(0).toString('hex')).toBe('0000000000000000');
    expect(ibmDouble(null).toString('hex')).toBe('2e00000000000000');
  });

  it('round-trips numerics (incl. missing) and characters through xport-js', async () => {
    const values = [0, 1, -1, 0.1, 0.42, 36.85, -118.625, 1e-5, 123456789.125, 2 ** 52 + 1, 1 / 3, -7.25e10, null];
    const rows = values.map((v, i) => [`R${i}`, v, i % 2 === 0 ? null : `x${i}`] as (string | number | null)[]);
    const buf = writeXport(
      {
        name: 'NUMTEST',
        label: 'Numeric round trip',
        variables: [
          { name: 'ID', label: 'Row id', type: 'Char', length: 3 },
          { name: 'VAL', label: 'Value', type: 'Num', length: 8 },
          { name: 'TXT', label: 'Optional text', type: 'Char', length: 4 },
        ],
        rows,
      },
      '2024-02-29',
    );
    const lib = new Library(writeTemp('numtest.xpt', buf));
    const data = await lib.getData({ type: 'array' });
    expect(data.slice(0, values.length)).toEqual(rows.map((r) => [r[0], r[1], r[2] ?? '']));
    expect(lib.getHeader().sasCreate).toBe('29FEB24:00:00:00');
  });

  it('rejects names, labels and lengths XPORT v5 cannot hold', () => {
    const base = { name: 'DM', label: 'x', rows: [] };
    expect(() => writeXport({ ...base, variables: [{ name: 'TOOLONGNAME', label: 'x', type: 'Char', length: 1 }] }, '2024-01-01')).toThrow(/≤ 8/);
    expect(() => writeXport({ ...base, variables: [{ name: 'A', label: 'x'.repeat(41), type: 'Char', length: 1 }] }, '2024-01-01')).toThrow(/40/);
    expect(() => writeXport({ ...base, variables: [{ name: 'A', label: 'x', type: 'Char', length: 201 }] }, '2024-01-01')).toThrow(/1–200/);
    expect(() => writeXport({ ...base, variables: [{ name: 'A', label: 'x', type: 'Char', length: 2 }], rows: [['abc']] }, '2024-01-01')).toThrow(/longer than 2/);
  });
});

describe('IBM 360 encoding, property-based', () => {
  it('decodes back to the same double with an independent IBM decoder (xport-js)', async () => {
    const fc = await import('fast-check');
    const decoderPath = 'xport-js/dist/utils/ibm2ieee.js'; // untyped internal module of xport-js
    const mod = (await import(decoderPath)) as { default: (b: Buffer) => number | null };
    const ibm2ieee = mod.default;
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e70, max: 1e70 }).filter((x) => x === 0 || Math.abs(x) > 1e-70),
        (x) => {
          const back = ibm2ieee(ibmDouble(x));
          return Object.is(back, x) || (x === 0 && back === 0);
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
  });
});

describe('SDTM identifiers', () => {
  it('uses protocol and site number, falling back to ids when they are missing or repeat (merged datasets)', () => {
    expect([...sdtmStudyIds([{ study_id: 'a-P1', protocol: 'P1' }, { study_id: 'b-P2', protocol: 'P2' }])]).toEqual([['a-P1', 'P1'], ['b-P2', 'P2']]);
    expect([...sdtmStudyIds([{ study_id: 'a-P1', protocol: 'P1' }, { study_id: 'b-P1', protocol: 'P1' }])]).toEqual([['a-P1', 'a-P1'], ['b-P1', 'b-P1']]);
    expect([...sdtmSiteIds([{ site_id: 'a-101', study_id: 'a', site_number: '101' }, { site_id: 'b-101', study_id: 'b', site_number: '101' }])]).toEqual([['a-101', '101'], ['b-101', '101']]);
    expect([...sdtmSiteIds([{ site_id: 'a-101', study_id: 'a', site_number: '101' }, { site_id: 'a-101x', study_id: 'a', site_number: '101' }])]).toEqual([['a-101', 'a-101'], ['a-101x', 'a-101x']]);
  });
});
