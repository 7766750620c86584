import type { BuildEvent, BuildListener, StepReport } from '../../pipeline/events.js';
import type { CliIO } from '../io.js';
import { formatMs } from './table.js';

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
export function plainListener(io: CliIO, opts: { quietUpToDate?: boolean } = {}): BuildListener {
  return (e: BuildEvent) => {
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
  const listener: BuildListener = (e) => {
    if (e.type === 'plan') {
      const torun = e.steps.filter((s) => s.willRun);
      if (torun.length === 0) return;
      // listr2 is loaded only when something will run: a no-op build does not pay for it
      run = import('listr2').then(({ Listr }) => new Listr(
        torun.map((s) => ({
          title: s.id,
          task: async (_ctx: unknown, task: { title: string }) => {
            const r = await ensure(s.id).promise;
            task.title = stepLine(r);
            if (r.status === 'failed') throw new Error(r.error ?? 'failed');
          },
        })),
        { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } },
      ).run()).catch(() => undefined);
    } else if (e.type === 'step-end') {
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
