/**
 * One trial subject: site, screening/consent/randomization, arm (permuted blocks keyed by the
 * block's index, so the arm never depends on other subjects' data), adverse events, discontinuation,
 * visits (scheduled vs actual), disposition, labs/vitals and exposures. Nothing is dated after the
 * reference date: visits scheduled later are not written and such subjects are ONGOING.
 */
import type { Row } from '../../../model/types.js';
import type { Person } from '../../person.js';
import type { Rng } from '../../rng.js';
import type { GenerateContext, TableRows } from '../../types.js';
import { ADVERSE_EVENT_TERMS } from '../../../reference/claims/adverseEvents.js';
import { ageOn, clamp, isoDate, pad, pickByWeight, poisson } from '../membersim/common.js';
import { enrollmentEnd, type TrialState } from './design.js';
import { TRIAL_LAB_TESTS } from './labs.js';

/** Mean number of AEs in a subject who has any (seed: 89 AEs in 32 subjects). */
const AES_PER_AFFECTED = 2.8;
const GRADE_WEIGHTS = [0.46, 0.34, 0.145, 0.045, 0.01];
const AE_DISCONTINUE_RATE = 0.35; // of subjects with a grade ≥ 3 AE
const NON_AE_REASONS: readonly [string, number][] = [
  ['PROGRESSIVE DISEASE', 0.42], ['WITHDRAWAL BY SUBJECT', 0.3], ['LOST TO FOLLOW-UP', 0.12], ['PHYSICIAN DECISION', 0.16],
];

export function subjectId(ctx: GenerateContext, i: number): string {
  return `${ctx.nsToken}-SUBJ${pad(i + 1, 6)}`;
}

/** Arm index for entity i: slot i mod B of a permutation drawn for block ⌊i / B⌋. */
export function armIndexFor(ctx: GenerateContext, state: TrialState, i: number): number {
  const b = state.blockTemplate.length;
  const block = Math.floor(i / b);
  const perm = state.blockTemplate.slice();
  const rng = ctx.streams.entity(block * b, 'randomization-block');
  for (let k = perm.length - 1; k > 0; k--) {
    const j = rng.int(0, k);
    [perm[k], perm[j]] = [perm[j], perm[k]];
  }
  return perm[i % b];
}

function cdiscRace(race: string): string {
  const r = race.toLowerCase();
  if (r.includes('black')) return 'BLACK OR AFRICAN AMERICAN';
  if (r.includes('asian')) return 'ASIAN';
  if (r.includes('indian') || r.includes('alaska')) return 'AMERICAN INDIAN OR ALASKA NATIVE';
  if (r.includes('hawaiian') || r.includes('pacific')) return 'NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER';
  if (r.includes('white')) return 'WHITE';
  if (r.includes('multiple') || r.includes('two or more')) return 'MULTIPLE';
  return 'NOT REPORTED';
}

function cdiscEthnicity(eth: string): string {
  const e = eth.toLowerCase();
  if (e.includes('not hispanic') || e.includes('non-hispanic') || e.includes('non hispanic')) return 'NOT HISPANIC OR LATINO';
  if (e.includes('hispanic') || e.includes('latino')) return 'HISPANIC OR LATINO';
  return 'NOT REPORTED';
}

interface AeDraft {
  onset: number;
  term: (typeof ADVERSE_EVENT_TERMS)[number];
  grade: number;
  action: string;
  relatedness: string;
  serious: boolean;
  duration: number;
}

function drawAe(rng: Rng, onset: number, experimental: boolean): AeDraft {
  const terms = ADVERSE_EVENT_TERMS;
  const term = pickByWeight(rng, terms, terms.map((x) => x.weight * (experimental && x.treatmentRelated ? 1.5 : 1)));
  let grade = pickByWeight(rng, [1, 2, 3, 4, 5], GRADE_WEIGHTS);
  grade = Math.min(grade, term.maxGrade);
  const serious = grade === 5 || rng.chance(grade === 4 ? 0.8 : grade === 3 ? 0.45 : 0.03);
  const relatedness = experimental && term.treatmentRelated
    ? pickByWeight(rng, ['RELATED', 'POSSIBLY RELATED', 'NOT RELATED'], [0.5, 0.3, 0.2])
    : pickByWeight(rng, ['RELATED', 'POSSIBLY RELATED', 'NOT RELATED'], [0.15, 0.25, 0.6]);
  const action = grade >= 3 && grade < 5
    ? pickByWeight(rng, ['DOSE NOT CHANGED', 'DOSE REDUCED', 'DRUG INTERRUPTED'], [0.3, 0.3, 0.4])
    : 'DOSE NOT CHANGED';
  const duration = grade === 5 ? 0 : rng.int(2, 10 + grade * 8);
  return { onset, term, grade, action, relatedness, serious, duration };
}

export function subjectRows(ctx: GenerateContext, person: Person, state: TrialState): TableRows {
  const rng = ctx.streams.entity(person.index, 'trial');
  const trial = state.trial;
  const ref = ctx.refDay;
  const sid = subjectId(ctx, person.index);
  const site = pickByWeight(rng, state.sites, state.sites.map((s) => s.weight));
  const subjectNumber = `${site.site_number}-${pad(person.index + 1, 4)}`;
  const lastScreen = Math.min(enrollmentEnd(state), ref);
  const screening = site.activationDay + rng.int(0, Math.max(0, lastScreen - site.activationDay));
  const consent = screening - rng.int(0, 3);
  const screenFailure = rng.chance(trial.screen_failure_rate);
  const randomization = Math.min(ref, screening + rng.int(7, 28));
  const armIdx = armIndexFor(ctx, state, person.index);
  const arm = state.arms[armIdx];
  const experimental = arm.spec.type === 'EXPERIMENTAL';

  const out: TableRows = { subjects: [], visits: [], adverse_events: [], disposition_events: [], trial_lab_results: [], exposures: [] };
  const disposition = (k: number, category: string, event: string, day: number) =>
    out.disposition_events.push({ disposition_event_id: `${sid}-D${k}`, subject_id: sid, category, event, event_date: isoDate(day) });
  disposition(1, 'PROTOCOL MILESTONE', 'INFORMED CONSENT OBTAINED', consent);

  const subject: Row = {
    subject_id: sid,
    person_id: person.person_id,
    study_id: state.study_id,
    site_id: site.site_id,
    arm_id: null,
    subject_number: subjectNumber,
    usubjid: `${trial.protocol}-${subjectNumber}`,
    sex: person.sex,
    birth_date: person.birth_date,
    age: ageOn(person.birth_date, consent),
    race: cdiscRace(person.race),
    ethnicity: cdiscEthnicity(person.ethnicity),
    screening_date: isoDate(screening),
    consent_date: isoDate(consent),
    randomization_date: null,
    status: 'SCREEN FAILURE',
  };
  out.subjects.push(subject);
  if (screenFailure) {
    disposition(2, 'DISPOSITION EVENT', 'SCREEN FAILURE', Math.min(ref, screening + rng.int(3, 21)));
    return out;
  }
  subject.arm_id = arm.arm_id;
  subject.randomization_date = isoDate(randomization);
  disposition(2, 'PROTOCOL MILESTONE', 'RANDOMIZED', randomization);

  const interval = trial.visit_interval_days;
  const scheduled = (k: number) => randomization + (k - 1) * interval;
  const lastVisitDay = scheduled(trial.visits);

  // adverse events over the planned treatment period (plus 30 days of follow-up)
  const pAny = clamp((trial.ae_rate / AES_PER_AFFECTED) * arm.spec.ae_rate_multiplier * 1.12, 0, 0.95);
  const aes: AeDraft[] = [];
  if (rng.chance(pAny)) {
    const n = 1 + poisson(rng, AES_PER_AFFECTED - 1);
    for (let k = 0; k < n; k++) aes.push(drawAe(rng, randomization + rng.int(1, Math.max(1, lastVisitDay + 30 - randomization)), experimental));
    aes.sort((a, b) => a.onset - b.onset);
  }

  // discontinuation: death from a fatal AE, withdrawal for a severe AE, or another reason
  let discDay: number | null = null;
  let discReason = '';
  const fatal = aes.find((a) => a.grade === 5 && a.onset <= lastVisitDay);
  const severe = aes.find((a) => a.grade >= 3 && a.grade < 5 && a.onset < lastVisitDay);
  const withdrawForAe = severe !== undefined && rng.chance(AE_DISCONTINUE_RATE);
  const otherReason = rng.chance(trial.discontinuation_rate * 0.9);
  const otherDay = randomization + rng.int(1, Math.max(1, lastVisitDay - randomization - 1));
  if (fatal && (!withdrawForAe || fatal.onset <= severe!.onset)) {
    discDay = fatal.onset;
    discReason = 'DEATH';
  } else if (withdrawForAe) {
    discDay = Math.min(lastVisitDay - 1, severe!.onset + rng.int(1, 7));
    discReason = 'ADVERSE EVENT';
    severe!.action = 'DRUG WITHDRAWN';
  } else if (otherReason) {
    discDay = otherDay;
    discReason = pickByWeight(rng, NON_AE_REASONS.map((r) => r[0]), NON_AE_REASONS.map((r) => r[1]));
  }
  if (discDay !== null && discDay > ref) discDay = null; // not yet happened: still on study
  const followUpEnd = Math.min(ref, (discDay ?? lastVisitDay) + 30);
  const keptAes = aes.filter((a) => a.onset <= followUpEnd && (fatal === undefined || a.onset <= fatal.onset));

  // visits
  const doseReducedFrom = keptAes.find((a) => a.action === 'DOSE REDUCED')?.onset ?? Infinity;
  // the subject's own level of each test; weight starts from the person's body weight when known
  const subjectLabs = TRIAL_LAB_TESTS.map((tst) => {
    const own = rng.normal(0, tst.sd * 0.7);
    const kg = person.clinical?.weight_kg;
    return tst.testCode === 'WEIGHT' && typeof kg === 'number' && kg > 0 ? kg - tst.mean : own;
  });
  let prevActual = randomization - 1;
  let lastCompleted: number | null = null;
  for (let k = 1; k <= trial.visits; k++) {
    const sched = scheduled(k);
    const missRoll = rng.next();
    const jitter = rng.int(-2, 3);
    if (sched > ref) break;
    const visit_id = `${sid}-V${pad(k, 2)}`;
    const afterDisc = discDay !== null && sched > discDay;
    let status: string;
    let actual: number | null = null;
    if (afterDisc) status = 'NOT DONE';
    else if (k > 1 && missRoll < trial.missed_visit_rate) status = 'MISSED';
    else {
      status = 'COMPLETED';
      actual = k === 1 ? randomization : clamp(sched + jitter, prevActual + 1, ref);
      if (discDay !== null) actual = Math.min(actual, discDay);
      prevActual = actual;
      lastCompleted = actual;
    }
    const name = k === 1 ? 'BASELINE' : k === trial.visits ? 'END OF STUDY' : `WEEK ${Math.round(((k - 1) * interval) / 7)}`;
    out.visits.push({ visit_id, subject_id: sid, visit_number: k, visit_name: name, scheduled_date: isoDate(sched), actual_date: actual === null ? null : isoDate(actual), status });
    if (actual === null) continue;
    const fullPanel = k % 2 === 1;
    TRIAL_LAB_TESTS.forEach((tst, n) => {
      if (tst.category !== 'VITAL SIGNS' && !fullPanel) return;
      const shift = experimental && k > 1 ? tst.armShift : 0;
      const v = tst.mean + subjectLabs[n] + shift + rng.normal(0, tst.sd * 0.5);
      const value = Math.max(0, Math.round(v * 10 ** tst.decimals) / 10 ** tst.decimals);
      out.trial_lab_results.push({
        trial_lab_result_id: `${visit_id}-${tst.testCode}`, subject_id: sid, visit_id, category: tst.category, test_code: tst.testCode,
        code: tst.loinc, description: tst.name, value, unit: tst.unit, reference_low: tst.low, reference_high: tst.high, collection_date: isoDate(actual!),
      });
    });
    if (k < trial.visits) {
      const dose = doseFor(arm.spec.treatment);
      out.exposures.push({
        exposure_id: `${visit_id}-EX`, subject_id: sid, visit_id, treatment: arm.spec.treatment,
        dose: actual >= doseReducedFrom ? Math.round(dose.value * 0.8 * 100) / 100 : dose.value, dose_unit: dose.unit, route: dose.route,
        start_date: isoDate(actual), end_date: isoDate(actual),
      });
    }
  }

  keptAes.forEach((a, k) => {
    const end = a.grade === 5 ? a.onset : a.onset + a.duration;
    const ended = end <= ref;
    out.adverse_events.push({
      adverse_event_id: `${sid}-AE${pad(k + 1, 2)}`, subject_id: sid, term: a.term.term, system_organ_class: a.term.soc,
      onset_date: isoDate(a.onset), end_date: ended ? isoDate(end) : null, ctcae_grade: a.grade, serious: a.serious,
      relatedness: a.relatedness,
      outcome: a.grade === 5 ? 'FATAL' : ended ? 'RECOVERED/RESOLVED' : a.grade >= 3 ? 'NOT RECOVERED/NOT RESOLVED' : 'RECOVERING/RESOLVING',
      action_taken: a.action,
    });
  });

  if (discDay !== null) {
    subject.status = 'DISCONTINUED';
    disposition(3, 'DISPOSITION EVENT', discReason, discDay);
  } else if (lastVisitDay <= ref) {
    subject.status = 'COMPLETED';
    disposition(3, 'DISPOSITION EVENT', 'COMPLETED', Math.max(lastCompleted ?? lastVisitDay, lastVisitDay));
  } else {
    subject.status = 'ONGOING';
  }
  return out;
}

/** Dose, unit and route read from a treatment description ('Drug A 200 mg IV …'). */
export function doseFor(treatment: string): { value: number; unit: string; route: string } {
  const m = /(\d+(?:\.\d+)?)\s*(mg\/m2|mg\/kg|mg|AUC)/i.exec(treatment);
  const route = /\b(oral|tablet|capsule|po)\b/i.test(treatment) ? 'ORAL' : /\b(subcutaneous|sc)\b/i.test(treatment) ? 'SUBCUTANEOUS' : 'INTRAVENOUS';
  return m ? { value: Number(m[1]), unit: m[2], route } : { value: 200, unit: 'mg', route };
}
