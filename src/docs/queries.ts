/**
 * The aggregate SQL behind every plot. Each function returns the exact SQL it ran with the rows
 * it got, so a page can show the query and a reader can run it again with
 * `healthsim query <dataset> "<sql>"` (unqualified table names resolve to the dataset's schema,
 * exactly as they do here). Queries aggregate in DuckDB and return a bounded number of rows
 * (bands, bins, months, codes, sites): no page ever carries a dataset's rows, whatever its size.
 * Rows are ordered in SQL, so the output is the same on every run.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../store/sql.js';
import { queryRows, type JsonRow } from '../store/values.js';

export interface PlotQuery<R> {
  sql: string;
  rows: R[];
}

/** Runs SQL against one dataset's schema (the connection's default schema). */
export interface DatasetReader {
  rows(sql: string): Promise<JsonRow[]>;
  /** tables present in the dataset */
  tables: ReadonlySet<string>;
}

export function datasetReader(conn: DuckDBConnection, tables: ReadonlySet<string>): DatasetReader {
  return { rows: (sql) => queryRows(conn, sql), tables };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

async function run<R>(db: DatasetReader, sql: string, map: (r: JsonRow) => R): Promise<PlotQuery<R>> {
  return { sql, rows: (await db.rows(sql)).map(map) };
}

// ── age pyramid ───────────────────────────────────────────────────────────────────────────────

export interface AgeBandRow { bandStart: number; sex: string; people: number }

/** People per 5-year age band and sex (patients, members or subjects). */
export function agePyramid(db: DatasetReader, table: 'patients' | 'members' | 'subjects'): Promise<PlotQuery<AgeBandRow>> {
  const sql = `SELECT (floor(age / 5) * 5)::INTEGER AS band_start, coalesce(sex, 'unknown') AS sex, count(*) AS people
FROM ${table}
WHERE age IS NOT NULL
GROUP BY ALL
ORDER BY band_start, sex`;
  return run(db, sql, (r) => ({ bandStart: num(r.band_start), sex: str(r.sex), people: num(r.people) }));
}

// ── condition prevalence ─────────────────────────────────────────────────────────────────────

export interface PrevalenceRow { code: string; description: string; people: number; population: number; share: number }

/** An ICD-10-CM code as an SQL literal (validated specs only hold codes; quoted anyway). */
function codeList(codes: readonly string[]): string {
  return codes.map((c) => `(${sqlString(c)})`).join(', ');
}

/** A code matches a target when it is the target or lies under it (E11 → E11.9, E11.6 → E11.65). */
const MATCH = `(c.code = t.code OR starts_with(c.code, t.code || CASE WHEN contains(t.code, '.') THEN '' ELSE '.' END))`;

/**
 * Share of people with each target condition (ever diagnosed: any status), in the target's
 * order of `codes` sorted by code. Patients read `diagnoses`; members read `chronic_conditions`.
 */
export function conditionPrevalence(db: DatasetReader, codes: readonly string[]): Promise<PlotQuery<PrevalenceRow>> {
  const sorted = [...new Set(codes)].sort();
  const patients = db.tables.has('patients') && db.tables.has('diagnoses');
  const source = patients
    ? { pop: 'patients', coded: 'SELECT patient_id AS id, code, description FROM diagnoses' }
    : { pop: 'members', coded: "SELECT member_id AS id, trim(unnest(string_split(chronic_conditions, ','))) AS code, NULL AS description FROM members WHERE chronic_conditions <> ''" };
  const sql = `WITH t(code) AS (VALUES ${codeList(sorted)}),
c AS (${source.coded})
SELECT t.code, min(c.description) FILTER (WHERE c.code = t.code) AS description, count(DISTINCT c.id) AS people, (SELECT count(*) FROM ${source.pop}) AS population,
  round(count(DISTINCT c.id) / (SELECT count(*) FROM ${source.pop}), 4) AS share
FROM t LEFT JOIN c ON ${MATCH}
GROUP BY t.code
ORDER BY t.code`;
  return run(db, sql, (r) => ({ code: str(r.code), description: str(r.description), people: num(r.people), population: num(r.population), share: num(r.share) }));
}

/** When a dataset has no targets: the 10 most frequent ICD-10-CM categories (first 3 characters). */
export function topConditionCategories(db: DatasetReader): Promise<PlotQuery<PrevalenceRow>> {
  const patients = db.tables.has('patients') && db.tables.has('diagnoses');
  const source = patients
    ? { pop: 'patients', coded: 'SELECT patient_id AS id, code FROM diagnoses' }
    : { pop: 'members', coded: "SELECT member_id AS id, trim(unnest(string_split(chronic_conditions, ','))) AS code FROM members WHERE chronic_conditions <> ''" };
  const sql = `WITH c AS (${source.coded})
SELECT left(code, 3) AS code, '' AS description, count(DISTINCT id) AS people, (SELECT count(*) FROM ${source.pop}) AS population,
  round(count(DISTINCT id) / (SELECT count(*) FROM ${source.pop}), 4) AS share
FROM c
GROUP BY ALL
ORDER BY people DESC, code
LIMIT 10`;
  return run(db, sql, (r) => ({ code: str(r.code), description: '', people: num(r.people), population: num(r.population), share: num(r.share) }));
}

// ── lab histograms ────────────────────────────────────────────────────────────────────────────

export interface LabSource {
  /** lab_results (level: the primary condition's control level) or trial_lab_results (level: arm) */
  table: 'lab_results' | 'trial_lab_results';
  levelName: string;
}

/** The results with their group (control level or arm), as a CTE body. */
function labResultsWithLevel(source: LabSource): string {
  if (source.table === 'lab_results') {
    return `SELECT l.code, l.description, l.unit, l.value, l.patient_id AS id, coalesce(p.level, 'no primary condition') AS level
  FROM lab_results l
  LEFT JOIN (SELECT patient_id, min(severity) AS level FROM diagnoses WHERE is_primary GROUP BY patient_id) p USING (patient_id)
  WHERE l.value IS NOT NULL`;
  }
  return `SELECT l.code, l.description, l.unit, l.value, l.subject_id AS id, coalesce(a.name, 'not randomized') AS level
  FROM trial_lab_results l
  JOIN subjects s USING (subject_id)
  LEFT JOIN arms a ON a.arm_id = s.arm_id
  WHERE l.value IS NOT NULL`;
}

export interface LabCodeRow { code: string; description: string; unit: string; results: number; min: number; max: number; separation: number; integral: boolean }

export function labSourceFor(tables: ReadonlySet<string>): LabSource | undefined {
  if (tables.has('lab_results') && tables.has('diagnoses')) return { table: 'lab_results', levelName: 'control level' };
  if (tables.has('trial_lab_results') && tables.has('subjects') && tables.has('arms')) return { table: 'trial_lab_results', levelName: 'arm' };
  return undefined;
}

/**
 * The common LOINC codes worth plotting: measured in at least 10% of people, ranked by how far
 * apart the group means lie (in standard deviations: the tests that differ by control level
 * come first), then by number of results.
 */
export function labCodes(db: DatasetReader, source: LabSource, limit = 4): Promise<PlotQuery<LabCodeRow>> {
  const population = source.table === 'lab_results' ? 'patients' : 'subjects';
  const sql = `WITH r AS (
  ${labResultsWithLevel(source)}
),
g AS (SELECT code, level, avg(value) AS mean, count(*) AS n FROM r GROUP BY ALL),
o AS (SELECT code, min(description) AS description, min(unit) AS unit, count(*) AS results, count(DISTINCT id) AS people,
  min(value) AS min, max(value) AS max, stddev_pop(value) AS sd, bool_and(value = round(value)) AS integral FROM r GROUP BY code)
SELECT o.code, o.description, o.unit, o.results, o.min, o.max, o.integral,
  round(coalesce((max(g.mean) - min(g.mean)) / nullif(o.sd, 0), 0), 2) AS separation
FROM o JOIN g USING (code)
WHERE g.n >= 5 AND o.people >= 0.1 * (SELECT count(*) FROM ${population})
GROUP BY o.code, o.description, o.unit, o.results, o.min, o.max, o.integral, o.sd
ORDER BY separation DESC, results DESC, code
LIMIT ${limit}`;
  return run(db, sql, (r) => ({
    code: str(r.code), description: str(r.description), unit: str(r.unit), results: num(r.results),
    min: num(r.min), max: num(r.max), separation: num(r.separation), integral: r.integral === true,
  }));
}

export interface LabBinRow { bin: number; binStart: number; binEnd: number; level: string; results: number }

/**
 * A 1–2–2.5–5 × 10^k step giving about `target` bins over [min, max]. For whole-number values
 * the step is a whole number without 2.5 (a 2.5-wide bin would hold 2 or 3 possible values in
 * turn and draw a false sawtooth).
 */
export function niceStep(min: number, max: number, target = 20, integral = false): number {
  const span = max - min;
  if (!(span > 0)) return 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const steps = integral ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  for (const m of steps) if (raw <= m * mag) return integral ? Math.max(1, m * mag) : m * mag;
  return 10 * mag;
}

function decimals(step: number): number {
  const s = String(step);
  return s.includes('.') ? s.split('.')[1]!.length : 0;
}

/** Histogram of one code's values by group; bins are `step` wide, counted in SQL. */
export function labHistogram(db: DatasetReader, source: LabSource, code: string, step: number): Promise<PlotQuery<LabBinRow>> {
  const d = decimals(step);
  const sql = `WITH r AS (
  ${labResultsWithLevel(source)}
)
SELECT floor(value / ${step})::BIGINT AS bin, level, count(*) AS results
FROM r
WHERE code = ${sqlString(code)}
GROUP BY ALL
ORDER BY bin, level`;
  const round = (x: number) => Number(x.toFixed(d));
  return run(db, sql, (r) => ({
    bin: num(r.bin), binStart: round(num(r.bin) * step), binEnd: round((num(r.bin) + 1) * step), level: str(r.level), results: num(r.results),
  }));
}

// ── event timeline ────────────────────────────────────────────────────────────────────────────

export interface TimelineRow { events: string; month: string; n: number }

const TIMELINE_SOURCES: readonly { table: string; label: string; date: string; where?: string }[] = [
  { table: 'encounters', label: 'encounters', date: 'start_date' },
  { table: 'claims', label: 'medical claims', date: 'service_date' },
  { table: 'pharmacy_claims', label: 'pharmacy fills', date: 'fill_date' },
  { table: 'visits', label: 'trial visits (attended)', date: 'actual_date' },
  { table: 'adverse_events', label: 'adverse events', date: 'onset_date' },
];

/** Events per calendar month, one series per event table present. */
export function eventTimeline(db: DatasetReader): Promise<PlotQuery<TimelineRow>> | undefined {
  const parts = TIMELINE_SOURCES.filter((s) => db.tables.has(s.table)).map(
    (s) => `SELECT '${s.label}' AS events, strftime(${s.date}, '%Y-%m') AS month, count(*) AS n FROM ${s.table} WHERE ${s.date} IS NOT NULL GROUP BY ALL`,
  );
  if (parts.length === 0) return undefined;
  const sql = `${parts.join('\nUNION ALL\n')}\nORDER BY events, month`;
  return run(db, sql, (r) => ({ events: str(r.events), month: str(r.month), n: num(r.n) }));
}

// ── claim costs ───────────────────────────────────────────────────────────────────────────────

/** Upper bounds of the cost bins in dollars; the last bin is open-ended. */
export const COST_BREAKS: readonly number[] = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000];

export function costBinLabel(bin: number): string {
  const money = (n: number) => `$${n >= 1000 ? `${n / 1000}k` : n}`;
  if (bin === 0) return `< ${money(COST_BREAKS[0]!)}`;
  if (bin >= COST_BREAKS.length) return `≥ ${money(COST_BREAKS[COST_BREAKS.length - 1]!)}`;
  return `${money(COST_BREAKS[bin - 1]!)}–${money(COST_BREAKS[bin]!)}`;
}

export interface CostRow { amount: string; bin: number; label: string; n: number }

function costCase(column: string): string {
  return `CASE ${COST_BREAKS.map((b, i) => `WHEN ${column} < ${b} THEN ${i}`).join(' ')} ELSE ${COST_BREAKS.length} END`;
}

/** Claims per cost bin, for each amount column (billed, allowed, paid) of `table`. */
export function costAmounts(table: 'claims' | 'pharmacy_claims'): string[] {
  return table === 'claims' ? ['billed_amount', 'allowed_amount', 'paid_amount'] : ['ingredient_cost', 'paid_amount'];
}

export function claimCosts(db: DatasetReader, table: 'claims' | 'pharmacy_claims'): Promise<PlotQuery<CostRow>> {
  const amounts = costAmounts(table);
  const sql = `${amounts
    .map((a) => `SELECT '${a}' AS amount, ${costCase(a)} AS bin, count(*) AS n FROM ${table} WHERE ${a} IS NOT NULL GROUP BY ALL`)
    .join('\nUNION ALL\n')}\nORDER BY amount, bin`;
  return run(db, sql, (r) => ({ amount: str(r.amount), bin: num(r.bin), label: costBinLabel(num(r.bin)), n: num(r.n) }));
}

// ── trial enrollment ──────────────────────────────────────────────────────────────────────────

export interface EnrollmentRow { site: string; arm: string; subjects: number }

/** Subjects per site and arm (screen failures have no arm). */
export function trialEnrollment(db: DatasetReader): Promise<PlotQuery<EnrollmentRow>> {
  const sql = `SELECT s.site_number || ' ' || s.name AS site, coalesce(a.name, 'screen failure') AS arm, count(*) AS subjects
FROM subjects su
JOIN sites s USING (site_id)
LEFT JOIN arms a ON a.arm_id = su.arm_id
GROUP BY ALL
ORDER BY site, arm`;
  return run(db, sql, (r) => ({ site: str(r.site), arm: str(r.arm), subjects: num(r.subjects) }));
}
