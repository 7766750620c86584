/**
 * `healthsim watch [targets...]`: rebuild what a saved spec change affects. People get a block
 * per rebuild (the steps that ran, row counts that changed, elapsed time, the new summary line of
 * each rebuilt dataset); spec errors print exactly like `healthsim validate`. With `--json` every
 * WatchEvent (see src/pipeline/watch.ts for the list) is one JSON line with an ISO `time` added.
 *
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP stop the watcher: the running step finishes, nothing is left
 * half-written, the exit code is 0. A second Ctrl-C quits at once (exit 130); the next build then
 * removes the unfinished cache entry.
 *
 * Polling instead of native file events: HEALTHSIM_WATCH_POLL=1 (or chokidar's
 * CHOKIDAR_USEPOLLING=1) forces it, =0 disables it; by default it is used on network and
 * VM-shared filesystems (see shouldPoll).
 */
import path from 'node:path';
import { loadProject } from '../../index.js';
import type { StepReport } from '../../pipeline/events.js';
import { shouldPoll, Watcher, DEFAULT_DEBOUNCE_MS, type WatchEvent } from '../../pipeline/watch.js';
import { getSummary } from '../../store/index.js';
import { formatDiagnostic } from '../../spec/diagnostic.js';
import { unreachable } from '../../spec/result.js';
import type { CliIO } from '../io.js';
import { printDiagnostics, type ProjectOptions } from '../project.js';
import { formatMs } from '../render/table.js';
import { withReadOnlyDb } from './datasets.js';
import { parseIntOption } from './build.js';

export interface WatchCliOptions extends ProjectOptions {
  json?: boolean;
  debounce?: string;
}

/** `patients 100 → 150, encounters 900 → 1,310`: only the tables whose row count changed. */
export function rowChanges(rows: Record<string, number> | undefined, previous: Record<string, number> | undefined): string {
  if (!rows) return '';
  const entries = Object.entries(rows).map(([t, n]) => [t.replace(/\.parquet$/, ''), n] as const);
  if (!previous) {
    const nonEmpty = entries.filter(([, n]) => n > 0);
    return nonEmpty.length ? `new: ${nonEmpty.map(([t, n]) => `${t} ${n}`).join(', ')}` : '';
  }
  const changed = entries.filter(([t, n]) => (previous[t] ?? 0) !== n).map(([t, n]) => `${t} ${previous[t] ?? 0} → ${n}`);
  for (const [t, n] of Object.entries(previous)) if (n > 0 && !(t in rows) && !(`${t}.parquet` in rows)) changed.push(`${t} ${n} → 0`);
  return changed.length ? changed.join(', ') : 'row counts unchanged';
}

function watchStepLine(r: StepReport): string {
  const status = r.status.padEnd(8);
  if (r.status === 'failed') return `  ${status} ${r.id}  ${r.error ?? ''}`;
  if (r.status === 'skipped') return `  ${status} ${r.id}  ${r.reasons.join('; ')}`;
  if (r.status === 'cached') return `  ${status} ${r.id}`;
  const rows = r.kind === 'persist' ? rowChanges(r.rows, r.previousRows) : '';
  return `  ${status} ${r.id}${rows ? `  ${rows}` : ''}${r.ms !== undefined ? `  ${formatMs(r.ms)}` : ''}`;
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Human rendering of watch events; `root` lets diagnostics show their source line like validate. */
export function renderWatchEvent(io: CliIO, e: WatchEvent, root: string): void {
  switch (e.type) {
    case 'watching':
      io.out(`watching ${e.root}${e.polling ? ' (polling)' : ''}; Ctrl-C to stop`);
      return;
    case 'change':
    case 'step-start':
      return;
    case 'queued':
      io.out(`  ${e.file} changed during the rebuild; another rebuild follows`);
      return;
    case 'rebuild-start':
      io.out(`[${clock()}] rebuild ${e.n}: ${e.trigger.join(', ')}`);
      return;
    case 'diagnostics':
      printDiagnostics(io, e.diagnostics, false, root);
      return;
    case 'warnings':
      for (const d of e.diagnostics) io.err(formatDiagnostic(d));
      return;
    case 'step':
      (e.report.status === 'failed' ? io.err : io.out)(watchStepLine(e.report));
      return;
    case 'rebuild-end': {
      for (const line of Object.values(e.summaries)) io.out(`  ${line}`);
      const time = formatMs(e.ms);
      switch (e.outcome) {
        case 'built': {
          const extra = [e.cached.length ? `${e.cached.length} from cache` : '', e.upToDate ? `${e.upToDate} up to date` : ''].filter(Boolean).join(', ');
          io.out(
            e.ran.length === 0 && e.cached.length === 0
              ? `nothing to rebuild (${extra || 'no steps'}), ${time}; waiting for changes`
              : `rebuilt ${plural(e.ran.length, 'step')} in ${time}${extra ? ` (${extra})` : ''}; waiting for changes`,
          );
          return;
        }
        case 'invalid':
          io.err('not rebuilt: fix the errors above; the last good outputs are still in place; waiting for changes');
          return;
        case 'interrupted':
          io.out(`interrupted after ${time}: ${plural(e.ran.length, 'step')} finished, the rest did not run; healthsim.lock unchanged`);
          return;
        case 'failed':
          if (e.error) io.err(`error: ${e.error}`);
          io.err(`rebuild failed after ${time}: outputs of steps that succeeded are kept, healthsim.lock unchanged; waiting for changes`);
          return;
        default:
          return unreachable(e.outcome);
      }
    }
    case 'retry':
      io.err(`  busy: ${e.reason}; retrying in ${formatMs(e.inMs)} (attempt ${e.attempt})`);
      return;
    case 'error':
      io.err(`error: ${e.message}`);
      return;
    case 'stopped':
      io.out('stopped');
      return;
    default:
      unreachable(e);
  }
}

function envPolling(): boolean | undefined {
  for (const name of ['HEALTHSIM_WATCH_POLL', 'CHOKIDAR_USEPOLLING']) {
    const v = process.env[name]?.toLowerCase();
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
  }
  return undefined;
}

export async function watchCommand(io: CliIO, targets: string[], opts: WatchCliOptions): Promise<number> {
  const root = path.resolve(io.cwd, opts.project ?? '.');
  const debounceMs = parseIntOption('--debounce', opts.debounce, 0, 60_000) ?? DEFAULT_DEBOUNCE_MS;
  const polling = await shouldPoll(root, envPolling());
  const emit = (e: WatchEvent): void => {
    if (opts.json) {
      const { result: _omit, ...rest } = e as WatchEvent & { result?: unknown };
      io.out(JSON.stringify({ ...rest, time: new Date().toISOString() }));
    } else renderWatchEvent(io, e, root);
  };
  const watcher = new Watcher({
    root,
    targets,
    debounceMs,
    usePolling: polling.poll,
    load: () => loadProject(root, { configFile: opts.config }),
    summaries: (project, datasets) =>
      withReadOnlyDb(project, async (db) => {
        const out: Record<string, string> = {};
        for (const d of [...datasets].sort()) out[d] = (await getSummary(db, d)).line;
        return out;
      }),
    onEvent: emit,
  });
  let signals = 0;
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      if (!opts.json) io.err('quitting without waiting; the next build removes any unfinished cache entry');
      process.exit(130);
    }
    if (!opts.json && watcher.currentState === 'building') io.err(`${signal}: finishing the current step (Ctrl-C again to quit at once)`);
    void watcher.stop().then(stopRequested);
  };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, () => onSignal(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    await watcher.start();
    await stopped;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
  return 0;
}
