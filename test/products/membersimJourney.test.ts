import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { parseJourney, parseProfile } from '../../src/spec/index.js';
import type { NormalizedJourney, NormalizedProfile } from '../../src/spec/types.js';

const PROFILE = `profile:
  id: ma-journey
  product: membersim
  demographics:
    age: { type: uniform, min: 66, max: 85 }
    geography: { state: OH }
  clinical:
    comorbidities: [ { code: I50, prevalence: 1.0 } ]
  coverage:
    plan_distribution: { HMO: 1.0 }
    line_of_business: medicare_advantage
`;
const JOURNEY = `journey:
  id: hf-follow-up
  duration_days: 180
  events:
    - { id: cardiology, event_type: encounter, timing: { type: recurring, interval_days: 60 }, parameters: { setting: specialist } }
    - { id: echo, event_type: procedure, timing: { type: fixed, day: 45 }, cpt: "93306" }
`;

function parsed<T>(r: { ok: true; value: { normalized: T } } | { ok: false; errors: unknown[] }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.normalized;
}

describe('membersim claims follow the dataset journey', () => {
  const profile = parsed<NormalizedProfile>(parseProfile(PROFILE, 'p.yaml') as never);
  const journey = parsed<NormalizedJourney>(parseJourney(JOURNEY, 'j.yaml') as never);
  const base = { profile, seed: 5, count: 20, namespace: 'mj', referenceDate: '2025-01-01' };
  const without = generate(base);
  const withJourney = generate({ ...base, journey });

  it('every member enrolled on journey day 45 gets an echocardiogram claim line that day', () => {
    // journey start = 2025-01-01 − 180 days = 2024-07-05; day 45 = 2024-08-19
    const echo = withJourney.claim_lines.filter((l) => l.code === '93306' && l.service_date === '2024-08-19');
    const enrolled = withJourney.members.filter((m) => String(m.enrollment_start_date) <= '2024-08-19').map((m) => m.member_id);
    expect(enrolled.length).toBeGreaterThan(15);
    const withEcho = new Set(echo.map((l) => String(l.claim_id).replace(/-C\d+$/, '')));
    for (const m of enrolled) expect(withEcho.has(String(m)), String(m)).toBe(true);
    expect(without.claim_lines.filter((l) => l.code === '93306' && l.service_date === '2024-08-19').length).toBeLessThan(3);
  });

  it('adds claims without changing the utilization claims members already had', () => {
    const sig = (rows: typeof without.claims) => rows.map((c) => `${c.member_id}|${c.service_date}|${c.setting}|${c.billed_amount}`);
    const before = sig(without.claims);
    const after = new Set(sig(withJourney.claims));
    expect(before.every((s) => after.has(s))).toBe(true);
    expect(withJourney.claims.length).toBeGreaterThanOrEqual(without.claims.length + 20 * 3);
  });
});

describe('a patientsim-style journey drives membersim claims too', () => {
  const profile = parsed<NormalizedProfile>(parseProfile(PROFILE, 'p.yaml') as never);
  const journey = parsed<NormalizedJourney>(
    parseJourney(
      `journey:
  id: acute
  duration_days: 180
  events:
    - { id: er, event_type: encounter, timing: { type: fixed, day: 30 }, parameters: { class_code: EMER } }
    - { id: stay, event_type: encounter, timing: { type: fixed, day: 90 }, parameters: { encounter_class: IMP } }
    - { id: ecg, event_type: procedure, timing: { type: fixed, day: 120 }, parameters: { code: "93000" } }
`,
      'j.yaml',
    ) as never,
  );
  const out = generate({ profile, seed: 5, count: 20, namespace: 'mj2', referenceDate: '2025-01-01', journey });
  const on = (date: string, setting: string) => new Set(out.claims.filter((c) => c.service_date === date && c.setting === setting).map((c) => c.member_id));

  it('class_code EMER is an emergency claim, IMP an inpatient stay, parameters.code a billed procedure', () => {
    // start 2024-07-05: day 30 = 2024-08-04, day 90 = 2024-10-03, day 120 = 2024-11-02
    const enrolled = (d: string) => out.members.filter((m) => String(m.enrollment_start_date) <= d && (m.enrollment_end_date == null || String(m.enrollment_end_date) >= d)).map((m) => m.member_id);
    for (const m of enrolled('2024-08-04')) expect(on('2024-08-04', 'emergency').has(m), String(m)).toBe(true);
    for (const m of enrolled('2024-10-03')) expect(on('2024-10-03', 'inpatient').has(m), String(m)).toBe(true);
    const ecg = new Set(out.claim_lines.filter((l) => l.code === '93000' && l.service_date === '2024-11-02').map((l) => String(l.claim_id).replace(/-C\d+$/, '')));
    for (const m of enrolled('2024-11-02')) expect(ecg.has(String(m)), String(m)).toBe(true);
    expect(enrolled('2024-08-04').length).toBeGreaterThan(15);
  });
});
