/**
 * Representative entities rendered as structured objects for `healthsim sample`. Deterministic:
 * entities are taken in md5(id) order (spread across the dataset, stable across runs and
 * DuckDB versions), never at random.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableByName } from '../model/registry.js';
import { DatasetNotFoundError, StoreError, missingDataError } from './errors.js';
import type { ProjectDb } from './projectDb.js';
import { relationNames } from './catalog.js';
import { qualified, quoteIdent, schemaNameFor, sqlString } from './sql.js';
import { queryRows, type JsonRow, type JsonValue } from './values.js';

export interface SampleResult {
  dataset: string;
  table: string;
  entities: Record<string, JsonValue>[];
}

const ENTITY_TABLES = ['patients', 'members', 'subjects'];

export async function sampleEntities(db: ProjectDb, dataset: string, table?: string, n = 3): Promise<SampleResult> {
  const schema = schemaNameFor(dataset);
  const limit = Math.max(0, Math.floor(n));
  const sample = db.exclusive(async (conn) => {
    const present = new Set(await relationNames(conn, schema));
    if (present.size === 0) throw new DatasetNotFoundError(dataset);
    const chosen = table ?? ENTITY_TABLES.find((t) => present.has(t)) ?? [...present][0];
    if (!present.has(chosen)) throw new StoreError('MISSING_TABLE', `table "${chosen}" is not in dataset ${dataset} (it has ${[...present].join(', ')})`);
    const T = (name: string) => (present.has(name) ? qualified(schema, name) : undefined);
    const ctx: Ctx = { conn, T, limit };
    const entities = chosen === 'patients' ? await patients(ctx)
      : chosen === 'members' ? await members(ctx)
        : chosen === 'subjects' ? await subjects(ctx)
          : await plainRows(ctx, chosen);
    return { dataset, table: chosen, entities };
  });
  return sample.catch((err: unknown) => {
    throw missingDataError(err) ?? err;
  });
}

interface Ctx { conn: DuckDBConnection; T: (name: string) => string | undefined; limit: number }

async function pick(ctx: Ctx, table: string, key: string): Promise<JsonRow[]> {
  return queryRows(ctx.conn, `SELECT * FROM ${ctx.T(table)} ORDER BY md5(${quoteIdent(key)}) LIMIT ${ctx.limit}`);
}

async function rowsFor(ctx: Ctx, table: string, sql: (t: string) => string): Promise<JsonRow[]> {
  const t = ctx.T(table);
  return t ? queryRows(ctx.conn, sql(t)) : [];
}

const name = (r: JsonRow) => [r.first_name, r.last_name].filter((x) => x !== null).join(' ');

async function patients(ctx: Ctx): Promise<Record<string, JsonValue>[]> {
  const out: Record<string, JsonValue>[] = [];
  for (const p of await pick(ctx, 'patients', 'patient_id')) {
    const id = sqlString(String(p.patient_id));
    const dx = await rowsFor(ctx, 'diagnoses', (t) => `SELECT code, description, is_primary, onset_date FROM ${t} WHERE patient_id = ${id} ORDER BY is_primary DESC NULLS LAST, onset_date, code`);
    const primary = dx.find((d) => d.is_primary === true) ?? null;
    const a1c = await rowsFor(ctx, 'lab_results', (t) => `SELECT value, unit, effective_date FROM ${t} WHERE patient_id = ${id} AND code = '4548-4' ORDER BY effective_date DESC, lab_result_id LIMIT 1`);
    const meds = await rowsFor(ctx, 'medications', (t) => `SELECT description, dose_value, dose_unit, frequency, status FROM ${t} WHERE patient_id = ${id} ORDER BY start_date, medication_id`);
    const last = await rowsFor(ctx, 'encounters', (t) => `SELECT start_date, description, encounter_class FROM ${t} WHERE patient_id = ${id} ORDER BY start_date DESC, encounter_id LIMIT 1`);
    out.push({
      patient_id: p.patient_id, name: name(p), mrn: p.mrn, sex: p.sex, age: p.age, birth_date: p.birth_date,
      location: [p.city, p.state].filter((x) => x !== null).join(', '),
      primary_diagnosis: primary ? { code: primary.code, description: primary.description } : null,
      latest_hba1c: a1c[0] ? { value: a1c[0].value, unit: a1c[0].unit, date: a1c[0].effective_date } : null,
      // Active medications first, as a clinician reads a med list ("metformin 1000 mg BID");
      // stopped ones after, with their status. The description already carries the strength.
      medications: [...meds.filter((m) => m.status === 'active'), ...meds.filter((m) => m.status !== 'active')].map((m) => {
        const dose = m.dose_value === null ? '' : `${m.dose_value} ${m.dose_unit ?? ''}`.trim();
        const drug = dose && String(m.description).toLowerCase().includes(dose.toLowerCase()) ? String(m.description) : `${m.description} ${dose}`.trim();
        return `${drug} ${m.frequency ?? ''}`.trim() + (m.status === 'active' ? '' : ` (${m.status})`);
      }),
      comorbidities: dx.filter((d) => d !== primary).map((d) => ({ code: d.code, description: d.description })),
      last_visit: last[0] ? { date: last[0].start_date, type: last[0].description, class: last[0].encounter_class } : null,
    });
  }
  return out;
}

async function members(ctx: Ctx): Promise<Record<string, JsonValue>[]> {
  const out: Record<string, JsonValue>[] = [];
  for (const m of await pick(ctx, 'members', 'member_id')) {
    const id = sqlString(String(m.member_id));
    const claims = await rowsFor(ctx, 'claims', (t) => `SELECT count(*) AS claims, coalesce(sum(paid_amount), 0) AS paid, max(service_date) AS last FROM ${t} WHERE member_id = ${id}`);
    const fills = await rowsFor(ctx, 'pharmacy_claims', (t) => `SELECT drug_name, count(*) AS fills, max(days_supply) AS days_supply FROM ${t} WHERE member_id = ${id} GROUP BY drug_name ORDER BY fills DESC, drug_name LIMIT 5`);
    const plan = await rowsFor(ctx, 'plans', (t) => `SELECT plan_name FROM ${t} WHERE plan_id = ${sqlString(String(m.plan_id))}`);
    out.push({
      member_id: m.member_id, name: name(m), sex: m.sex, age: m.age, location: [m.city, m.state].filter((x) => x !== null).join(', '),
      plan: plan[0]?.plan_name ?? m.plan_id, plan_type: m.plan_type, risk_score: m.risk_score,
      conditions: typeof m.chronic_conditions === 'string' && m.chronic_conditions !== '' ? m.chronic_conditions.split(',') : [],
      ...(ctx.T('claims') ? { claims: claims[0]?.claims ?? 0, paid_total: claims[0]?.paid ?? 0, last_claim: claims[0]?.last ?? null } : {}),
      ...(ctx.T('pharmacy_claims') ? { pharmacy: fills.map((f) => ({ drug: f.drug_name, fills: f.fills, days_supply: f.days_supply })) } : {}),
    });
  }
  return out;
}

async function subjects(ctx: Ctx): Promise<Record<string, JsonValue>[]> {
  const out: Record<string, JsonValue>[] = [];
  for (const s of await pick(ctx, 'subjects', 'subject_id')) {
    const id = sqlString(String(s.subject_id));
    const arm = s.arm_id === null ? [] : await rowsFor(ctx, 'arms', (t) => `SELECT name FROM ${t} WHERE arm_id = ${sqlString(String(s.arm_id))}`);
    const visits = await rowsFor(ctx, 'visits', (t) => `SELECT count(*) AS scheduled, count(*) FILTER (WHERE status = 'COMPLETED') AS completed FROM ${t} WHERE subject_id = ${id}`);
    const aes = await rowsFor(ctx, 'adverse_events', (t) => `SELECT term, ctcae_grade, serious FROM ${t} WHERE subject_id = ${id} ORDER BY onset_date, adverse_event_id`);
    out.push({
      subject_id: s.subject_id, usubjid: s.usubjid, sex: s.sex, age: s.age, arm: arm[0]?.name ?? null, status: s.status,
      randomized: s.randomization_date,
      visits: visits[0] ? { scheduled: visits[0].scheduled, completed: visits[0].completed } : null,
      adverse_events: aes.map((a) => ({ term: a.term, grade: a.ctcae_grade, serious: a.serious })),
    });
  }
  return out;
}

async function plainRows(ctx: Ctx, table: string): Promise<Record<string, JsonValue>[]> {
  const def = tableByName(table);
  const key = def?.primaryKey[0];
  if (!key) return queryRows(ctx.conn, `SELECT * FROM ${ctx.T(table)} LIMIT ${ctx.limit}`);
  return pick(ctx, table, key);
}
