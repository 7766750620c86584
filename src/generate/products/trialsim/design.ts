/**
 * Study design rows (study, sites, arms) drawn once per dataset, and the defaults that
 * reproduce the seed's oncology trial (Phase 3 NSCLC, 8 sites, 1:1 arms, 12 visits, ≈77% of
 * scheduled visits completed, ≈0.45 AEs per subject in ≈16% of subjects).
 */
import type { Row } from '../../../model/types.js';
import type { TrialArmSpec, TrialSpec } from '../../../spec/types.js';
import type { GenerateContext } from '../../types.js';
import { countiesInState, zipsInCounty } from '../../../reference/geography.js';
import { firstNamesFor, pickWeighted as pickName, surnameTable } from '../../../reference/names.js';
import { networkStates } from '../membersim/network.js';
import { addMonths, firstOfMonth, pad, pickByWeight, yearOf } from '../membersim/common.js';

export function defaultTrial(refDay: number): TrialSpec {
  return {
    protocol: `ONCO-${yearOf(refDay)}-001`,
    title: 'A Phase 3, Randomized, Open-Label Study of Drug A plus Standard of Care versus Standard of Care Alone in Advanced Non-Small Cell Lung Cancer',
    phase: 'PHASE III',
    indication: 'NSCLC',
    indication_code: 'C34.90',
    sponsor: 'Healthsim Oncology Sponsor (synthetic)',
    sites: 8,
    arms: [
      { code: 'ACTIVE', name: 'Drug A + SOC', type: 'EXPERIMENTAL', ratio: 1, treatment: 'Drug A 200 mg IV every 3 weeks plus carboplatin/pemetrexed', ae_rate_multiplier: 1.3 },
      { code: 'CONTROL', name: 'SOC only', type: 'ACTIVE COMPARATOR', ratio: 1, treatment: 'Carboplatin/pemetrexed 500 mg/m2 IV every 3 weeks', ae_rate_multiplier: 0.7 },
    ],
    visits: 12,
    visit_interval_days: 21,
    missed_visit_rate: 0.13,
    screen_failure_rate: 0,
    discontinuation_rate: 0.25,
    ae_rate: 0.445,
    enrollment_months: 12,
  };
}

/** CDISC trial phase term for spec spellings: 3, III, Phase 3, phase_3 → PHASE III. */
export function cdiscPhase(phase: string): string {
  const roman: Record<string, string> = { '1': 'I', '2': 'II', '3': 'III', '4': 'IV', I: 'I', II: 'II', III: 'III', IV: 'IV' };
  const s = phase.toUpperCase().replace(/[_-]+/g, ' ').replace(/PHASE/g, '').trim();
  const parts = s.split(/[\s/]+/).filter(Boolean).map((p) => roman[p] ?? p);
  return parts.length > 0 ? `PHASE ${parts.join('/')}` : 'PHASE III';
}

export interface SiteRef {
  site_id: string;
  site_number: string;
  weight: number;
  activationDay: number;
}

export interface TrialState {
  trial: TrialSpec;
  study_id: string;
  startDay: number;
  sites: SiteRef[];
  arms: { arm_id: string; spec: TrialArmSpec; ratio: number }[];
  /** arm indexes of one randomization block, in canonical order (ratio copies each, ×2) */
  blockTemplate: number[];
}

export function trialOf(ctx: GenerateContext): TrialSpec {
  return ctx.req.profile.trial ?? defaultTrial(ctx.refDay);
}

const SITE_SUFFIXES = ['Cancer Institute', 'Oncology Research Center', 'University Medical Center', 'Cancer Center', 'Clinical Research Unit'];

export function buildDesign(ctx: GenerateContext): { state: TrialState; rows: { studies: Row[]; sites: Row[]; arms: Row[] } } {
  const trial = trialOf(ctx);
  const rng = ctx.streams.shared('trial-design');
  const ns = ctx.nsToken;
  const study_id = `${ns}-${trial.protocol}`;
  // the whole schedule fits before the reference date: enrollment, treatment, 3 months of close-out
  const scheduleDays = trial.visits * trial.visit_interval_days;
  const startDay = firstOfMonth(ctx.refDay - Math.round(trial.enrollment_months * 30.4375) - scheduleDays - 90);

  const states = networkStates(ctx.req.profile.demographics?.geography, ctx.req.profile.providers?.state);
  const sites: SiteRef[] = [];
  const siteRows: Row[] = [];
  for (let k = 0; k < trial.sites; k++) {
    const site_number = pad(101 + k, 3);
    const site_id = `${study_id}-${site_number}`;
    const state = states[k % states.length];
    const counties = countiesInState(state);
    let city: string | null = null;
    if (counties.length > 0) {
      const c = pickByWeight(rng, counties, counties.map((x) => x.population));
      const zips = zipsInCounty(c.fips);
      city = zips.length > 0 ? zips[rng.int(0, zips.length - 1)].city : null;
    }
    const sex = rng.chance(0.5) ? 'F' : 'M';
    const pi = `${pickName(firstNamesFor(sex), rng.next())} ${pickName(surnameTable(), rng.next())}, MD`;
    const weight = 0.6 + rng.next() * 0.8;
    const activationDay = startDay + rng.int(0, 60);
    sites.push({ site_id, site_number, weight, activationDay });
    siteRows.push({
      site_id, study_id, site_number,
      name: `${city ?? rng.pick(['Lakeside', 'Summit', 'Riverside', 'Northgate'])} ${rng.pick(SITE_SUFFIXES)}`,
      city, state, principal_investigator: pi,
    });
  }

  const arms = trial.arms.map((spec) => ({ arm_id: `${study_id}-${spec.code}`, spec, ratio: Math.max(1, Math.round(spec.ratio)) }));
  const blockTemplate: number[] = [];
  for (let rep = 0; rep < 2; rep++) arms.forEach((a, k) => { for (let r = 0; r < a.ratio; r++) blockTemplate.push(k); });

  const studyRow: Row = {
    study_id,
    protocol: trial.protocol,
    title: trial.title,
    phase: cdiscPhase(trial.phase),
    indication: trial.indication,
    indication_code: trial.indication_code,
    sponsor: trial.sponsor,
    start_date: isoDateOf(startDay),
    planned_subjects: ctx.req.count,
    visits_per_subject: trial.visits,
  };
  const armRows: Row[] = arms.map((a) => ({
    arm_id: a.arm_id, study_id, arm_code: a.spec.code.slice(0, 20), name: a.spec.name, arm_type: a.spec.type, ratio: a.ratio, treatment: a.spec.treatment,
  }));
  return {
    state: { trial, study_id, startDay, sites, arms, blockTemplate },
    rows: { studies: [studyRow], sites: siteRows, arms: armRows },
  };
}

function isoDateOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Last day a subject can be screened (end of the enrollment period). */
export function enrollmentEnd(state: TrialState): number {
  return addMonths(state.startDay, Math.max(1, Math.round(state.trial.enrollment_months)));
}
