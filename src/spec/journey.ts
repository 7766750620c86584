/**
 * Journey: parse → schema → semantic checks → NormalizedJourney. `depends_on`/`delay` become
 * timing `after`; phases flatten into events with day offsets (a week is 7 days, a month 30).
 */
import type { Diagnostic } from './diagnostic.js';
import type { CodeRef, CodeSystem, SkillRef } from './refs.js';
import { ok, type Result } from './result.js';
import { checkExpressionAt, finishSpec, loadSpecDocument } from './spec-file.js';
import { didYouMean } from './suggest.js';
import type { JourneyEvent, NormalizedJourney, Timing } from './types.js';
import { locate, type DiagnosticSink, type SpecPath, type YamlLimits, type YamlSource } from './yaml.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw input has passed the JSON Schema */
type Raw = any;

export const DEFAULT_DURATION_DAYS = 365;

export interface ParsedJourney {
  file: string;
  normalized: NormalizedJourney;
  codeRefs: CodeRef[];
  skillRefs: SkillRef[];
  source: YamlSource;
  /** non-fatal findings (a parameter no generator reads) */
  warnings: Diagnostic[];
}

interface Located {
  event: JourneyEvent;
  path: SpecPath;
  /** where the `after` target is written (timing.event or depends_on) */
  afterPath?: SpecPath;
  /** false when the timing was implied (no `timing:` written) */
  timingWritten: boolean;
}

export function parseJourney(text: string, file: string, limits?: Partial<YamlLimits>): Result<ParsedJourney> {
  const loaded = loadSpecDocument('journey', text, file, limits);
  if (!loaded.ok) return loaded;
  const { src, sink } = loaded.value;
  const codeRefs: CodeRef[] = [];
  const skillRefs: SkillRef[] = [];
  const done = finishSpec(loaded.value, () => normalizeJourney((src.value as Raw).journey, sink, codeRefs, skillRefs));
  if (!done.ok) return done;
  return ok({ file, normalized: done.value, codeRefs, skillRefs, source: src, warnings: sink.items.filter((d) => d.severity === 'warning') });
}

/** `{days, weeks, months}` → days (components add up). */
export function durationDays(d: Raw | undefined): number {
  if (!d) return 0;
  return (d.days ?? 0) + (d.weeks ?? 0) * 7 + (d.months ?? 0) * 30;
}

/** The `parameters` keys the generators read (schemas/journey.schema.json types them). */
const KNOWN_PARAMETERS = ['skill_ref', 'panels', 'tests', 'vitals', 'class_code', 'encounter_class', 'setting', 'code', 'code_system', 'description', 'length_days', 'drug', 'dose', 'frequency', 'monitoring'];

/**
 * An event's parameters: a key no generator reads is a warning (it would be ignored), and the
 * lab panels and tests, the visit or procedure code and the drug it names are code references
 * the project checks (an unknown one used to be dropped without a word).
 */
function checkParameters(params: Raw, path: SpecPath, sink: DiagnosticSink, codeRefs: CodeRef[]): void {
  if (params === null || typeof params !== 'object') return;
  const ref = (p: SpecPath, system: CodeSystem, code: string) => {
    const pos = locate(sink.src, p);
    codeRefs.push({ system, code, file: sink.src.file, line: pos.line, col: pos.col, path: sink.path(p) });
  };
  for (const key of Object.keys(params)) {
    if (!KNOWN_PARAMETERS.includes(key)) {
      sink.warn([...path, key], 'spec.unknown-parameter', 'is not a parameter healthsim reads; it is ignored', {
        target: 'key',
        hint: didYouMean(key, KNOWN_PARAMETERS) ?? `parameters are ${KNOWN_PARAMETERS.join(', ')}`,
      });
    }
  }
  for (const key of ['panels', 'tests'] as const) {
    if (Array.isArray(params[key])) params[key].forEach((x: unknown, i: number) => typeof x === 'string' && ref([...path, key, i], 'lab', x));
  }
  const system = typeof params.code_system === 'string' ? params.code_system.toUpperCase() : undefined;
  if (typeof params.code === 'string' && (system === undefined || system === 'CPT' || system === 'HCPCS')) ref([...path, 'code'], 'cpt', params.code);
  if (typeof params.drug === 'string') ref([...path, 'drug'], 'drug', params.drug);
}

const CODE_FIELDS: Array<[keyof JourneyEvent['codes'], CodeSystem]> = [
  ['icd10', 'icd10cm'],
  ['cpt', 'cpt'],
  ['loinc', 'loinc'],
  ['rxnorm', 'rxnorm'],
];

export function normalizeJourney(raw: Raw, sink: DiagnosticSink, codeRefs: CodeRef[] = [], skillRefs: SkillRef[] = []): NormalizedJourney {
  const duration = raw.duration_days ?? DEFAULT_DURATION_DAYS;
  const located: Located[] = [];
  (raw.events ?? []).forEach((e: Raw, i: number) => {
    located.push(normalizeEvent(e, ['journey', 'events', i], sink, { offset: 0 }, codeRefs, skillRefs));
  });
  (raw.phases ?? []).forEach((ph: Raw, pi: number) => {
    const offset = durationDays(ph.start);
    const jitter = ph.variance ? durationDays(ph.variance) : undefined;
    if (offset > duration) {
      sink.error(['journey', 'phases', pi, 'start'], 'journey.day-range', `starts on day ${offset}, after the journey ends (duration_days ${duration})`);
    }
    (ph.events as Raw[]).forEach((e, i) => {
      located.push(normalizeEvent(e, ['journey', 'phases', pi, 'events', i], sink, { offset, jitter, phase: ph.name }, codeRefs, skillRefs));
    });
  });

  checkEventGraph(located, sink, duration);
  const out: NormalizedJourney = { id: raw.id, duration_days: duration, events: located.map((l) => l.event) };
  if (raw.description !== undefined) out.description = raw.description;
  return out;
}

function normalizeEvent(
  e: Raw,
  path: SpecPath,
  sink: DiagnosticSink,
  phase: { offset: number; jitter?: number; phase?: string },
  codeRefs: CodeRef[],
  skillRefs: SkillRef[],
): Located {
  let timing: Timing;
  let afterPath: SpecPath | undefined;
  if (e.timing && e.depends_on !== undefined) {
    sink.error([...path, 'depends_on'], 'journey.timing', 'cannot be combined with timing', { target: 'key', hint: 'use either timing or depends_on' });
  }
  if (e.delay && e.depends_on === undefined) {
    sink.error([...path, 'delay'], 'journey.timing', 'needs depends_on (a delay is counted from another event)', { target: 'key' });
  }
  if (e.depends_on !== undefined) {
    const d = e.delay ?? {};
    if (d.days_min !== undefined && d.days_max !== undefined && d.days_min > d.days_max) {
      sink.error([...path, 'delay', 'days_min'], 'spec.min-max', `is greater than days_max (${d.days_min} > ${d.days_max})`, { hint: 'swap days_min and days_max' });
    }
    const t: Timing = { type: 'after', event: e.depends_on, delay_days: d.days ?? (d.days_min !== undefined && d.days_max !== undefined ? (d.days_min + d.days_max) / 2 : (d.days_min ?? d.days_max ?? 0)) };
    if (d.days_min !== undefined) t.delay_days_min = d.days_min;
    if (d.days_max !== undefined) t.delay_days_max = d.days_max;
    timing = t;
    afterPath = [...path, 'depends_on'];
  } else if (e.timing) {
    const tm = e.timing;
    switch (tm.type as Timing['type']) {
      case 'fixed': {
        const t: Timing = { type: 'fixed', day: tm.day + phase.offset };
        const jitter = tm.jitter_days ?? phase.jitter;
        if (jitter !== undefined && jitter > 0) t.jitter_days = jitter;
        timing = t;
        break;
      }
      case 'recurring':
        timing = { type: 'recurring', interval_days: tm.interval_days, jitter_days: tm.jitter_days ?? phase.jitter ?? 0, start_day: (tm.start_day ?? 0) + phase.offset };
        break;
      case 'after': {
        if (tm.delay_days_min !== undefined && tm.delay_days_max !== undefined && tm.delay_days_min > tm.delay_days_max) {
          sink.error([...path, 'timing', 'delay_days_min'], 'spec.min-max', `is greater than delay_days_max (${tm.delay_days_min} > ${tm.delay_days_max})`);
        }
        const t: Timing = { type: 'after', event: tm.event, delay_days: tm.delay_days ?? 0 };
        if (tm.delay_days_min !== undefined) t.delay_days_min = tm.delay_days_min;
        if (tm.delay_days_max !== undefined) t.delay_days_max = tm.delay_days_max;
        timing = t;
        afterPath = [...path, 'timing', 'event'];
        break;
      }
      default: // only reachable when the schema already failed
        timing = { type: 'fixed', day: phase.offset };
    }
  } else {
    const t: Timing = { type: 'fixed', day: phase.offset };
    if (phase.jitter !== undefined && phase.jitter > 0) t.jitter_days = phase.jitter;
    timing = t;
  }

  const event: JourneyEvent = {
    id: e.id,
    event_type: e.event_type,
    timing: timing!,
    probability: e.probability ?? 1,
    parameters: e.parameters ? structuredClone(e.parameters) : {},
    codes: {},
  };
  if (e.condition !== undefined) {
    event.condition = e.condition;
    const pos = locate(sink.src, [...path, 'condition']);
    skillRefs.push({ name: e.condition, via: 'condition', file: sink.src.file, line: pos.line, col: pos.col, path: sink.path([...path, 'condition']) });
  }
  const ref = e.parameters?.skill_ref;
  if (ref) {
    const p = [...path, 'parameters', 'skill_ref', 'skill'];
    const pos = locate(sink.src, p);
    const sr: SkillRef = { name: ref.skill, via: 'skill_ref', file: sink.src.file, line: pos.line, col: pos.col, path: sink.path(p) };
    if (ref.lookup !== undefined) {
      sr.lookup = ref.lookup;
      const lp = [...path, 'parameters', 'skill_ref', 'lookup'];
      const lpos = locate(sink.src, lp);
      sr.lookupAt = { file: sink.src.file, line: lpos.line, col: lpos.col, path: sink.path(lp) };
    }
    skillRefs.push(sr);
  }
  if (e.if !== undefined) {
    checkExpressionAt(sink, [...path, 'if'], e.if);
    event.if = e.if;
  }
  for (const [field, system] of CODE_FIELDS) {
    if (e[field] === undefined) continue;
    event.codes[field] = e[field];
    const pos = locate(sink.src, [...path, field]);
    codeRefs.push({ system, code: e[field], file: sink.src.file, line: pos.line, col: pos.col, path: sink.path([...path, field]) });
  }
  checkParameters(e.parameters, [...path, 'parameters'], sink, codeRefs);
  if (phase.phase !== undefined) event.phase = phase.phase;
  return { event, path, afterPath, timingWritten: e.timing !== undefined };
}

function checkEventGraph(located: Located[], sink: DiagnosticSink, duration: number): void {
  const byId = new Map<string, Located>();
  for (const l of located) {
    if (byId.has(l.event.id)) {
      const first = byId.get(l.event.id)!;
      const firstPos = locate(sink.src, [...first.path, 'id']);
      sink.error([...l.path, 'id'], 'journey.duplicate-event', `repeats event id "${l.event.id}" (first used at line ${firstPos.line})`, {
        hint: 'event ids must be unique within a journey',
      });
      continue;
    }
    byId.set(l.event.id, l);
  }
  const ids = [...byId.keys()];
  for (const l of located) {
    const t = l.event.timing;
    if (t.type === 'fixed' && t.day > duration) {
      sink.error(dayPath(l), 'journey.day-range', `is after the journey ends (day ${t.day} > duration_days ${duration})`);
    }
    if (t.type === 'recurring' && t.start_day > duration) {
      sink.error(dayPath(l), 'journey.day-range', `is after the journey ends (day ${t.start_day} > duration_days ${duration})`);
    }
    if (t.type === 'after' && !byId.has(t.event) && l.afterPath) {
      sink.error(l.afterPath, 'journey.unknown-event', `names an unknown event "${t.event}"`, {
        hint: didYouMean(t.event, ids) ?? (ids.length > 0 ? `known events: ${[...ids].sort().join(', ')}` : undefined),
      });
    }
  }
  for (const cycle of findCycles(byId)) {
    const start = byId.get(cycle[0]!)!;
    sink.at(start.afterPath ?? start.path, 'journey.cycle', `events depend on each other in a cycle: ${[...cycle, cycle[0]].join(' → ')}`, {
      hint: 'an event cannot (indirectly) come after itself',
    });
  }
}

function dayPath(l: Located): SpecPath {
  if (!l.timingWritten) return [...l.path, 'id'];
  return [...l.path, 'timing', l.event.timing.type === 'recurring' ? 'start_day' : 'day'];
}

/**
 * Cycles in the `after` graph, each reported once, starting at its smallest id (ids walked in
 * sorted order so the messages are stable).
 */
export function findCycles(byId: ReadonlyMap<string, Located>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const root of [...byId.keys()].sort()) {
    if (state.has(root)) continue;
    // iterative DFS along the single `after` edge of each event
    const stack: string[] = [];
    let cur: string | undefined = root;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 'visiting');
      stack.push(cur);
      const t: Timing | undefined = byId.get(cur)?.event.timing;
      cur = t && t.type === 'after' && byId.has(t.event) ? t.event : undefined;
    }
    if (cur !== undefined && state.get(cur) === 'visiting') {
      const cycle = stack.slice(stack.indexOf(cur));
      const min = [...cycle].sort()[0]!;
      const rotated = [...cycle.slice(cycle.indexOf(min)), ...cycle.slice(0, cycle.indexOf(min))];
      const key = rotated.join('\u0000');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(rotated);
      }
    }
    for (const id of stack) state.set(id, 'done');
  }
  return cycles;
}
