/**
 * Journey scheduling (seed 003's JourneyEngine, as YAML): which events happen to a person and
 * on which day. The journey covers [reference_date − duration_days, reference_date]; no
 * occurrence falls after the reference date. Timing:
 *   fixed      {day}                              one occurrence on day `day`
 *   recurring  {interval_days, jitter_days, start_day}  start_day, +interval, … each ± jitter
 *   after      {event, delay_days[_min/_max]}      one occurrence after each occurrence of `event`
 * `probability` is tested per occurrence; `if` against the person; an event naming a
 * `condition` happens only to people who have it (its skill is then the event's skill).
 *
 * Every draw for event E comes from `ctx.streams.entity(i, 'journey:' + E.id)` (scheduling
 * first, then each occurrence's content in date order), so editing one event never changes who
 * the person is, their conditions, or any other event (except events scheduled `after` it).
 */
import type { JourneyEvent, NormalizedJourney } from '../../spec/types.js';
import type { Person } from '../person.js';
import type { GenerateContext } from '../types.js';
import type { Rng } from '../rng.js';
import type { Skill } from '../../reference/skills.js';
import { datasetPlan } from '../plan.js';
import { compileWhen } from '../clinical/when.js';
import { personScope } from '../clinical/scope.js';
import { birthDayFromIso } from '../clinical/util.js';

export interface ScheduledEvent {
  event: JourneyEvent;
  /** epoch day (UTC) */
  day: number;
  /** days since the journey start */
  offset: number;
  /** 0-based occurrence number of this event for this person */
  occurrence: number;
  /**
   * the event's stream, shared by its occurrences: content draws (lab values, drug choice …)
   * continue it after scheduling, occurrence by occurrence in date order
   */
  rng: Rng;
  /** skill resolved from `event.condition` (or from skill_ref), if any */
  skill?: Skill;
}

/** Events ordered so that every `after` event follows the event it depends on (cycles dropped). */
export function orderEvents(events: readonly JourneyEvent[]): JourneyEvent[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const out: JourneyEvent[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (e: JourneyEvent): boolean => {
    const s = state.get(e.id);
    if (s === 'done') return true;
    if (s === 'visiting') return false;
    state.set(e.id, 'visiting');
    if (e.timing.type === 'after') {
      const dep = byId.get(e.timing.event);
      if (!dep || !visit(dep)) {
        state.set(e.id, 'done');
        return false;
      }
    }
    state.set(e.id, 'done');
    out.push(e);
    return true;
  };
  for (const e of events) visit(e);
  return out;
}

export function journeyStartDay(ctx: GenerateContext, journey: NormalizedJourney): number {
  return ctx.refDay - journey.duration_days;
}

const orderCache = new WeakMap<NormalizedJourney, { ordered: JourneyEvent[]; rank: Map<string, number>; purposes: Map<string, string> }>();

function journeyPlan(journey: NormalizedJourney) {
  let p = orderCache.get(journey);
  if (!p) {
    p = { ordered: orderEvents(journey.events), rank: new Map(journey.events.map((e, k) => [e.id, k])), purposes: new Map(journey.events.map((e) => [e.id, 'journey:' + e.id])) };
    orderCache.set(journey, p);
  }
  return p;
}

export function scheduleJourney(ctx: GenerateContext, person: Person, journey: NormalizedJourney): ScheduledEvent[] {
  const reg = datasetPlan(ctx).skills;
  const start = journeyStartDay(ctx, journey);
  const duration = journey.duration_days;
  const birthDay = birthDayFromIso(person.birth_date);
  const days = new Map<string, number[]>();
  const out: ScheduledEvent[] = [];
  let scope: ReturnType<typeof personScope> | undefined;
  const plan = journeyPlan(journey);
  for (const ev of plan.ordered) {
    const occ: number[] = [];
    days.set(ev.id, occ);
    let skill: Skill | undefined;
    if (ev.condition) {
      skill = reg.resolve(ev.condition);
      const hasIt = skill ? person.clinical.skills.includes(skill.id) : person.conditions.some((c) => c.code.startsWith(ev.condition!.toUpperCase()));
      if (!hasIt) continue;
    }
    if (ev.if) {
      scope ??= personScope(person, ctx);
      if (!compileWhen(ev.if)(scope)) continue;
    }
    const rng = ctx.streams.entity(person.index, plan.purposes.get(ev.id)!);
    const candidates: number[] = [];
    const t = ev.timing;
    switch (t.type) {
      case 'fixed':
        candidates.push(t.day);
        break;
      case 'recurring': {
        const interval = Math.max(1, t.interval_days);
        for (let d = t.start_day ?? 0; d <= duration; d += interval) {
          const j = t.jitter_days > 0 ? Math.round((rng.next() * 2 - 1) * t.jitter_days) : 0;
          candidates.push(Math.min(duration, Math.max(0, d + j)));
        }
        break;
      }
      case 'after': {
        for (const base of days.get(t.event) ?? []) {
          const lo = t.delay_days_min ?? t.delay_days;
          const hi = t.delay_days_max ?? t.delay_days;
          candidates.push(base + lo + Math.floor(rng.next() * (hi - lo + 1)));
        }
        break;
      }
      default:
        unreachable(t);
    }
    for (const offset of candidates) {
      if (!(rng.next() < ev.probability)) continue;
      if (offset < 0 || offset > duration) continue;
      if (start + offset < birthDay) continue; // before the person was born (an infant in a long journey)
      occ.push(offset);
      out.push({ event: ev, day: start + offset, offset, occurrence: occ.length - 1, rng, skill });
    }
  }
  // chronological, ties in journey order then occurrence: stable and independent of scheduling order
  const rank = plan.rank;
  return out.sort((a, b) => a.day - b.day || rank.get(a.event.id)! - rank.get(b.event.id)! || a.occurrence - b.occurrence);
}

function unreachable(x: never): never {
  throw new Error(`unknown timing ${JSON.stringify(x)}`);
}
