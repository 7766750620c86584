import path from 'node:path';
import { loadProject } from '../../index.js';
import { Watcher, type WatchEvent } from '../../pipeline/watch.js';
import { getSummary } from '../../store/index.js';
import { withReadOnlyDb } from './datasets.js';
import { formatDiagnostic } from '../../spec/diagnostic.js';
import type { CliIO } from '../io.js';
import type { ProjectOptions } from '../project.js';
import { parseIntOption } from './build.js';
import { stepLine } from '../render/buildEvents.js';
import { formatMs } from '../render/table.js';

function render(io: CliIO, e: WatchEvent): void {
  switch (e.type) {
    case 'watching':
      io.out(`watching ${e.root} (Ctrl-C to stop)`);
      break;
    case 'change':
      break;
    case 'rebuild-start':
      io.out(`rebuilding (${e.trigger.join(', ')})`);
      break;
    case 'diagnostics':
      for (const d of e.diagnostics) io.err(formatDiagnostic(d));
      io.err('not rebuilt: fix the errors above; the last good outputs are still in place');
      break;
    case 'step':
      io.out(`  ${stepLine(e.report)}`);
      break;
    case 'rebuild-end':
      for (const [ds, line] of Object.entries(e.summaries)) io.out(`  ${ds}: ${line}`);
      io.out(e.ok ? `${e.ran.length === 0 ? 'up to date' : `rebuilt ${e.ran.length} step(s)`} in ${formatMs(e.ms)}; waiting for changes` : `rebuild failed after ${formatMs(e.ms)}; waiting for changes`);
      break;
    case 'error':
      io.err(`error: ${e.message}`);
      break;
    case 'stopped':
      io.out('stopped');
      break;
  }
}

export async function watchCommand(io: CliIO, targets: string[], opts: ProjectOptions & { json?: boolean; debounce?: string }): Promise<number> {
  const root = path.resolve(io.cwd, opts.project ?? '.');
  const debounceMs = parseIntOption('--debounce', opts.debounce, 0, 60_000) ?? 150;
  const watcher = new Watcher({
    root,
    targets,
    debounceMs,
    load: () => loadProject(root, { configFile: opts.config }),
    summaries: (project, datasets) =>
      withReadOnlyDb(project, async (db) => {
        const out: Record<string, string> = {};
        for (const d of datasets) out[d] = (await getSummary(db, d)).line;
        return out;
      }),
    onEvent: (e) => {
      if (opts.json) {
        const { result: _omit, ...rest } = e as WatchEvent & { result?: unknown };
        io.out(JSON.stringify(rest));
      } else render(io, e);
    },
  });
  await watcher.start();
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void watcher.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
