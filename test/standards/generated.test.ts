/**
 * The standards exporters on data from the real generators (membersim + rxmembersim,
 * trialsim), checked with the same external tools as the hand-written fixture. (FHIR on
 * generated data is checked in fhir.test.ts, which compiles the large R4 schema once.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { X12Parser, type X12Interchange } from 'node-x12';
import xportModule from 'xport-js';
import { generate } from '../../src/generate/engine.js';
import type { TableRows } from '../../src/generate/types.js';
import { exportNcpdp, exportSdtm, exportX12, parseNcpdpFlat, sdtmDatasets } from '../../src/store/standards/index.js';
import { diabetesProfile } from '../generate/fixtures.js';
import { baseProfile } from '../products/helpers.js';

const REF = '2025-01-01';

function run(product: 'membersim' | 'trialsim', products: ('membersim' | 'rxmembersim' | 'trialsim')[], count: number): TableRows {
  // diabetic members, so rxmembersim has prescriptions to fill
  const profile = baseProfile({ id: `${product}-std`, product, products, clinical: diabetesProfile().clinical });
  return generate({ profile, seed: 7, count, namespace: `${product}-std`, referenceDate: REF });
}

const members = run('membersim', ['membersim', 'rxmembersim'], 8);
const trial = run('trialsim', ['trialsim'], 16);
const dir = mkdtempSync(join(tmpdir(), 'healthsim-std-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standards exports of generated datasets', () => {
  it('SDTM: every .xpt reads back with xport-js', async () => {
    const Library = ((xportModule as unknown as { default?: unknown }).default ?? xportModule) as new (p: string) => {
      getMetadata(): Promise<{ name: string; length: number }[]>;
      getData(o: { type: 'array' }): Promise<(string | number | null)[][]>;
    };
    const files = exportSdtm(trial, { referenceDate: REF });
    const datasets = sdtmDatasets(trial);
    expect(datasets.find((d) => d.domain.name === 'DM')!.records).toHaveLength(16);
    for (const ds of datasets) {
      const f = files.find((x) => x.path === `xpt/${ds.domain.name.toLowerCase()}.xpt`)!;
      const path = join(dir, `${ds.domain.name}.xpt`);
      writeFileSync(path, f.content);
      const lib = new Library(path);
      expect((await lib.getMetadata()).map((m) => [m.name, m.length])).toEqual(ds.variables.map((v) => [v.name, v.length]));
      const rows = (await lib.getData({ type: 'array' })).slice(0, ds.records.length);
      expect(rows).toEqual(ds.records.map((r) => ds.variables.map((v) => (v.type === 'Num' ? (r[v.name] ?? null) : String(r[v.name] ?? '')))));
    }
    const dm = datasets.find((d) => d.domain.name === 'DM')!.records;
    for (const r of dm) expect(r.USUBJID).toBe(`${r.STUDYID}-${r.SITEID}-${r.SUBJID}`);
  });

  it('X12: every 837P and 835 parses strictly and CLM02 = Σ SV102', () => {
    const files = exportX12(members, { referenceDate: REF, claimsPerFile: 25 });
    expect(files.some((f) => f.path.startsWith('837p/'))).toBe(true);
    expect(files.some((f) => f.path.startsWith('835/'))).toBe(true);
    for (const f of files) {
      const ix = new X12Parser(true).parse(String(f.content)) as X12Interchange;
      for (const t of ix.functionalGroups[0].transactions) {
        const segs = [t.header, ...t.segments, t.trailer];
        expect(Number(t.trailer.valueOf(1))).toBe(segs.length);
        const clm = segs.find((s) => s.tag === 'CLM');
        if (clm) {
          const sum = segs.filter((s) => s.tag === 'SV1').reduce((s, x) => s + Math.round(Number(x.valueOf(2)) * 100), 0);
          expect(Math.round(Number(clm.valueOf(2)) * 100)).toBe(sum);
        }
      }
    }
  });

  it('NCPDP: every pharmacy claim round-trips', () => {
    const files = exportNcpdp(members);
    const records = parseNcpdpFlat(String(files.find((f) => f.path === 'pharmacy_claims.txt')!.content));
    expect(records.length).toBe(members.pharmacy_claims.length);
    expect(records.length).toBeGreaterThan(0);
  });
});
