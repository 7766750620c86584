/** Profile: parse → schema → semantic checks → NormalizedProfile (defaults applied). */
import { checkWeights, normalizeDistribution, sortedRecord } from './distribution.js';
import {
  AGE_RANGE,
  DEFAULT_AGE,
  DEFAULT_ALLERGIES_RATE,
  DEFAULT_BATCH_SIZE,
  DEFAULT_COUNT,
  DEFAULT_COVERAGE,
  DEFAULT_GENDER,
  DEFAULT_PHARMACY,
  DEFAULT_PRIOR_AUTH,
  DEFAULT_TRIAL,
  DEFAULT_UTILIZATION,
  MAX_COUNT,
  SECTIONS_BY_PRODUCT,
  US_STATES,
  normalizePhase,
} from './profile-defaults.js';
import type { CodeRef } from './refs.js';
import { ok, type Result } from './result.js';
import { checkExpressionAt, finishSpec, loadSpecDocument } from './spec-file.js';
import { didYouMean } from './suggest.js';
import type {
  ClinicalSpec,
  ConditionSpec,
  CoverageSpec,
  DemographicsSpec,
  Distribution,
  EntityProduct,
  GeographySpec,
  MedicationSpec,
  NormalizedProfile,
  PharmacySpec,
  TrialArmSpec,
  TrialSpec,
  UtilizationKey,
  UtilizationSpec,
} from './types.js';
import { locate, type DiagnosticSink, type SpecPath, type YamlLimits, type YamlSource } from './yaml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

export interface ProfileMeta {
  name?: string;
  version?: string | number;
  tags: string[];
}

export interface ParsedProfile {
  file: string;
  normalized: NormalizedProfile;
  /** metadata that does not change what is generated (not part of the normalized spec) */
  meta: ProfileMeta;
  codeRefs: CodeRef[];
  source: YamlSource;
}

/** Check a count: a positive whole number no larger than MAX_COUNT. */
export function checkCount(sink: DiagnosticSink, path: SpecPath, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    sink.error(path, 'spec.count', `must be a positive whole number (got ${n})`);
  } else if (n > MAX_COUNT) {
    sink.at(path, 'spec.count', `count ${n >= 1e9 ? n.toExponential().replace('e+', 'e') : n} is beyond what one build can hold; use --shard or a smaller count`, {
      hint: 'at most 10,000,000 per build',
    });
  }
}

export function parseProfile(text: string, file: string, limits?: Partial<YamlLimits>): Result<ParsedProfile> {
  const loaded = loadSpecDocument('profile', text, file, limits);
  if (!loaded.ok) return loaded;
  const { src, sink } = loaded.value;
  const codeRefs: CodeRef[] = [];
  const done = finishSpec(loaded.value, () => normalizeProfile((src.value as Raw).profile, sink, codeRefs));
  if (!done.ok) return done;
  const normalized = done.value;
  const raw = (src.value as Raw).profile;
  const meta: ProfileMeta = { tags: [...(raw.tags ?? [])].sort() };
  if (raw.name !== undefined) meta.name = raw.name;
  if (raw.version !== undefined) meta.version = raw.version;
  return ok({ file, normalized, meta, codeRefs, source: src });
}

const P = ['profile'] as const;

function codeRef(sink: DiagnosticSink, path: SpecPath, code: string, refs: CodeRef[]): void {
  const pos = locate(sink.src, path);
  refs.push({ system: 'icd10cm', code, file: sink.src.file, line: pos.line, col: pos.col, path: sink.path(path) });
}

export function normalizeProfile(raw: Raw, sink: DiagnosticSink, refs: CodeRef[] = []): NormalizedProfile {
  const product: EntityProduct = raw.product ?? 'patientsim';
  const gen = raw.generation ?? {};
  const count: number = gen.count ?? DEFAULT_COUNT;
  if (gen.count !== undefined) checkCount(sink, [...P, 'generation', 'count'], gen.count);
  const products: EntityProduct[] = gen.products ? [...gen.products] : [product];
  if (gen.products && !products.includes(product)) {
    sink.error([...P, 'generation', 'products'], 'spec.products', `must include the profile's product "${product}"`);
  }
  const generation: NormalizedProfile['generation'] = { count, batch_size: gen.batch_size ?? DEFAULT_BATCH_SIZE };
  if (gen.seed !== undefined) generation.seed = gen.seed;

  const out: NormalizedProfile = {
    id: raw.id,
    product,
    products: sortProducts(products),
    generation,
    demographics: normalizeDemographics(raw.demographics ?? {}, sink),
    clinical: normalizeClinical(raw.clinical ?? {}, sink, refs),
  };
  if (raw.description !== undefined) out.description = raw.description;

  const needs = new Set<string>(out.products.flatMap((p) => [...SECTIONS_BY_PRODUCT[p]]));
  if (raw.utilization || needs.has('utilization')) out.utilization = normalizeUtilization(raw.utilization ?? {}, sink);
  if (raw.coverage || needs.has('coverage')) out.coverage = normalizeCoverage(raw.coverage ?? {}, sink);
  if (raw.pharmacy || needs.has('pharmacy')) out.pharmacy = normalizePharmacy(raw.pharmacy ?? {}, sink, refs);
  if (raw.trial || needs.has('trial')) out.trial = normalizeTrial(raw.trial ?? {}, raw.id, sink, refs);
  if (raw.prior_auth) out.prior_auth = { ...DEFAULT_PRIOR_AUTH, ...raw.prior_auth, drugs: [...(raw.prior_auth.drugs ?? DEFAULT_PRIOR_AUTH.drugs)] };
  if (raw.providers) {
    const pr = raw.providers;
    const providers: NonNullable<NormalizedProfile['providers']> = {};
    const state = pr.state ?? pr.reference?.state;
    const specialty = pr.specialty ?? pr.reference?.specialty;
    if (state !== undefined) {
      providers.state = state;
      checkState(sink, pr.state !== undefined ? [...P, 'providers', 'state'] : [...P, 'providers', 'reference', 'state'], state);
    }
    if (specialty !== undefined) providers.specialty = specialty;
    if (pr.source !== undefined) providers.source = pr.source;
    out.providers = providers;
  }
  return out;
}

const PRODUCT_ORDER: EntityProduct[] = ['patientsim', 'membersim', 'rxmembersim', 'trialsim'];
function sortProducts(ps: EntityProduct[]): EntityProduct[] {
  return PRODUCT_ORDER.filter((p) => ps.includes(p));
}

function checkState(sink: DiagnosticSink, path: SpecPath, s: string): void {
  if (!(US_STATES as readonly string[]).includes(s)) {
    sink.error(path, 'spec.state', `"${s}" is not a US state code`, { hint: didYouMean(s, US_STATES) });
  }
}

function normalizeDemographics(d: Raw, sink: DiagnosticSink): DemographicsSpec {
  const path = [...P, 'demographics'];
  const age: Distribution = d.age === undefined ? DEFAULT_AGE : normalizeDistribution(sink, [...path, 'age'], d.age, { range: AGE_RANGE, defaultClamp: AGE_RANGE });
  let gender = DEFAULT_GENDER;
  if (d.gender) {
    // one fraction alone implies the other ({ female: 1 } is a women-only cohort)
    const female: number = d.gender.female ?? Math.round((1 - d.gender.male) * 1e9) / 1e9;
    const male: number = d.gender.male ?? Math.round((1 - d.gender.female) * 1e9) / 1e9;
    checkWeights(sink, [...path, 'gender'], { female, male });
    gender = { female, male };
  }
  const out: DemographicsSpec = { age, gender, geography: normalizeGeography(d, sink) };
  if (d.race) out.race = checkWeights(sink, [...path, 'race'], d.race);
  if (d.ethnicity) out.ethnicity = checkWeights(sink, [...path, 'ethnicity'], d.ethnicity);
  out.source = d.source ?? (d.reference ? 'populationsim' : 'manual');
  if (d.reference) {
    const ref = d.reference;
    out.reference = { type: ref.type };
    if (ref.fips !== undefined) out.reference.fips = ref.fips;
    if (ref.state !== undefined) out.reference.state = ref.state;
    if (ref.type === 'county' && ref.fips === undefined) sink.error([...path, 'reference'], 'schema.required', 'is missing required key "fips" (type county)', { target: 'key' });
    if (ref.type === 'state' && ref.state === undefined) sink.error([...path, 'reference'], 'schema.required', 'is missing required key "state" (type state)', { target: 'key' });
    if (ref.state !== undefined) checkState(sink, [...path, 'reference', 'state'], ref.state);
  }
  return out;
}

function normalizeGeography(d: Raw, sink: DiagnosticSink): GeographySpec {
  const path = [...P, 'demographics', 'geography'];
  const g = d.geography;
  if (g === undefined) {
    // seed 003: the populationsim reference decides where people live
    if (d.reference?.type === 'county' && d.reference.fips) return { kind: 'county', county_fips: [d.reference.fips] };
    if (d.reference?.type === 'state' && d.reference.state) return { kind: 'state', states: [d.reference.state] };
    return { kind: 'national' };
  }
  if (g === 'national') return { kind: 'national' };
  const keys = Object.keys(g).filter((k) => k !== 'national' || g.national === true);
  if (keys.length !== 1) {
    sink.error(path, 'spec.geography', `must use exactly one of state, county, states, counties, weights, national (got ${keys.join(', ') || 'none'})`);
    return { kind: 'national' };
  }
  const k = keys[0]!;
  switch (k) {
    case 'national':
      return { kind: 'national' };
    case 'state':
      checkState(sink, [...path, 'state'], g.state);
      return { kind: 'state', states: [g.state] };
    case 'states':
      g.states.forEach((s: string, i: number) => checkState(sink, [...path, 'states', i], s));
      return { kind: 'state', states: [...g.states].sort() };
    case 'county':
      return { kind: 'county', county_fips: [g.county] };
    case 'counties':
      return { kind: 'county', county_fips: [...g.counties].sort() };
    default: {
      const w = checkWeights(sink, [...path, 'weights'], g.weights);
      for (const key of Object.keys(w)) {
        if (!/^[0-9]{5}$/.test(key) && !(US_STATES as readonly string[]).includes(key)) {
          sink.error([...path, 'weights', key], 'spec.state', `"${key}" is neither a US state code nor a 5-digit county FIPS`, {
            target: 'key',
            hint: didYouMean(key, US_STATES),
          });
        }
      }
      return { kind: 'weighted', weights: w };
    }
  }
}

function normalizeCondition(c: Raw, path: SpecPath, sink: DiagnosticSink, refs: CodeRef[]): ConditionSpec {
  codeRef(sink, [...path, 'code'], c.code, refs);
  const out: ConditionSpec = { code: c.code, prevalence: c.prevalence ?? 1 };
  if (c.description !== undefined) out.description = c.description;
  if (c.severity) out.severity = checkWeights(sink, [...path, 'severity'], c.severity);
  if (c.onset_years_ago !== undefined) out.onset_years_ago = normalizeDistribution(sink, [...path, 'onset_years_ago'], c.onset_years_ago, { range: [0, 120] });
  return out;
}

function normalizeMedication(m: Raw, path: SpecPath, sink: DiagnosticSink, refs: CodeRef[]): MedicationSpec {
  const pos = locate(sink.src, [...path, 'name']);
  refs.push({ system: 'drug', code: m.name, file: sink.src.file, line: pos.line, col: pos.col, path: sink.path([...path, 'name']) });
  const out: MedicationSpec = { name: m.name, prevalence: m.prevalence ?? 1 };
  if (m.if !== undefined) {
    checkExpressionAt(sink, [...path, 'if'], m.if);
    out.if = m.if;
  }
  return out;
}

function normalizeClinical(c: Raw, sink: DiagnosticSink, refs: CodeRef[]): ClinicalSpec {
  const path = [...P, 'clinical'];
  const out: ClinicalSpec = {
    comorbidities: (c.comorbidities ?? []).map((x: Raw, i: number) => normalizeCondition(x, [...path, 'comorbidities', i], sink, refs)),
    medications: (c.medications ?? []).map((x: Raw, i: number) => normalizeMedication(x, [...path, 'medications', i], sink, refs)),
    derived_conditions: c.derived_conditions ?? false,
    allergies_rate: c.allergies_rate ?? DEFAULT_ALLERGIES_RATE,
  };
  if (c.primary_condition) out.primary_condition = normalizeCondition(c.primary_condition, [...path, 'primary_condition'], sink, refs);
  const seen = new Map<string, number>();
  const all = [...(c.primary_condition ? [{ code: c.primary_condition.code, p: [...path, 'primary_condition', 'code'] }] : []), ...(c.comorbidities ?? []).map((x: Raw, i: number) => ({ code: x.code, p: [...path, 'comorbidities', i, 'code'] }))];
  all.forEach((x, i) => {
    if (seen.has(x.code)) sink.error(x.p, 'spec.duplicate', `lists condition ${x.code} twice`);
    seen.set(x.code, i);
  });
  return out;
}

function normalizeUtilization(u: Raw, sink: DiagnosticSink): UtilizationSpec {
  const path = [...P, 'utilization'];
  const out: UtilizationSpec = { ...DEFAULT_UTILIZATION };
  const defaulted: UtilizationKey[] = [];
  for (const k of Object.keys(DEFAULT_UTILIZATION) as UtilizationKey[]) {
    if (u[k] !== undefined) out[k] = normalizeDistribution(sink, [...path, k], u[k], { range: [0, 1000] });
    else defaulted.push(k);
  }
  if (defaulted.length > 0) out.defaulted = defaulted;
  return out;
}

function normalizeCoverage(c: Raw, sink: DiagnosticSink): CoverageSpec {
  const path = [...P, 'coverage'];
  return {
    plan_distribution: c.plan_distribution ? checkWeights(sink, [...path, 'plan_distribution'], c.plan_distribution) : DEFAULT_COVERAGE.plan_distribution,
    line_of_business: c.line_of_business ?? DEFAULT_COVERAGE.line_of_business,
    payers: c.payers ? [...c.payers] : [],
    part_d_rate: c.part_d_rate ?? DEFAULT_COVERAGE.part_d_rate,
    lis_rate: c.lis_rate ?? DEFAULT_COVERAGE.lis_rate,
    risk_score: c.risk_score !== undefined ? normalizeDistribution(sink, [...path, 'risk_score'], c.risk_score, { range: [0, 100] }) : DEFAULT_COVERAGE.risk_score,
    claims_months: c.claims_months ?? DEFAULT_COVERAGE.claims_months,
  };
}

function normalizePharmacy(p: Raw, sink: DiagnosticSink, refs: CodeRef[]): PharmacySpec {
  const path = [...P, 'pharmacy'];
  return {
    adherence: p.adherence !== undefined ? normalizeDistribution(sink, [...path, 'adherence'], p.adherence, { range: [0, 1] }) : DEFAULT_PHARMACY.adherence,
    ninety_day_rate: p.ninety_day_rate ?? DEFAULT_PHARMACY.ninety_day_rate,
    drugs: (p.drugs ?? []).map((x: Raw, i: number) => normalizeMedication(x, [...path, 'drugs', i], sink, refs)),
    tier_copays: p.tier_copays ? sortedRecord(p.tier_copays as Record<string, number>) : DEFAULT_PHARMACY.tier_copays,
    months: p.months ?? DEFAULT_PHARMACY.months,
  };
}

function armCode(name: string): string {
  const c = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 20);
  return c === '' ? 'ARM' : c;
}

function normalizeTrial(t: Raw, profileId: string, sink: DiagnosticSink, refs: CodeRef[]): TrialSpec {
  const path = [...P, 'trial'];
  let phase = DEFAULT_TRIAL.phase;
  if (t.phase !== undefined) {
    const p = normalizePhase(t.phase);
    if (p === undefined) sink.error([...path, 'phase'], 'spec.phase', `must be a trial phase like 3, "PHASE III" or "PHASE II/III" (got ${JSON.stringify(t.phase)})`);
    else phase = p;
  }
  const arms: TrialArmSpec[] = t.arms
    ? t.arms.map((a: Raw, i: number) => ({
        code: a.code ?? armCode(a.name),
        name: a.name,
        type: a.type ?? (/placebo/i.test(a.name) ? 'PLACEBO COMPARATOR' : i === 0 ? 'EXPERIMENTAL' : 'ACTIVE COMPARATOR'),
        ratio: a.ratio ?? 1,
        treatment: a.treatment ?? a.name,
        ae_rate_multiplier: a.ae_rate_multiplier ?? 1,
      }))
    : DEFAULT_TRIAL.arms.map((a) => ({ ...a }));
  const codes = new Set<string>();
  arms.forEach((a, i) => {
    if (codes.has(a.code)) sink.error([...path, 'arms', i], 'spec.duplicate', `repeats arm code "${a.code}"`, { hint: 'give each arm its own code' });
    codes.add(a.code);
  });
  const indication = t.indication ?? DEFAULT_TRIAL.indication;
  const indication_code = t.indication_code ?? DEFAULT_TRIAL.indication_code;
  if (t.indication_code !== undefined) codeRef(sink, [...path, 'indication_code'], t.indication_code, refs);
  return {
    protocol: t.protocol ?? `${String(profileId).toUpperCase().replace(/[^A-Z0-9]+/g, '-')}-001`,
    title: t.title ?? `${phase} study of ${indication}`,
    phase,
    indication,
    indication_code,
    sponsor: t.sponsor ?? DEFAULT_TRIAL.sponsor,
    sites: t.sites ?? DEFAULT_TRIAL.sites,
    arms,
    visits: t.visits ?? DEFAULT_TRIAL.visits,
    visit_interval_days: t.visit_interval_days ?? DEFAULT_TRIAL.visit_interval_days,
    missed_visit_rate: t.missed_visit_rate ?? DEFAULT_TRIAL.missed_visit_rate,
    screen_failure_rate: t.screen_failure_rate ?? DEFAULT_TRIAL.screen_failure_rate,
    discontinuation_rate: t.discontinuation_rate ?? DEFAULT_TRIAL.discontinuation_rate,
    ae_rate: t.ae_rate ?? DEFAULT_TRIAL.ae_rate,
    enrollment_months: t.enrollment_months ?? DEFAULT_TRIAL.enrollment_months,
  };
}
