import type { BuildEvent, BuildListener, StepReport } from '../../pipeline/events.js';
import type { BlockProgress } from '../../pipeline/generateChunks.js';
import type { CliIO } from '../io.js';
import { formatCount, formatMs } from './table.js';

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * `41%  4,100,000 of 10,000,000 entities, 345,871,011 rows, 3,254 entities/s, about 30 min 13 s
 * left`: a generate step's progress at `rate` entities a second (see StepClocks); the time left
 * assumes the rate holds.
 */
export function progressText(p: BlockProgress, rate: number | undefined): string {
  const pct = p.entities > 0 ? Math.floor((100 * p.entitiesDone) / p.entities) : Math.floor((100 * p.blocksDone) / Math.max(1, p.blocks));
  const parts = [`${pct}%`.padStart(4), `  ${formatCount(p.entitiesDone)} of ${formatCount(p.entities)} entities, ${formatCount(p.rows)} rows`];
  if (rate !== undefined && rate > 0 && Number.isFinite(rate) && p.entitiesDone > 0) {
    parts.push(`, ${formatCount(Math.round(rate))} entities/s`);
    if (p.entitiesDone < p.entities) parts.push(`, about ${formatDuration(((p.entities - p.entitiesDone) / rate) * 1000)} left`);
  }
  return parts.join('');
}

/** How long after a step's first block its rate is measured from that block on. */
export const STEADY_AFTER_MS = 5_000;

/**
 * When each running step started and wrote its first block. A step's rate is measured from its
 * first block on, once STEADY_AFTER_MS have passed since it: neither the workers' warm-up nor the
 * time a step waited for a worker held by another dataset makes the rate and the time left
 * pessimistic. Until then there is no rate.
 */
export class StepClocks {
  private readonly clocks = new Map<string, { start: number; first?: { t: number; entities: number } }>();
  start(id: string, t: number): void {
    this.clocks.set(id, { start: t });
  }
  started(id: string): number | undefined {
    return this.clocks.get(id)?.start;
  }
  /** entities a second at `t`, given the step's progress then (called after each block) */
  rate(id: string, p: BlockProgress, t: number): number | undefined {
    const c = this.clocks.get(id);
    if (!c) return undefined;
    if (!c.first) c.first = { t, entities: p.entitiesDone };
    const since = t - c.first.t;
    return since >= STEADY_AFTER_MS && p.entitiesDone > c.first.entities ? ((p.entitiesDone - c.first.entities) * 1000) / since : undefined;
  }
  end(id: string): void {
    this.clocks.delete(id);
  }
}

/** How often plain output reports a running step's progress, and after how long a step starts to. */
export const PROGRESS_EVERY_MS = 10_000;

/**
 * Progress lines for plain output: a step that has run for PROGRESS_EVERY_MS gets a line, then at
 * most one every PROGRESS_EVERY_MS, so short builds print none and CI logs of long ones show
 * the build moving.
 */
function progressLines(print: (line: string) => void, now: () => number): BuildListener {
  const clocks = new StepClocks();
  const lastLine = new Map<string, number>();
  return (e) => {
    if (e.type === 'step-start') clocks.start(e.id, now());
    else if (e.type === 'step-progress') {
      const t = now();
      const t0 = clocks.started(e.id) ?? t;
      const rate = clocks.rate(e.id, e.progress, t);
      if (t - t0 < PROGRESS_EVERY_MS || t - (lastLine.get(e.id) ?? t0) < PROGRESS_EVERY_MS) return;
      if (e.progress.blocksDone >= e.progress.blocks) return; // its step-end line follows
      lastLine.set(e.id, t);
      print(`${'progress'.padEnd(10)} ${e.id}  ${progressText(e.progress, rate)}`);
    } else if (e.type === 'step-end') {
      clocks.end(e.report.id);
      lastLine.delete(e.report.id);
    }
  };
}

export function rowsText(rows: Record<string, number> | undefined, previous?: Record<string, number>): string {
  if (!rows) return '';
  const parts = Object.entries(rows)
    .filter(([, n]) => n > 0 || (previous && previous[Object.keys(rows)[0]] !== undefined))
    .map(([t, n]) => {
      const name = t.replace(/\.parquet$/, '');
      const before = previous?.[name] ?? previous?.[t];
      return before !== undefined && before !== n ? `${name} ${before} → ${n}` : `${name} ${n}`;
    });
  return parts.join(', ');
}

export function stepLine(r: StepReport): string {
  const status = r.status === 'up-to-date' ? 'up to date' : r.status;
  const rows = r.status === 'ran' || r.status === 'cached' ? rowsText(r.rows, r.previousRows) : '';
  const time = r.ms !== undefined && r.status === 'ran' ? `  ${formatMs(r.ms)}` : '';
  const err = r.error ? `  ${r.error}` : '';
  const why = r.status === 'skipped' ? `  ${r.reasons.join('; ')}` : '';
  return `${status.padEnd(10)} ${r.id}${rows ? `  (${rows})` : ''}${time}${err}${why}`;
}

/** Plain lines, one per finished step: for CI logs and pipes. */
export function plainListener(io: CliIO, opts: { quietUpToDate?: boolean; now?: () => number } = {}): BuildListener {
  const progress = progressLines(io.out, opts.now ?? (() => performance.now()));
  return (e: BuildEvent) => {
    progress(e);
    if (e.type === 'step-end') {
      if (opts.quietUpToDate && e.report.status === 'up-to-date') return;
      (e.report.status === 'failed' ? io.err : io.out)(stepLine(e.report));
    } else if (e.type === 'warning') io.err(`warning: ${e.message}`);
    else if (e.type === 'info') io.out(e.message);
  };
}

/** One JSON object per line (watch --json and build --json use the final report instead). */
export function jsonLinesListener(io: CliIO): BuildListener {
  return (e) => io.out(JSON.stringify(e));
}

/**
 * listr2 progress on a TTY: a task per step that will run, resolved by the pipeline's events.
 * Returns the listener and a promise that settles when the progress display has finished.
 */
export function listrListener(io: CliIO): { listener: BuildListener; done: () => Promise<void> } {
  const waiting = new Map<string, { resolve: (r: StepReport) => void; promise: Promise<StepReport> }>();
  const ensure = (id: string) => {
    let w = waiting.get(id);
    if (!w) {
      let resolve!: (r: StepReport) => void;
      const promise = new Promise<StepReport>((r) => (resolve = r));
      w = { resolve, promise };
      waiting.set(id, w);
    }
    return w;
  };
  let run: Promise<unknown> = Promise.resolve();
  /** running steps' task titles, and their clocks (for their progress) */
  const titles = new Map<string, (title: string) => void>();
  const clocks = new StepClocks();
  const listener: BuildListener = (e) => {
    if (e.type === 'step-start') clocks.start(e.id, performance.now());
    else if (e.type === 'step-progress') {
      titles.get(e.id)?.(`${e.id}  ${progressText(e.progress, clocks.rate(e.id, e.progress, performance.now()))}`);
    } else if (e.type === 'plan') {
      const torun = e.steps.filter((s) => s.willRun);
      if (torun.length === 0) return;
      // listr2 is loaded only when something will run: a no-op build does not pay for it
      run = import('listr2').then(({ Listr }) => new Listr(
        torun.map((s) => ({
          title: s.id,
          task: async (_ctx: unknown, task: { title: string }) => {
            titles.set(s.id, (title) => (task.title = title));
            const r = await ensure(s.id).promise;
            titles.delete(s.id);
            task.title = stepLine(r);
            if (r.status === 'failed') throw new Error(r.error ?? 'failed');
          },
        })),
        { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
      ).run()).catch(() => undefined);
    } else if (e.type === 'step-end') {
      clocks.end(e.report.id);
      ensure(e.report.id).resolve(e.report);
    } else if (e.type === 'warning') io.err(`warning: ${e.message}`);
  };
  return {
    listener,
    done: async () => {
      for (const w of waiting.values()) w.resolve({ id: '', kind: '', key: '', status: 'skipped', reasons: [] });
      await run;
    },
  };
}
