import path from 'node:path';
import { loadProject } from '../../index.js';
import { shouldPoll } from '../../pipeline/watch.js';
import { DocsError, buildDocsSite, type SiteResult } from '../../docs/site.js';
import { serveDocs, type DocsServeEvent } from '../../docs/serve.js';
import { CliError, type CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';
import { formatCount } from '../render/table.js';
import { parseIntOption } from './build.js';
import { renderWatchEvent } from './watch.js';

export interface DocsCliOptions extends ProjectOptions {
  /** output directory (default outputs/docs) */
  out?: string;
  serve?: boolean;
  /** --serve port (default 4173; 0 picks a free one) */
  port?: string;
}

export const DEFAULT_DOCS_PORT = 4173;

function siteLine(io: CliIO, r: SiteResult): string {
  const bytes = r.pages.reduce((s, p) => s + p.bytes, 0);
  const largest = Math.max(...r.pages.map((p) => p.bytes));
  const where = path.relative(io.cwd, r.outDir) || '.';
  return `wrote ${r.pages.length} pages (${formatCount(Math.round(bytes / 1024))} KB, largest ${formatCount(Math.round(largest / 1024))} KB) to ${where}`;
}

function reportSite(io: CliIO, r: SiteResult): void {
  io.out(siteLine(io, r));
  if (r.notBuilt.length) io.err(`not built yet (pages say so): ${r.notBuilt.join(', ')}; run healthsim build`);
  if (r.stale.length) io.err(`stale (pages show the last build): ${r.stale.join(', ')}; run healthsim build`);
}

function toCliError(e: unknown): unknown {
  return e instanceof DocsError ? new CliError(e.message, 1) : e;
}

export async function docsCommand(io: CliIO, opts: DocsCliOptions): Promise<number> {
  const project = await loadOrFail(io, opts);
  if (!opts.serve) {
    try {
      const r = await buildDocsSite(project, { outDir: opts.out });
      reportSite(io, r);
      io.out(`open ${path.relative(io.cwd, path.join(r.outDir, 'index.html'))}`);
    } catch (e) {
      throw toCliError(e);
    }
    return 0;
  }

  const port = parseIntOption('--port', opts.port, 0, 65535) ?? DEFAULT_DOCS_PORT;
  const root = project.root;
  const onEvent = (e: DocsServeEvent): void => {
    switch (e.type) {
      case 'serving':
        io.out(`serving ${e.url} (${path.relative(io.cwd, e.outDir) || '.'}); rebuilding on every saved change; Ctrl-C to stop`);
        return;
      case 'site':
        reportSite(io, e.result);
        return;
      case 'site-error':
        io.err(`error: could not regenerate the site: ${e.message}`);
        return;
      case 'watch':
        renderWatchEvent(io, e.event, root);
        return;
    }
  };
  let serving;
  try {
    serving = await serveDocs(project, {
      root,
      outDir: opts.out,
      port,
      load: () => loadProject(root, { configFile: opts.config }),
      onEvent,
      usePolling: (await shouldPoll(root, process.env.HEALTHSIM_WATCH_POLL === '1' ? true : undefined)).poll,
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} is in use on 127.0.0.1; pass --port with another number (0 picks a free one)`, 1);
    throw toCliError(e);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, stop);
      void serving.stop().then(resolve);
    };
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, stop);
  });
  return 0;
}
