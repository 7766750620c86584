import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { panelIntervalDays } from '../../src/generate/products/patientsim/monitoring.js';
import { skillRegistry } from '../../src/reference/skills.js';
import type { JourneyEvent, NormalizedJourney } from '../../src/spec/types.js';
import type { Row } from '../../src/model/types.js';
import { diabetesProfile, diabeticYear, request } from './fixtures.js';

const HBA1C = '4548-4';
const CREATININE = '2160-0';
const LDL = '13457-7';

const checkUps = (params: JourneyEvent['parameters'] = {}): NormalizedJourney => ({
  id: 'check-ups', duration_days: 365,
  events: [{ id: 'visit', event_type: 'encounter', timing: { type: 'recurring', interval_days: 180, jitter_days: 14, start_day: 90 }, probability: 1, parameters: params, codes: {} }],
});

/** Every diabetic has type 2 diabetes; 70 % hypertension, 50 % hyperlipidemia (fixtures). */
const profile = diabetesProfile();

const byPatient = (rows: Row[]) => {
  const m = new Map<string, Row[]>();
  for (const r of rows) m.set(r.patient_id as string, [...(m.get(r.patient_id as string) ?? []), r]);
  return m;
};
const days = (rows: Row[], code: string) => rows.filter((r) => r.code === code).map((r) => Date.parse(r.effective_date as string) / 86_400_000).sort((a, b) => a - b);
const has = (dx: Row[], pid: string, prefix: string) => dx.some((d) => d.patient_id === pid && (d.code as string).startsWith(prefix));

describe('a patientsim journey orders the monitoring its events leave undone', () => {
  it('a journey of plain check-ups gives every diabetic HbA1c results and every hypertensive a metabolic panel', () => {
    const out = generate(request({ profile, journey: checkUps(), count: 60 }));
    const labs = byPatient(out.lab_results);
    let hypertensive = 0;
    for (const p of out.patients) {
      const pid = p.patient_id as string;
      const mine = labs.get(pid) ?? [];
      // two check-ups about 180 days apart: HbA1c at each (quarterly), in the skill's ranges
      const a1c = days(mine, HBA1C);
      expect(a1c.length, pid).toBe(2);
      for (const r of mine.filter((l) => l.code === HBA1C)) expect(r.value as number).toBeGreaterThanOrEqual(5.5);
      // the lipid panel is yearly for diabetes, six-monthly for hyperlipidemia (LDL every 180 days)
      expect(days(mine, '2093-3').length, pid).toBe(has(out.diagnoses, pid, 'E78') ? 2 : 1);
      // the CMP is yearly; urine albumin yearly for diabetes, six-monthly with kidney disease
      expect(days(mine, '1751-7').length, pid).toBe(1);
      expect(days(mine, '9318-7').length, pid).toBe(has(out.diagnoses, pid, 'N18') ? 2 : 1);
      if (has(out.diagnoses, pid, 'I1')) {
        hypertensive++;
        expect(days(mine, CREATININE).length, pid).toBeGreaterThanOrEqual(1);
      }
      // every monitoring result belongs to one of the journey's encounters
      const enc = new Set(out.encounters.filter((e) => e.patient_id === pid && e.journey_event === 'visit').map((e) => e.encounter_id));
      for (const r of mine.filter((l) => l.code === HBA1C)) expect(enc.has(r.encounter_id)).toBe(true);
    }
    expect(hypertensive).toBeGreaterThan(20);
  });

  it('orders no HbA1c within 80 days of one the journey orders itself', () => {
    const journey = diabeticYear();
    const quiet = diabeticYear();
    quiet.events[0] = { ...quiet.events[0], parameters: { ...quiet.events[0].parameters, monitoring: false } };
    const on = byPatient(generate(request({ profile, journey, count: 40 })).lab_results);
    const off = byPatient(generate(request({ profile, journey: quiet, count: 40 })).lab_results);
    let added = 0;
    for (const [pid, rows] of on) {
      const own = days(off.get(pid) ?? [], HBA1C);
      const all = days(rows, HBA1C);
      // what the journey orders itself is there either way; what monitoring adds is far from it
      expect(all.filter((d) => own.includes(d)).length).toBe(own.length);
      const extra = all.filter((d) => !own.includes(d));
      for (const d of extra) for (const o of own) expect(Math.abs(d - o), `${pid}: ${d} vs ${own}`).toBeGreaterThanOrEqual(80);
      added += extra.length;
    }
    // the journey's HbA1c (day 30 and after 90 % of the quarterly visits) leaves little undone
    expect(added).toBeLessThan(40);
  });

  it('leaves the journey events\' own draws as they were: monitoring: false removes exactly the monitoring rows', () => {
    const on = generate(request({ profile, journey: checkUps(), count: 30 }));
    const off = generate(request({ profile, journey: checkUps({ monitoring: false }), count: 30 }));
    expect(off.encounters).toEqual(on.encounters);
    expect(off.medications).toEqual(on.medications);
    // the vitals of every visit are the same values; only the monitoring panels differ
    const vitals = (rows: Row[]) => rows.filter((r) => r.panel === 'vitals').map((r) => [r.patient_id, r.effective_date, r.code, r.value]);
    expect(vitals(off.lab_results)).toEqual(vitals(on.lab_results));
    expect(off.lab_results.filter((r) => r.code === HBA1C)).toEqual([]);
    expect(on.lab_results.length).toBeGreaterThan(off.lab_results.length);
  });

  it('orders nothing at an admission or an ED visit of the journey', () => {
    const out = generate(request({ profile, journey: checkUps({ class_code: 'IMP' }), count: 20 }));
    expect(out.lab_results.filter((r) => r.code === HBA1C || r.code === LDL)).toEqual([]);
  });

  it('a patient without a monitored condition gets no extra labs', () => {
    const healthy = diabetesProfile({ clinical: { ...profile.clinical!, primary_condition: undefined, comorbidities: [] } });
    const out = generate(request({ profile: healthy, journey: checkUps(), count: 20 }));
    expect(new Set(out.lab_results.map((r) => r.panel))).toEqual(new Set(['vitals']));
  });
});

describe('panelIntervalDays', () => {
  const reg = skillRegistry();
  const skill = (id: string) => reg.get(id)!;
  it('takes the shortest frequency the skill gives a test of the panel, less a month, at least 80 days', () => {
    expect(panelIntervalDays(skill('diabetes-management'), 'hba1c')).toBe(80); // 90 − 30 → 80
    expect(panelIntervalDays(skill('diabetes-management'), 'uacr')).toBe(335); // 365 − 30
    expect(panelIntervalDays(skill('hyperlipidemia'), 'lipid')).toBe(150); // LDL 180 − 30
    expect(panelIntervalDays(skill('chronic-kidney-disease'), 'renal')).toBe(80); // eGFR 90
  });
  it('a panel none of whose tests the skill times is yearly', () => {
    expect(panelIntervalDays(skill('diabetes-management'), 'lipid')).toBe(335);
    expect(panelIntervalDays(skill('hyperlipidemia'), 'liver')).toBe(335);
    expect(panelIntervalDays(skill('hypertension'), 'bmp')).toBe(335);
  });
});
