/**
 * FHIR R4 export: one transaction Bundle per patient (patientsim) and per member
 * (membersim / rxmembersim), plus FHIR Bulk Data ndjson, one file per resource type.
 *
 * Files (relative to the export directory):
 *   bundles/<patient_id|member_id>.json   transaction Bundle, pretty-printed, sorted by id
 *   ndjson/<ResourceType>.ndjson          one resource per line (Bulk Data format)
 *
 * Resource ids are name-based UUIDs of `<source>/<row id>` (stable across runs and machines);
 * inside a Bundle every entry has `fullUrl: urn:uuid:<id>` and `request: PUT <Type>/<id>`, and
 * every `reference` is one of the Bundle's fullUrls. In ndjson references are `<Type>/<id>`.
 * Practitioners and Organizations a bundle refers to are included in that bundle; the ndjson
 * files carry every provider, facility and payer once.
 */
import type { Row } from '../../../model/index.js';
import { compareText, groupBy, indexBy, jsonFile, rowsOf, stableUuid, type ExportFile, type StandardTables } from '../common.js';
import { RESOURCE_TYPE, type FhirRefs, type FhirSource, type Json, type Reference } from './datatypes.js';
import { claimResource, coverageResource, eobResource, medicalClaimView, pharmacyClaimView } from './financial.js';
import {
  allergyResource,
  conditionResource,
  encounterResource,
  facilityResource,
  medicationRequestResource,
  memberPatientResource,
  observationResource,
  patientResource,
  payerResource,
  practitionerResource,
  procedureResource,
} from './mapping.js';

export interface FhirExportOptions {
  /** Write bundles/<id>.json (default true). */
  bundles?: boolean;
  /** Write ndjson/<ResourceType>.ndjson (default true). */
  ndjson?: boolean;
}

type Mode = 'bundle' | 'bulk';
const SHARED: readonly FhirSource[] = ['providers', 'facilities', 'payers'];

export function fhirId(source: FhirSource, id: string): string {
  return stableUuid(`${source}/${id}`);
}

interface BuiltResource {
  source: FhirSource;
  sourceId: string;
  resource: Json;
}

class Refs implements FhirRefs {
  readonly sharedUsed = new Set<string>();
  constructor(
    private readonly mode: Mode,
    private readonly exists: (source: FhirSource, id: string) => boolean,
  ) {}

  to(source: FhirSource, id: unknown, display?: string): Reference | undefined {
    if (id === null || id === undefined || id === '') return undefined;
    const key = String(id);
    if (!this.exists(source, key)) return undefined;
    if (SHARED.includes(source)) this.sharedUsed.add(`${source}\u0000${key}`);
    const uuid = fhirId(source, key);
    return {
      reference: this.mode === 'bundle' ? `urn:uuid:${uuid}` : `${RESOURCE_TYPE[source]}/${uuid}`,
      display,
    };
  }
}

/** Lookups over the whole dataset, built once. */
class Dataset {
  readonly providers: Map<string, Row>;
  readonly facilities: Map<string, Row>;
  readonly payers: Map<string, Row>;
  readonly plans: Map<string, Row>;
  readonly patients: Row[];
  readonly members: Row[];
  readonly byPatient: Record<'encounters' | 'diagnoses' | 'lab_results' | 'medications' | 'procedures' | 'allergies', Map<string, Row[]>>;
  readonly claimsByMember: Map<string, Row[]>;
  readonly linesByClaim: Map<string, Row[]>;
  readonly rxByMember: Map<string, Row[]>;

  constructor(readonly tables: StandardTables) {
    this.providers = indexBy(rowsOf(tables, 'providers'), 'provider_id');
    this.facilities = indexBy(rowsOf(tables, 'facilities'), 'facility_id');
    this.payers = indexBy(rowsOf(tables, 'payers'), 'payer_id');
    this.plans = indexBy(rowsOf(tables, 'plans'), 'plan_id');
    this.patients = rowsOf(tables, 'patients');
    this.members = rowsOf(tables, 'members');
    const by = (t: string) => groupBy(rowsOf(tables, t), 'patient_id');
    this.byPatient = {
      encounters: by('encounters'),
      diagnoses: by('diagnoses'),
      lab_results: by('lab_results'),
      medications: by('medications'),
      procedures: by('procedures'),
      allergies: by('allergies'),
    };
    this.claimsByMember = groupBy(rowsOf(tables, 'claims'), 'member_id');
    const lines = rowsOf(tables, 'claim_lines').sort(
      (a, b) => Number(a.line_number ?? 0) - Number(b.line_number ?? 0) || compareText(String(a.claim_line_id), String(b.claim_line_id)),
    );
    this.linesByClaim = groupBy(lines, 'claim_id');
    this.rxByMember = groupBy(rowsOf(tables, 'pharmacy_claims'), 'member_id');
  }

  sharedExists(source: FhirSource, id: string): boolean {
    if (source === 'providers') return this.providers.has(id);
    if (source === 'facilities') return this.facilities.has(id);
    if (source === 'payers') return this.payers.has(id);
    return false;
  }

  sharedResource(source: FhirSource, id: string): Json {
    const uuid = fhirId(source, id);
    if (source === 'providers') return practitionerResource(uuid, this.providers.get(id)!);
    if (source === 'facilities') return facilityResource(uuid, this.facilities.get(id)!);
    return payerResource(uuid, this.payers.get(id)!);
  }
}

function built(source: FhirSource, sourceId: unknown, make: (uuid: string) => Json): BuiltResource {
  const id = String(sourceId);
  return { source, sourceId: id, resource: make(fhirId(source, id)) };
}

function patientResources(ds: Dataset, p: Row, refs: Refs): BuiltResource[] {
  const pid = String(p.patient_id);
  const rows = (t: keyof Dataset['byPatient']) => ds.byPatient[t].get(pid) ?? [];
  const out: BuiltResource[] = [built('patients', pid, (id) => patientResource(id, p, refs))];
  for (const r of rows('encounters')) out.push(built('encounters', r.encounter_id, (id) => encounterResource(id, r, refs)));
  for (const r of rows('diagnoses')) out.push(built('diagnoses', r.diagnosis_id, (id) => conditionResource(id, r, refs)));
  for (const r of rows('lab_results')) out.push(built('lab_results', r.lab_result_id, (id) => observationResource(id, r, refs)));
  for (const r of rows('medications')) out.push(built('medications', r.medication_id, (id) => medicationRequestResource(id, r, refs)));
  for (const r of rows('procedures')) out.push(built('procedures', r.procedure_id, (id) => procedureResource(id, r, refs)));
  for (const r of rows('allergies')) out.push(built('allergies', r.allergy_id, (id) => allergyResource(id, r, refs)));
  return out;
}

function patientExists(ds: Dataset, p: Row): (source: FhirSource, id: string) => boolean {
  const encounters = new Set((ds.byPatient.encounters.get(String(p.patient_id)) ?? []).map((e) => String(e.encounter_id)));
  return (source, id) =>
    (source === 'patients' && id === String(p.patient_id)) || (source === 'encounters' && encounters.has(id)) || ds.sharedExists(source, id);
}

function memberResources(ds: Dataset, m: Row, refs: Refs): BuiltResource[] {
  const mid = String(m.member_id);
  const out: BuiltResource[] = [
    built('members', mid, (id) => memberPatientResource(id, m)),
    built('coverage', mid, (id) => coverageResource(id, m, ds.plans.get(String(m.plan_id)), refs)),
  ];
  for (const c of ds.claimsByMember.get(mid) ?? []) {
    const provider =
      refs.to('providers', c.provider_id) ?? refs.to('facilities', c.facility_id) ?? { display: 'unknown provider' };
    const view = medicalClaimView(c, ds.linesByClaim.get(String(c.claim_id)) ?? [], m, provider);
    out.push(built('claims', c.claim_id, (id) => claimResource(id, view, refs)));
    out.push(built('claim_eob', c.claim_id, (id) => eobResource(id, view, refs)));
  }
  for (const c of ds.rxByMember.get(mid) ?? []) {
    const view = pharmacyClaimView(c, m);
    out.push(built('pharmacy_claims', c.pharmacy_claim_id, (id) => claimResource(id, view, refs)));
    out.push(built('pharmacy_eob', c.pharmacy_claim_id, (id) => eobResource(id, view, refs)));
  }
  return out;
}

function memberExists(ds: Dataset, m: Row): (source: FhirSource, id: string) => boolean {
  const mid = String(m.member_id);
  const claims = new Set((ds.claimsByMember.get(mid) ?? []).map((c) => String(c.claim_id)));
  const rx = new Set((ds.rxByMember.get(mid) ?? []).map((c) => String(c.pharmacy_claim_id)));
  return (source, id) =>
    ((source === 'members' || source === 'coverage') && id === mid) ||
    (source === 'claims' && claims.has(id)) ||
    (source === 'pharmacy_claims' && rx.has(id)) ||
    ds.sharedExists(source, id);
}

interface Subject {
  kind: 'patients' | 'members';
  id: string;
  resources(mode: Mode): { own: BuiltResource[]; shared: BuiltResource[] };
}

function subjects(ds: Dataset): Subject[] {
  const make = (kind: Subject['kind'], row: Row): Subject => ({
    kind,
    id: String(kind === 'patients' ? row.patient_id : row.member_id),
    resources(mode) {
      const exists = kind === 'patients' ? patientExists(ds, row) : memberExists(ds, row);
      const refs = new Refs(mode, exists);
      const own = kind === 'patients' ? patientResources(ds, row, refs) : memberResources(ds, row, refs);
      const shared = [...refs.sharedUsed].sort(compareText).map((k) => {
        const [source, id] = k.split('\u0000') as [FhirSource, string];
        return { source, sourceId: id, resource: ds.sharedResource(source, id) };
      });
      return { own, shared };
    },
  });
  return [...ds.patients.map((p) => make('patients', p)), ...ds.members.map((m) => make('members', m))];
}

function bundleOf(subject: Subject, entries: BuiltResource[]): Json {
  return {
    resourceType: 'Bundle',
    id: stableUuid(`bundle/${subject.kind}/${subject.id}`),
    type: 'transaction',
    entry: entries.map((e) => {
      const id = String(e.resource.id);
      const type = String(e.resource.resourceType);
      return { fullUrl: `urn:uuid:${id}`, resource: e.resource, request: { method: 'PUT', url: `${type}/${id}` } };
    }),
  };
}

/** File-name-safe form of an id. */
export function bundleFileName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

export function exportFhir(tables: StandardTables, opts: FhirExportOptions = {}): ExportFile[] {
  const ds = new Dataset(tables);
  const files: ExportFile[] = [];
  const subs = subjects(ds);

  if (opts.bundles ?? true) {
    const bundles = subs.map((s) => {
      const { own, shared } = s.resources('bundle');
      const entries = [own[0], ...shared, ...own.slice(1)];
      return { path: `bundles/${bundleFileName(s.id)}`, content: jsonFile(bundleOf(s, entries)), rows: entries.length, table: 'Bundle' };
    });
    bundles.sort((a, b) => compareText(a.path, b.path));
    files.push(...bundles);
  }

  if (opts.ndjson ?? true) {
    const lines = new Map<string, string[]>();
    const add = (r: Json) => {
      const type = String(r.resourceType);
      const l = lines.get(type) ?? [];
      l.push(JSON.stringify(r));
      lines.set(type, l);
    };
    for (const [id] of ds.providers) add(ds.sharedResource('providers', id));
    for (const [id] of ds.facilities) add(ds.sharedResource('facilities', id));
    for (const [id] of ds.payers) add(ds.sharedResource('payers', id));
    for (const s of subs) for (const r of s.resources('bulk').own) add(r.resource);
    for (const type of [...lines.keys()].sort(compareText)) {
      files.push({ path: `ndjson/${type}.ndjson`, content: lines.get(type)!.join('\n') + '\n', rows: lines.get(type)!.length, table: type });
    }
  }
  return files;
}

