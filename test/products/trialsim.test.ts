import { describe, expect, it } from 'vitest';
import { cdiscPhase, defaultTrial, doseFor, trialsimGenerator } from '../../src/generate/products/trialsim/index.js';
import { ADVERSE_EVENT_TERMS } from '../../src/reference/claims/adverseEvents.js';
import type { TrialSpec } from '../../src/spec/types.js';
import type { TableRows } from '../../src/generate/types.js';
import { allDates, baseProfile, checkIntegrity, makeContext, makePerson, people, REF_DATE, runProduct } from './helpers.js';

const REF_DAY = Math.floor(Date.parse(REF_DATE + 'T00:00:00Z') / 86_400_000);

function trialRun(count: number, seed = 42, trial?: Partial<TrialSpec>): TableRows {
  const spec = trial ? { ...defaultTrial(REF_DAY), ...trial } : undefined;
  const ctx = makeContext(baseProfile({ product: 'trialsim', products: ['trialsim'], trial: spec }), count, seed);
  return runProduct(trialsimGenerator, ctx, people(ctx, count, { minAge: 40, maxAge: 80 }));
}

const seedShape = [1, 2, 3].map((seed) => trialRun(200, seed));
const out = seedShape[0];

describe('trialsim defaults (seed shape: Phase 3 NSCLC, 8 sites, 200 subjects, 1:1, 12 visits)', () => {
  it('writes the study design and the model columns with resolvable keys', () => {
    expect(checkIntegrity(out)).toEqual([]);
    expect(out.studies).toHaveLength(1);
    expect(out.studies[0]).toMatchObject({ protocol: 'ONCO-2025-001', phase: 'PHASE III', indication: 'NSCLC', indication_code: 'C34.90', planned_subjects: 200, visits_per_subject: 12 });
    expect(out.sites).toHaveLength(8);
    expect(out.arms.map((a) => [a.arm_code, a.arm_type, a.ratio])).toEqual([['ACTIVE', 'EXPERIMENTAL', 1], ['CONTROL', 'ACTIVE COMPARATOR', 1]]);
  });

  it('randomizes exactly 1:1 over complete blocks and schedules 12 visits per subject', () => {
    for (const run of seedShape) {
      const byArm = new Map<unknown, number>();
      for (const s of run.subjects) byArm.set(s.arm_id, (byArm.get(s.arm_id) ?? 0) + 1);
      expect([...byArm.values()]).toEqual([100, 100]);
      expect(run.visits).toHaveLength(2400);
    }
  });

  it('completes about 77% of scheduled visits (± 5%)', () => {
    for (const run of seedShape) {
      const completed = run.visits.filter((v) => v.status === 'COMPLETED').length / run.visits.length;
      expect(Math.abs(completed - 0.77)).toBeLessThan(0.05);
    }
  });

  it('reports about 89 AEs in about 32 subjects, mostly grade 1–2, with consistent SOCs', () => {
    const socOf = new Map(ADVERSE_EVENT_TERMS.map((t) => [t.term, t.soc]));
    for (const run of seedShape) {
      const n = run.adverse_events.length;
      const affected = new Set(run.adverse_events.map((a) => a.subject_id)).size;
      expect(n).toBeGreaterThan(55);
      expect(n).toBeLessThan(135);
      expect(affected).toBeGreaterThan(18);
      expect(affected).toBeLessThan(50);
      expect(run.adverse_events.filter((a) => socOf.get(a.term as string) !== a.system_organ_class)).toEqual([]);
    }
    const all = seedShape.flatMap((r) => r.adverse_events);
    const low = all.filter((a) => (a.ctcae_grade as number) <= 2).length / all.length;
    expect(low).toBeGreaterThan(0.65);
    expect(all.filter((a) => (a.ctcae_grade as number) === 5 && a.outcome !== 'FATAL')).toEqual([]);
  });

  it('dates nothing after the reference date and nothing before consent', () => {
    for (const run of seedShape) expect(allDates(run).filter((d) => d.value > REF_DATE)).toEqual([]);
    const consent = new Map(out.subjects.map((s) => [s.subject_id, s.consent_date as string]));
    const early = [...out.visits.map((v) => [v.subject_id, v.actual_date]), ...out.adverse_events.map((a) => [a.subject_id, a.onset_date])]
      .filter(([sid, d]) => d !== null && (d as string) < consent.get(sid)!);
    expect(early).toEqual([]);
  });

  it('marks visits after discontinuation NOT DONE, and keeps labs and exposures on completed visits', () => {
    const disc = new Map(out.disposition_events.filter((d) => d.category === 'DISPOSITION EVENT' && d.event !== 'COMPLETED').map((d) => [d.subject_id, d.event_date as string]));
    expect(disc.size).toBeGreaterThan(20);
    const wrong = out.visits.filter((v) => {
      const d = disc.get(v.subject_id);
      if (v.status === 'NOT DONE') return d === undefined || (v.scheduled_date as string) <= d;
      return v.status === 'COMPLETED' && d !== undefined && (v.actual_date as string) > d;
    });
    expect(wrong).toEqual([]);
    const completed = new Set(out.visits.filter((v) => v.status === 'COMPLETED').map((v) => v.visit_id));
    expect(out.trial_lab_results.filter((l) => !completed.has(l.visit_id))).toEqual([]);
    expect(out.exposures.filter((e) => !completed.has(e.visit_id))).toEqual([]);
    expect(new Set(out.trial_lab_results.map((l) => l.category))).toEqual(new Set(['CHEMISTRY', 'HEMATOLOGY', 'VITAL SIGNS']));
    const alt = out.trial_lab_results.find((l) => l.test_code === 'ALT')!;
    expect([alt.code, alt.unit]).toEqual(['1742-6', 'U/L']);
  });

  it('records consent, randomization and exactly one final disposition per subject', () => {
    const bySubject = new Map<unknown, string[]>();
    for (const d of out.disposition_events) bySubject.set(d.subject_id, [...(bySubject.get(d.subject_id) ?? []), d.event as string]);
    for (const s of out.subjects) {
      const ev = bySubject.get(s.subject_id)!;
      expect(ev.slice(0, 2)).toEqual(['INFORMED CONSENT OBTAINED', 'RANDOMIZED']);
      expect(ev).toHaveLength(3);
      expect(s.status).toBe(ev[2] === 'COMPLETED' ? 'COMPLETED' : 'DISCONTINUED');
    }
  });
});

describe('trialsim options', () => {
  it('fails screening at screen_failure_rate: no arm, no visits, a SCREEN FAILURE disposition', () => {
    const run = trialRun(400, 7, { screen_failure_rate: 0.3 });
    const failed = run.subjects.filter((s) => s.status === 'SCREEN FAILURE');
    expect(Math.abs(failed.length / 400 - 0.3)).toBeLessThan(0.07);
    const ids = new Set(failed.map((s) => s.subject_id));
    expect(failed.filter((s) => s.arm_id !== null || s.randomization_date !== null)).toEqual([]);
    expect(run.visits.filter((v) => ids.has(v.subject_id))).toEqual([]);
    expect(run.disposition_events.filter((d) => ids.has(d.subject_id) && d.event === 'SCREEN FAILURE')).toHaveLength(failed.length);
  });

  it('hits a 2:1 ratio within one block and gives the experimental arm more AEs', () => {
    const arms = defaultTrial(REF_DAY).arms.map((a) => ({ ...a, ratio: a.type === 'EXPERIMENTAL' ? 2 : 1 }));
    const run = trialRun(601, 3, { arms });
    const active = run.subjects.filter((s) => String(s.arm_id).endsWith('-ACTIVE')).length;
    expect(Math.abs(active - (601 * 2) / 3)).toBeLessThanOrEqual(6);
    const armOf = new Map(run.subjects.map((s) => [s.subject_id, String(s.arm_id).endsWith('-ACTIVE')]));
    const aeActive = run.adverse_events.filter((a) => armOf.get(a.subject_id)).length / active;
    const aeControl = run.adverse_events.filter((a) => !armOf.get(a.subject_id)).length / (601 - active);
    expect(aeActive).toBeGreaterThan(aeControl * 1.3);
  });

  it('normalizes phases and reads doses from treatment text', () => {
    expect(cdiscPhase('3')).toBe('PHASE III');
    expect(cdiscPhase('Phase 2/3')).toBe('PHASE II/III');
    expect(cdiscPhase('phase_1')).toBe('PHASE I');
    expect(doseFor('Drug A 200 mg IV every 3 weeks')).toEqual({ value: 200, unit: 'mg', route: 'INTRAVENOUS' });
    expect(doseFor('Osimertinib 80 mg oral tablet daily')).toEqual({ value: 80, unit: 'mg', route: 'ORAL' });
  });

  it('is deterministic and subject i does not depend on other subjects', () => {
    const again = trialRun(200, 1);
    expect(JSON.stringify(again)).toBe(JSON.stringify(seedShape[0]));
    const ctx = makeContext(baseProfile({ product: 'trialsim', products: ['trialsim'] }), 200, 1);
    const { state } = trialsimGenerator.shared(ctx);
    const alone = trialsimGenerator.entity(ctx, makePerson(ctx, 17, { minAge: 40, maxAge: 80 }), state);
    const sid = alone.subjects[0].subject_id;
    expect(alone.subjects).toEqual(seedShape[0].subjects.filter((s) => s.subject_id === sid));
    expect(alone.visits).toEqual(seedShape[0].visits.filter((v) => v.subject_id === sid));
    expect(alone.adverse_events).toEqual(seedShape[0].adverse_events.filter((a) => a.subject_id === sid));
  });
});
