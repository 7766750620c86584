/**
 * `healthsim docs --serve`: a static file server on 127.0.0.1 for the site directory, plus the
 * watch loop of `healthsim watch` (src/pipeline/watch.ts); after every rebuild that ran or
 * restored a step, the site is regenerated (inside the watcher's building state, so a site
 * generation never overlaps a build). The server reads files per request, so a regenerated site
 * (swapped in by rename) is what the next request sees.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { build } from '../pipeline/build.js';
import { plan } from '../pipeline/plan.js';
import type { LoadedProject } from '../pipeline/project.js';
import { Watcher, type WatchEvent } from '../pipeline/watch.js';
import type { Result } from '../spec/result.js';
import { buildDocsSite, type SiteResult } from './site.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Maps a request path to a file inside `dir`, or undefined when it would leave it. */
export function resolveRequestPath(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = path.posix.normalize(`/${decoded}`).replace(/^\/+/, '');
  const file = path.resolve(dir, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel);
  const base = path.resolve(dir);
  return file === base || file.startsWith(base + path.sep) ? file : undefined;
}

/** Serves `dir` read-only (GET/HEAD) on 127.0.0.1; port 0 picks a free port. */
export async function startStaticServer(dir: string, port: number): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
        return;
      }
      let file = resolveRequestPath(dir, req.url ?? '/');
      try {
        if (file && (await stat(file)).isDirectory()) file = path.join(file, 'index.html');
        if (!file) throw new Error('outside');
        const body = await readFile(file);
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : '<!doctype html><title>Not found</title><p>Not found. <a href="/index.html">Project page</a></p>\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type DocsServeEvent =
  | { type: 'serving'; url: string; outDir: string }
  | { type: 'site'; result: SiteResult }
  | { type: 'site-error'; message: string }
  | { type: 'watch'; event: WatchEvent };

export interface ServeOptions {
  root: string;
  outDir?: string;
  port: number;
  load: () => Promise<Result<LoadedProject>>;
  onEvent: (e: DocsServeEvent) => void;
  debounceMs?: number;
  usePolling?: boolean;
}

export interface DocsServe {
  url: string;
  stop(): Promise<void>;
}

/**
 * Generates the site once (fails like `healthsim docs` when the project was never built), then
 * serves it and keeps project and site fresh until stop().
 */
export async function serveDocs(project: LoadedProject, opts: ServeOptions): Promise<DocsServe> {
  const first = await buildDocsSite(project, { outDir: opts.outDir });
  opts.onEvent({ type: 'site', result: first });
  const server = await startStaticServer(first.outDir, opts.port);
  opts.onEvent({ type: 'serving', url: server.url, outDir: first.outDir });
  const watcher = new Watcher({
    root: opts.root,
    debounceMs: opts.debounceMs,
    usePolling: opts.usePolling,
    load: opts.load,
    onEvent: (event) => opts.onEvent({ type: 'watch', event }),
    runBuild: async (p, o) => {
      const result = await build(p, plan(p), { targets: o.targets, signal: o.signal, onEvent: o.onEvent, waitForLockMs: 0 });
      if (result.steps.some((s) => s.status === 'ran' || s.status === 'cached')) {
        try {
          opts.onEvent({ type: 'site', result: await buildDocsSite(p, { outDir: first.outDir }) });
        } catch (e) {
          opts.onEvent({ type: 'site-error', message: (e as Error).message });
        }
      }
      return result;
    },
  });
  await watcher.start();
  return {
    url: server.url,
    stop: async () => {
      await watcher.stop();
      await server.close();
    },
  };
}
