import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/generate/context.js';
import { makePerson } from '../../src/generate/demographics/person.js';
import { orderEvents, scheduleJourney } from '../../src/generate/journeys/schedule.js';
import { compileWhen } from '../../src/generate/clinical/when.js';
import { generate } from '../../src/generate/engine.js';
import { isoOfDay } from '../../src/generate/dates.js';
import type { JourneyEvent, NormalizedJourney } from '../../src/spec/types.js';
import { diabetesProfile, request } from './fixtures.js';

const ev = (id: string, timing: JourneyEvent['timing'], extra: Partial<JourneyEvent> = {}): JourneyEvent =>
  ({ id, event_type: 'encounter', timing, probability: 1, parameters: {}, codes: {}, ...extra });

describe('journey scheduling', () => {
  const ctx = createContext(request());
  const person = makePerson(ctx, 3);

  it('places fixed, recurring and after events inside [reference − duration, reference]', () => {
    const journey: NormalizedJourney = {
      id: 'j', duration_days: 100,
      events: [
        ev('follow-up', { type: 'after', event: 'visit', delay_days: 30 }),
        ev('visit', { type: 'recurring', interval_days: 40, jitter_days: 0, start_day: 0 }),
        ev('late', { type: 'fixed', day: 150 }),
        ev('first', { type: 'fixed', day: 5 }),
      ],
    };
    const got = scheduleJourney(ctx, person, journey).map((s) => `${s.event.id}@${s.offset}`);
    // visit at 0, 40, 80; follow-ups 30, 70 (110 is past the end); 'late' (day 150) never happens
    expect(got).toEqual(['visit@0', 'first@5', 'follow-up@30', 'visit@40', 'follow-up@70', 'visit@80']);
    const days = scheduleJourney(ctx, person, journey).map((s) => isoOfDay(s.day));
    expect(days[0]).toBe('2024-09-23');
    expect(days.every((d) => d <= '2025-01-01')).toBe(true);
  });

  it('orders after-dependencies first and drops cycles', () => {
    const ids = orderEvents([
      ev('b', { type: 'after', event: 'a', delay_days: 1 }),
      ev('a', { type: 'fixed', day: 1 }),
      ev('x', { type: 'after', event: 'y', delay_days: 1 }),
      ev('y', { type: 'after', event: 'x', delay_days: 1 }),
    ]).map((e) => e.id);
    expect(ids).toEqual(['a', 'b']);
  });

  it('skips condition events for people without the condition and honours if/probability', () => {
    const journey: NormalizedJourney = {
      id: 'j', duration_days: 365,
      events: [
        ev('copd-visit', { type: 'fixed', day: 10 }, { condition: 'copd' }),
        ev('dm-visit', { type: 'fixed', day: 10 }, { condition: 'diabetes' }),
        ev('old-only', { type: 'fixed', day: 11 }, { if: 'age >= 200' }),
        ev('never', { type: 'recurring', interval_days: 30, jitter_days: 5, start_day: 0 }, { probability: 0 }),
      ],
    };
    expect(scheduleJourney(ctx, person, journey).map((s) => s.event.id)).toEqual(['dm-visit']);
  });

  it('a skill_ref lab order yields that skill analyte for every visit', () => {
    const out = generate(request({ count: 10 }));
    const refLabs = out.lab_results.filter((l) => l.code === '4548-4');
    expect(refLabs.length).toBeGreaterThanOrEqual(10 * 4);
    const start = new Map(out.encounters.map((e) => [e.encounter_id, e.start_date as string]));
    for (const l of out.lab_results) {
      if (l.encounter_id === null) continue;
      const s = start.get(l.encounter_id as string)!;
      const gap = (Date.parse(l.effective_date as string) - Date.parse(s)) / 86_400_000;
      expect(gap >= 0 && gap <= 14).toBe(true);
    }
  });
});

describe('if: adapter', () => {
  const scope = { vars: { age: 70, sex: 'F', bmi: 33.2, severity: 'uncontrolled' }, hasCondition: (p: string) => 'E11.65'.startsWith(p) };
  it('evaluates comparisons, boolean logic, arithmetic and has_condition', () => {
    expect(compileWhen('age >= 65 and sex == "F"')(scope)).toBe(true);
    expect(compileWhen("bmi > 35 or has_condition('E11')")(scope)).toBe(true);
    expect(compileWhen("not has_condition('I10') and severity != 'controlled'")(scope)).toBe(true);
    expect(compileWhen('age - 60 > 10')(scope)).toBe(false);
    expect(compileWhen('(age > 80 or bmi > 30) and hba1c > 7')(scope)).toBe(false); // hba1c unknown → false
    expect(() => compileWhen('age >')).toThrow();
  });
});

describe('profile medication rules', () => {
  it('adds medications by prevalence when the if: holds', () => {
    const profile = diabetesProfile({
      clinical: {
        primary_condition: { code: 'E11', prevalence: 1 }, comorbidities: [], derived_conditions: false, allergies_rate: 0,
        medications: [{ name: 'aspirin', prevalence: 1, if: 'age >= 75' }, { name: 'statin', prevalence: 1 }],
      },
    });
    const out = generate(request({ count: 40, profile, journey: undefined }));
    const ages = new Map(out.patients.map((p) => [p.patient_id, p.age as number]));
    const aspirin = new Set(out.medications.filter((m) => m.code === '1191').map((m) => m.patient_id));
    for (const [pid, age] of ages) expect(aspirin.has(pid), `${pid} ${age}`).toBe(age >= 75);
    const statins = new Set(out.medications.filter((m) => m.therapeutic_class === 'statin').map((m) => m.patient_id));
    expect(statins.size).toBe(40);
  });

  it('multi-product profiles give every product the same person', () => {
    const profile = diabetesProfile({ products: ['patientsim', 'membersim'] });
    const out = generate(request({ count: 5, profile }));
    expect(out.members?.map((m) => m.person_id)).toEqual(out.patients.map((p) => p.person_id));
  });
});
