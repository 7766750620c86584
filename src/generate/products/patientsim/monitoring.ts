/**
 * The monitoring a journey does not write. Without a journey, a patient's record has each
 * condition's follow-up visits with the skill's monitoring panels (history.ts). With one, the
 * journey's events are the visits; a journey of plain check-ups would leave a diabetic with no
 * HbA1c and a hypertensive with no metabolic panel. So an ambulatory encounter of the journey
 * also orders the monitoring panels of the patient's conditions that are due on its day:
 *   - not ordered by this monitoring within the panel's interval before (`panelIntervalDays`,
 *     the rule the default history follows too), and
 *   - not ordered by the journey itself within 80 days either side: a lab_order event or an
 *     encounter's own panels that share a test with the panel cover it (a journey that orders
 *     HbA1c in March and June gets no extra HbA1c at an April visit).
 * `parameters.monitoring: false` on an encounter event turns it off for that event.
 *
 * Values come from the entity's own stream `journey-monitoring`, so the journey's events draw
 * exactly what they drew before; editing a lab_order event can change which monitoring panels
 * are due, and nothing else.
 */
import { expandPanel, loincByKey } from '../../../reference/loinc.js';
import type { Skill, SkillRegistry } from '../../../reference/skills.js';
import type { Person } from '../../person.js';
import type { Rng } from '../../rng.js';
import type { GenerateContext } from '../../types.js';
import type { ScheduledEvent } from '../../journeys/schedule.js';

/**
 * The shortest interval between two orders of a monitoring panel (with or without a journey), and
 * how near the journey's own order of a test must be to stand for the panel's.
 */
export const MONITORING_INTERVAL_DAYS = 80;

/** A monitoring panel none of whose tests the skill gives a frequency for is ordered once a year. */
const ANNUAL_DAYS = 365;
/** Slack for scheduling: a visit a few weeks early still gets the panel. */
const SLACK_DAYS = 30;

const intervals = new WeakMap<Skill, Map<string, number>>();

/**
 * Days from one order of a skill's monitoring panel to the next: the shortest `frequency_days`
 * the skill's `monitoring.labs` give a test of the panel (matched by test key or LOINC code),
 * else a year; less a month's slack, and never under 80 days. So a diabetic's HbA1c is
 * quarterly (90) and the lipid panel and urine albumin yearly; a hyperlipidemic's lipid panel
 * every six months (LDL, 180) and the liver panel yearly.
 */
export function panelIntervalDays(skill: Skill, panel: string): number {
  let memo = intervals.get(skill);
  if (!memo) intervals.set(skill, (memo = new Map()));
  let days = memo.get(panel);
  if (days === undefined) {
    const tests = expandPanel(panel);
    const codes = new Set(tests.map((t) => loincByKey(t)?.code));
    let every = ANNUAL_DAYS;
    for (const [key, lab] of Object.entries(skill.monitoring.labs)) {
      if (lab.frequency_days === undefined || !(tests.includes(key) || (lab.loinc !== undefined && codes.has(lab.loinc)))) continue;
      every = Math.min(every, lab.frequency_days);
    }
    days = Math.max(MONITORING_INTERVAL_DAYS, every - SLACK_DAYS);
    memo.set(panel, days);
  }
  return days;
}

/** The panels and tests an encounter event orders itself: vitals unless `vitals: false`, then `panels`. */
export function encounterPanels(params: Readonly<Record<string, unknown>>): string[] {
  return [...(params.vitals === false ? [] : ['vitals']), ...strList(params.panels)];
}

export const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export class JourneyMonitoring {
  /** test key → the days the journey orders it */
  private readonly covered = new Map<string, number[]>();
  /** panel → the day this monitoring last ordered it */
  private readonly last = new Map<string, number>();
  /** panel → its interval (the shortest among the patient's skills that monitor it) */
  private readonly every = new Map<string, number>();
  /** the patient's skills' monitoring panels, each once, in skill order */
  private readonly panels: string[] = [];
  private stream: Rng | undefined;

  private constructor(
    private readonly ctx: GenerateContext,
    private readonly person: Person,
  ) {}

  /**
   * The monitoring of `person` under these scheduled events, or undefined when the patient has
   * no condition with monitoring panels. `labOrderPanels` resolves a lab_order event's panels
   * as its materialization does.
   */
  static of(
    ctx: GenerateContext, person: Person, reg: SkillRegistry, events: readonly ScheduledEvent[],
    labOrderPanels: (ev: ScheduledEvent) => readonly string[],
  ): JourneyMonitoring | undefined {
    const m = new JourneyMonitoring(ctx, person);
    for (const id of person.clinical.skills) {
      const skill: Skill | undefined = reg.get(id);
      for (const p of skill?.monitoring.panels ?? []) {
        const days = panelIntervalDays(skill!, p);
        const had = m.every.get(p);
        if (had === undefined) m.panels.push(p);
        m.every.set(p, had === undefined ? days : Math.min(had, days));
      }
    }
    if (m.panels.length === 0) return undefined;
    for (const ev of events) {
      const type = ev.event.event_type;
      if (type === 'lab_order') m.cover(ev.day, labOrderPanels(ev));
      else if (type === 'encounter') m.cover(ev.day, encounterPanels(ev.event.parameters));
    }
    return m;
  }

  private cover(day: number, panels: readonly string[]): void {
    for (const panel of panels) {
      for (const test of expandPanel(panel)) {
        const days = this.covered.get(test);
        if (days) days.push(day);
        else this.covered.set(test, [day]);
      }
    }
  }

  private coveredNear(panel: string, day: number): boolean {
    for (const test of expandPanel(panel)) {
      for (const d of this.covered.get(test) ?? []) if (Math.abs(d - day) < MONITORING_INTERVAL_DAYS) return true;
    }
    return false;
  }

  /**
   * The panels due at an encounter of class `encounterClass` on `day` (recorded as ordered), in
   * skill order; none for a class other than AMB (an admission or an ED visit orders its own).
   */
  due(day: number, encounterClass: string): string[] {
    if (encounterClass !== 'AMB') return [];
    const out: string[] = [];
    for (const panel of this.panels) {
      const last = this.last.get(panel);
      if (last !== undefined && day - last < this.every.get(panel)!) continue;
      if (this.coveredNear(panel, day)) continue;
      this.last.set(panel, day);
      out.push(panel);
    }
    return out;
  }

  /** The stream the monitoring results are drawn from. */
  rng(): Rng {
    return (this.stream ??= this.ctx.streams.entity(this.person.index, 'journey-monitoring'));
  }
}
