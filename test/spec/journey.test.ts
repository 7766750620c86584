import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseJourney } from '../../src/spec/journey.js';
import { messages, value, yaml } from './helpers.js';

describe('journey diagnostics', () => {
  test('days, cycles, duplicates, unknown events, intervals, types, expressions', () => {
    const text = yaml(
      'journey:',
      '  id: j',
      '  duration_days: 100',
      '  events:',
      '    - {id: a, event_type: encounter, timing: {type: fixed, day: 120}}',
      '    - {id: b, event_type: lab_order, depends_on: c}',
      '    - {id: c, event_type: lab_order, depends_on: b}',
      '    - {id: a, event_type: claim, depends_on: zz}',
      '    - {id: r, event_type: visit, timing: {type: recurring, interval_days: 0}}',
      '    - {id: s, event_type: visits, timing: {type: fixed, day: 1, interval_days: 3}}',
      '    - {id: t, event_type: visit, timing: {type: after, event: a}, if: "bmi >"}',
    );
    expect(messages(parseJourney(text, 'journeys/j.yaml'))).toEqual([
      'journeys/j.yaml:5:65 events[0].timing.day is after the journey ends (day 120 > duration_days 100)',
      'journeys/j.yaml:6:50 events depend on each other in a cycle: b → c → b (an event cannot (indirectly) come after itself)',
      'journeys/j.yaml:8:12 events[3].id repeats event id "a" (first used at line 5) (event ids must be unique within a journey)',
      'journeys/j.yaml:8:46 events[3].depends_on names an unknown event "zz" (known events: a, b, c, r, s, t)',
      'journeys/j.yaml:9:75 events[4].timing.interval_days must be > 0 (got 0)',
      'journeys/j.yaml:10:27 events[5].event_type must be one of encounter, lab_order, medication, procedure, claim, visit, adverse_event (got "visits") (did you mean visit?)',
      'journeys/j.yaml:10:65 events[5].timing has unknown key "interval_days" (expected one of type, day, jitter_days)',
      'journeys/j.yaml:11:77 events[6].if: expression ends too early',
    ]);
  });

  test('an after-timing to a misspelled event suggests the right one; a self-reference is a cycle', () => {
    const text = yaml(
      'journey:',
      '  id: j',
      '  events:',
      '    - {id: office-visit, event_type: encounter}',
      '    - {id: labs, event_type: lab_order, timing: {type: after, event: ofice-visit}}',
      '    - {id: loop, event_type: claim, timing: {type: after, event: loop}}',
    );
    expect(messages(parseJourney(text, 'j.yaml'))).toEqual([
      'j.yaml:5:70 events[1].timing.event names an unknown event "ofice-visit" (did you mean office-visit?)',
      'j.yaml:6:66 events depend on each other in a cycle: loop → loop (an event cannot (indirectly) come after itself)',
    ]);
  });

  test('timing and depends_on together; delay without depends_on; missing timing fields', () => {
    const text = yaml(
      'journey:',
      '  id: j',
      '  events:',
      '    - {id: a, event_type: encounter, timing: {type: fixed, day: 1}, depends_on: b}',
      '    - {id: b, event_type: encounter, delay: {days: 2}}',
      '    - {id: c, event_type: encounter, timing: {type: recurring}}',
      '    - {id: d, event_type: encounter, timing: {day: 3}}',
    );
    expect(messages(parseJourney(text, 'j.yaml'))).toEqual([
      'j.yaml:4:69 events[0].depends_on cannot be combined with timing (use either timing or depends_on)',
      'j.yaml:5:38 events[1].delay needs depends_on (a delay is counted from another event)',
      'j.yaml:6:38 events[2].timing is missing required key "interval_days"',
      'j.yaml:7:38 events[3].timing is missing required key "type"',
    ]);
  });
});

describe('journey normalization', () => {
  test('seed 003 diabetic-year-one: depends_on/delay → after, defaults', () => {
    const j = value(parseJourney(readFileSync('test/fixtures/spec/project/journeys/diabetic-year-one.yaml', 'utf8'), 'j.yaml')).normalized;
    expect(j.duration_days).toBe(365);
    expect(j.events.map((e) => [e.id, e.timing])).toEqual([
      ['quarterly-visit', { type: 'recurring', interval_days: 90, jitter_days: 7, start_day: 0 }],
      ['annual-labs', { type: 'fixed', day: 30 }],
      ['hba1c-check', { type: 'after', event: 'quarterly-visit', delay_days: 1.5, delay_days_min: 0, delay_days_max: 3 }],
      ['insulin-start', { type: 'after', event: 'hba1c-check', delay_days: 14 }],
    ]);
    expect(j.events[2]!.codes).toEqual({ loinc: '4548-4' });
    expect(j.events[2]!.parameters).toEqual({ skill_ref: { skill: 'diabetes-management', lookup: 'monitoring.labs.hba1c' } });
    expect(j.events[3]!.probability).toBe(0.4);
    expect(j.events[0]!.condition).toBe('diabetes');
  });

  test('phases flatten with day offsets (weeks ×7, months ×30) and variance as jitter', () => {
    const j = value(parseJourney(readFileSync('test/fixtures/spec/project/journeys/oncology-treatment.yaml', 'utf8'), 'j.yaml')).normalized;
    expect(j.events.map((e) => [e.id, e.phase, e.timing])).toEqual([
      ['screening-visit', 'screening', { type: 'fixed', day: 0 }],
      ['baseline-ct', 'screening', { type: 'after', event: 'screening-visit', delay_days: 2 }],
      ['treatment-cycle', 'treatment', { type: 'recurring', interval_days: 21, jitter_days: 3, start_day: 14 }],
      ['cycle-ae', 'treatment', { type: 'after', event: 'treatment-cycle', delay_days: 0 }],
      ['follow-up-visit', 'follow-up', { type: 'fixed', day: 270 }],
    ]);
  });

  test('a phase starting after the journey ends', () => {
    const text = yaml('journey:', '  id: j', '  duration_days: 30', '  phases:', '    - name: late', '      start: {months: 2}', '      events: [{id: x, event_type: visit}]');
    expect(messages(parseJourney(text, 'j.yaml'))).toEqual([
      'j.yaml:6:14 phases[0].start starts on day 60, after the journey ends (duration_days 30)',
      'j.yaml:7:21 phases[0].events[0].id is after the journey ends (day 60 > duration_days 30)',
    ]);
  });
});
