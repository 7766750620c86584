/**
 * Dataset summary computed in DuckDB SQL at persist time and stored in the catalog, so
 * `healthsim summary` is instant. Sections appear only when their tables exist; lists are capped
 * (top 5 places, top 10 conditions) so the JSON stays a few KB whatever the dataset size.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Product, TableDef } from '../model/types.js';
import { SOURCE_DATASET_COLUMN } from '../model/registry.js';
import { qualified } from './sql.js';
import { queryRows, type JsonRow } from './values.js';

export interface Ranked { name: string; n: number }
export interface Range { min: number | null; max: number | null; mean: number | null }

export interface PopulationSummary {
  table: string;
  n: number;
  age: Range;
  /** share per value (0–1), sorted by value */
  sex: Record<string, number>;
  race: Record<string, number>;
  ethnicity: Record<string, number>;
}

export interface ConditionPrevalence { code: string; description: string | null; n: number; share: number }

export interface DatasetSummary {
  dataset: string;
  products: string[];
  /** rows per table, model order */
  counts: Record<string, number>;
  population: PopulationSummary[];
  geography?: { table: string; states: Ranked[]; counties: Ranked[]; cities: Ranked[] };
  conditions?: { table: string; top: ConditionPrevalence[] };
  patientsim?: {
    hba1c: { results: number; patients: number; mean: number | null; min: number | null; max: number | null };
    complicationShare: number;
    comorbidityShare: number;
    insulinShare: number;
    encountersPerPatient: number;
  };
  membersim?: {
    planTypes: Record<string, number>;
    riskScore: Range;
    claims: { count: number; billedTotal: number; paidTotal: number; over10kShare: number; membersOver10kPaidShare: number };
  };
  rxmembersim?: { fills: number; members: number; ninetyDayShare: number; meanPdc: number | null; paidTotal: number };
  trialsim?: {
    arms: Ranked[];
    screenFailures: number;
    visits: { scheduled: number; completed: number; completedShare: number };
    adverseEvents: { count: number; subjects: number; serious: number };
    disposition: Record<string, number>;
  };
  pa?: { drugs: number; plans: number; coverageRows: number; coveredShare: number; paRequiredShare: number; stepTherapyShare: number; forms: number; policies: number };
  /** merged datasets: source → table → rows */
  sources?: Record<string, Record<string, number>>;
  /** one line for watch/build output */
  line: string;
}

export interface SummaryInput {
  dataset: string;
  schema: string;
  tables: readonly TableDef[];
  products: readonly Product[];
  extraColumns: readonly string[];
}

const r3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
const r2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);
const num = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function shares(rows: JsonRow[]): Record<string, number> {
  const total = rows.reduce((s, r) => s + num(r.n), 0);
  const out: Record<string, number> = {};
  for (const r of rows) out[r.k === null ? 'unknown' : String(r.k)] = total === 0 ? 0 : (r3(num(r.n) / total) as number);
  return out;
}

function ranked(rows: JsonRow[]): Ranked[] {
  return rows.map((r) => ({ name: String(r.k), n: num(r.n) }));
}

export async function computeSummary(conn: DuckDBConnection, input: SummaryInput): Promise<DatasetSummary> {
  const names = new Set(input.tables.map((t) => t.name));
  const has = (...t: string[]) => t.every((n) => names.has(n));
  const T = (name: string) => qualified(input.schema, name);
  const q = (sql: string) => queryRows(conn, sql);
  const one = async (sql: string) => (await q(sql))[0] ?? {};

  const counts: Record<string, number> = {};
  for (const t of input.tables) counts[t.name] = num((await one(`SELECT count(*) AS n FROM ${T(t.name)}`)).n);
  const summary: DatasetSummary = { dataset: input.dataset, products: [...input.products].sort(), counts, population: [], line: '' };

  for (const table of ['patients', 'members', 'subjects']) {
    if (!has(table)) continue;
    const a = await one(`SELECT count(*) AS n, min(age) AS min, max(age) AS max, avg(age) AS mean FROM ${T(table)}`);
    const by = (col: string) => q(`SELECT ${col} AS k, count(*) AS n FROM ${T(table)} GROUP BY ALL ORDER BY k NULLS LAST`);
    summary.population.push({
      table, n: num(a.n),
      age: { min: numOrNull(a.min), max: numOrNull(a.max), mean: r2(numOrNull(a.mean)) },
      sex: shares(await by('sex')), race: shares(await by('race')), ethnicity: shares(await by('ethnicity')),
    });
  }

  const geoTable = has('patients') ? 'patients' : has('members') ? 'members' : undefined;
  if (geoTable) {
    const top = (expr: string) => q(`SELECT ${expr} AS k, count(*) AS n FROM ${T(geoTable)} WHERE ${expr} IS NOT NULL GROUP BY ALL ORDER BY n DESC, k LIMIT 5`);
    summary.geography = {
      table: geoTable,
      states: ranked(await top('state')),
      counties: ranked(await top(`county_name || ', ' || state`)),
      cities: ranked(await top(`city || ', ' || state`)),
    };
  }

  if (has('patients', 'diagnoses')) {
    const rows = await q(`SELECT code, min(description) AS description, count(DISTINCT patient_id) AS n FROM ${T('diagnoses')}
      GROUP BY code ORDER BY n DESC, code LIMIT 10`);
    const n = counts.patients;
    summary.conditions = { table: 'diagnoses', top: rows.map((r) => ({ code: String(r.code), description: r.description === null ? null : String(r.description), n: num(r.n), share: n === 0 ? 0 : (r3(num(r.n) / n) as number) })) };
  } else if (has('members')) {
    const rows = await q(`SELECT trim(code) AS code, count(DISTINCT member_id) AS n FROM
      (SELECT member_id, unnest(string_split(chronic_conditions, ',')) AS code FROM ${T('members')} WHERE chronic_conditions IS NOT NULL AND chronic_conditions <> '')
      GROUP BY ALL ORDER BY n DESC, code LIMIT 10`);
    const n = counts.members;
    summary.conditions = { table: 'members', top: rows.map((r) => ({ code: String(r.code), description: null, n: num(r.n), share: n === 0 ? 0 : (r3(num(r.n) / n) as number) })) };
  }

  if (has('patients', 'lab_results', 'diagnoses', 'medications', 'encounters')) {
    const n = counts.patients;
    const share = (x: unknown) => (n === 0 ? 0 : (r3(num(x) / n) as number));
    const h = await one(`SELECT count(*) AS results, count(DISTINCT patient_id) AS patients, avg(value) AS mean, min(value) AS min, max(value) AS max
      FROM ${T('lab_results')} WHERE code = '4548-4'`);
    const comp = await one(`SELECT count(DISTINCT patient_id) AS n FROM ${T('diagnoses')} WHERE regexp_matches(code, '^E(08|09|10|11|13)\\.[2-8]')`);
    const como = await one(`SELECT count(DISTINCT patient_id) AS n FROM ${T('diagnoses')} WHERE NOT coalesce(is_primary, false)`);
    const ins = await one(`SELECT count(DISTINCT patient_id) AS n FROM ${T('medications')} WHERE therapeutic_class ILIKE '%insulin%' OR description ILIKE '%insulin%'`);
    summary.patientsim = {
      hba1c: { results: num(h.results), patients: num(h.patients), mean: r2(numOrNull(h.mean)), min: r2(numOrNull(h.min)), max: r2(numOrNull(h.max)) },
      complicationShare: share(comp.n),
      comorbidityShare: share(como.n),
      insulinShare: share(ins.n),
      encountersPerPatient: n === 0 ? 0 : (r2(counts.encounters / n) as number),
    };
  }

  if (has('members', 'claims')) {
    const rs = await one(`SELECT min(risk_score) AS min, max(risk_score) AS max, avg(risk_score) AS mean FROM ${T('members')}`);
    const c = await one(`SELECT count(*) AS n, coalesce(sum(billed_amount), 0) AS billed, coalesce(sum(paid_amount), 0) AS paid,
      count(*) FILTER (WHERE billed_amount > 10000) AS over FROM ${T('claims')}`);
    const hi = await one(`SELECT count(*) AS n FROM (SELECT member_id FROM ${T('claims')} GROUP BY member_id HAVING sum(paid_amount) > 10000)`);
    summary.membersim = {
      planTypes: shares(await q(`SELECT plan_type AS k, count(*) AS n FROM ${T('members')} GROUP BY ALL ORDER BY k NULLS LAST`)),
      riskScore: { min: r3(numOrNull(rs.min)), max: r3(numOrNull(rs.max)), mean: r3(numOrNull(rs.mean)) },
      claims: {
        count: num(c.n), billedTotal: r2(num(c.billed)) as number, paidTotal: r2(num(c.paid)) as number,
        over10kShare: num(c.n) === 0 ? 0 : (r3(num(c.over) / num(c.n)) as number),
        membersOver10kPaidShare: counts.members === 0 ? 0 : (r3(num(hi.n) / counts.members) as number),
      },
    };
  }

  if (has('pharmacy_claims')) {
    const f = await one(`SELECT count(*) AS n, count(DISTINCT member_id) AS members, count(*) FILTER (WHERE days_supply >= 90) AS ninety,
      coalesce(sum(paid_amount), 0) AS paid FROM ${T('pharmacy_claims')}`);
    // PDC-like adherence per member and drug: days supplied over the days from first fill to the end of the last fill's supply.
    const pdc = await one(`SELECT avg(least(1.0, covered / nullif(period, 0))) AS mean FROM (
      SELECT sum(days_supply) AS covered, (max(fill_date + days_supply) - min(fill_date)) AS period
      FROM ${T('pharmacy_claims')} WHERE status IS DISTINCT FROM 'reversed' AND status IS DISTINCT FROM 'rejected'
      GROUP BY member_id, rxnorm_code)`);
    summary.rxmembersim = {
      fills: num(f.n), members: num(f.members),
      ninetyDayShare: num(f.n) === 0 ? 0 : (r3(num(f.ninety) / num(f.n)) as number),
      meanPdc: r3(numOrNull(pdc.mean)), paidTotal: r2(num(f.paid)) as number,
    };
  }

  if (has('subjects', 'arms', 'visits', 'adverse_events', 'disposition_events')) {
    const v = await one(`SELECT count(*) AS n, count(*) FILTER (WHERE status = 'COMPLETED') AS done FROM ${T('visits')}`);
    const ae = await one(`SELECT count(*) AS n, count(DISTINCT subject_id) AS subjects, count(*) FILTER (WHERE serious) AS serious FROM ${T('adverse_events')}`);
    const sf = await one(`SELECT count(*) AS n FROM ${T('subjects')} WHERE arm_id IS NULL`);
    const disp = await q(`SELECT event AS k, count(*) AS n FROM ${T('disposition_events')} WHERE category = 'DISPOSITION EVENT' GROUP BY ALL ORDER BY k`);
    summary.trialsim = {
      arms: ranked(await q(`SELECT a.name AS k, count(s.subject_id) AS n FROM ${T('arms')} a LEFT JOIN ${T('subjects')} s ON s.arm_id = a.arm_id GROUP BY ALL ORDER BY k`)),
      screenFailures: num(sf.n),
      visits: { scheduled: num(v.n), completed: num(v.done), completedShare: num(v.n) === 0 ? 0 : (r3(num(v.done) / num(v.n)) as number) },
      adverseEvents: { count: num(ae.n), subjects: num(ae.subjects), serious: num(ae.serious) },
      disposition: Object.fromEntries(disp.map((r) => [String(r.k), num(r.n)])),
    };
  }

  if (has('plan_drug_coverage', 'drugs')) {
    const c = await one(`SELECT count(*) AS n, count(*) FILTER (WHERE covered) AS covered, count(*) FILTER (WHERE covered AND pa_required) AS pa,
      count(*) FILTER (WHERE covered AND step_therapy) AS step, count(DISTINCT plan_id) AS plans FROM ${T('plan_drug_coverage')}`);
    const cov = num(c.covered);
    summary.pa = {
      drugs: counts.drugs, plans: num(c.plans), coverageRows: num(c.n),
      coveredShare: num(c.n) === 0 ? 0 : (r3(cov / num(c.n)) as number),
      paRequiredShare: cov === 0 ? 0 : (r3(num(c.pa) / cov) as number),
      stepTherapyShare: cov === 0 ? 0 : (r3(num(c.step) / cov) as number),
      forms: counts.pa_forms ?? 0, policies: counts.pa_policies ?? 0,
    };
  }

  if (input.extraColumns.includes(SOURCE_DATASET_COLUMN)) {
    const sources: Record<string, Record<string, number>> = {};
    for (const t of input.tables) {
      const rows = await q(`SELECT ${SOURCE_DATASET_COLUMN} AS k, count(*) AS n FROM ${T(t.name)} GROUP BY ALL ORDER BY k`);
      for (const r of rows) (sources[String(r.k)] ??= {})[t.name] = num(r.n);
    }
    summary.sources = sources;
  }

  summary.line = summaryLine(summary);
  return summary;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** e.g. `diabetes-cohort: 150 patients, 1,204 encounters · age 72 (65–94) · 52% F · HbA1c 7.9 · insulin 31%` */
export function summaryLine(s: DatasetSummary): string {
  const fmt = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const main = Object.entries(s.counts).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
  const lead = s.population[0];
  const parts: string[] = [];
  const countText = [lead ? [lead.table, lead.n] as const : undefined, ...main.filter(([t]) => t !== lead?.table).slice(0, 2)]
    .filter((x): x is readonly [string, number] => x !== undefined)
    .map(([t, n]) => `${fmt(n)} ${t.replace(/_/g, ' ')}`);
  parts.push(countText.length ? countText.join(', ') : 'empty');
  if (lead && lead.age.mean !== null) parts.push(`age ${Math.round(lead.age.mean)} (${lead.age.min}–${lead.age.max})`);
  if (lead && lead.sex.F !== undefined) parts.push(`${pct(lead.sex.F)} F`);
  if (s.patientsim?.hba1c.mean != null) parts.push(`HbA1c ${s.patientsim.hba1c.mean.toFixed(1)}`);
  // the insulin share tells about a diabetes cohort; "insulin 0%" on an asthma cohort tells nothing
  if (s.patientsim && (s.patientsim.hba1c.mean != null || s.patientsim.insulinShare > 0)) parts.push(`insulin ${pct(s.patientsim.insulinShare)}`);
  if (s.membersim?.riskScore.mean != null) parts.push(`risk ${s.membersim.riskScore.mean.toFixed(2)}`);
  if (s.rxmembersim?.meanPdc != null) parts.push(`PDC ${s.rxmembersim.meanPdc.toFixed(2)}`);
  if (s.trialsim) parts.push(`${s.trialsim.arms.length} arms, ${s.trialsim.adverseEvents.count} AEs`);
  if (s.pa) parts.push(`PA required ${pct(s.pa.paRequiredShare)}`);
  if (s.sources) parts.push(`${Object.keys(s.sources).length} sources`);
  return `${s.dataset}: ${parts.join(' · ')}`;
}
