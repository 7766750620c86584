/**
 * Watch mode as a small state machine:
 *
 *          change                 quiet for debounceMs
 *   idle ─────────▶ debouncing ───────────────────────▶ building ──┐
 *    ▲                  ▲  change (restart timer)           │      │ change while building:
 *    │                  └───────────────────────────────────┘◀─────┘ remember it (dirty)
 *    └──────────── build finished and nothing dirty ◀───────┘
 *
 * A change during a build is never lost: when the build ends, a dirty flag sends the machine
 * back to debouncing. Spec errors are reported as diagnostics and the watcher keeps running; the
 * last good outputs stay in place because a failed validation builds nothing. stop() lets a
 * running step finish (cache entries and persists are atomic), then resolves.
 */
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { Diagnostic } from '../spec/diagnostic.js';
import type { Result } from '../spec/result.js';
import { build, type BuildResult } from './build.js';
import type { StepReport } from './events.js';
import { plan } from './plan.js';
import type { LoadedProject } from './project.js';
import { ProjectLockedError } from './projectLock.js';

export type WatchEvent =
  | { type: 'watching'; root: string }
  | { type: 'change'; file: string; event: string }
  | { type: 'rebuild-start'; trigger: string[] }
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  | { type: 'step'; report: StepReport }
  | { type: 'rebuild-end'; ok: boolean; ms: number; ran: string[]; result?: BuildResult; summaries: Record<string, string> }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

export type WatchState = 'idle' | 'debouncing' | 'building' | 'stopping' | 'stopped';

export interface WatchOptions {
  root: string;
  targets?: string[];
  debounceMs?: number;
  load: () => Promise<Result<LoadedProject>>;
  /** one-line summaries of rebuilt datasets (read from the catalog after a build) */
  summaries?: (project: LoadedProject, datasets: string[]) => Promise<Record<string, string>>;
  onEvent: (e: WatchEvent) => void;
  /** chokidar polling (tests on filesystems without inotify) */
  usePolling?: boolean;
}

const IGNORED_DIRS = new Set(['node_modules', '.git', '.healthsim', 'outputs', 'dist']);

export class Watcher {
  private state: WatchState = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private changed = new Set<string>();
  private fsw: FSWatcher | undefined;
  private current: Promise<void> | undefined;
  private abort: AbortController | undefined;
  rebuilds = 0;

  constructor(private readonly opts: WatchOptions) {}

  get currentState(): WatchState {
    return this.state;
  }

  /** Start watching and run an initial build. */
  async start(): Promise<void> {
    const root = this.opts.root;
    this.fsw = chokidarWatch(root, {
      ignoreInitial: true,
      usePolling: this.opts.usePolling,
      interval: 100,
      awaitWriteFinish: false,
      ignored: (p: string) => {
        const rel = path.relative(root, p);
        if (!rel || rel.startsWith('..')) return false;
        const first = rel.split(path.sep)[0];
        return IGNORED_DIRS.has(first);
      },
    });
    this.fsw.on('all', (event, file) => {
      if (!/\.(ya?ml)$/i.test(file)) return;
      this.opts.onEvent({ type: 'change', file: path.relative(root, file), event });
      this.noteChange(path.relative(root, file));
    });
    await new Promise<void>((resolve) => this.fsw!.once('ready', () => resolve()));
    this.opts.onEvent({ type: 'watching', root });
    this.changed.add('(initial build)');
    this.kick();
  }

  private noteChange(file: string): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.changed.add(file);
    if (this.state === 'building') {
      this.dirty = true;
      return;
    }
    this.state = 'debouncing';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.opts.debounceMs ?? 150);
  }

  private kick(): void {
    if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'building') return;
    this.state = 'building';
    this.current = this.rebuild().finally(() => {
      this.current = undefined;
      if (this.state === 'stopping') return;
      if (this.dirty) {
        this.dirty = false;
        this.state = 'debouncing';
        this.timer = setTimeout(() => this.kick(), this.opts.debounceMs ?? 150);
      } else this.state = 'idle';
    });
  }

  private async rebuild(): Promise<void> {
    const trigger = [...this.changed].sort();
    this.changed.clear();
    this.rebuilds++;
    const t0 = performance.now();
    this.opts.onEvent({ type: 'rebuild-start', trigger });
    try {
      const loaded = await this.opts.load();
      if (!loaded.ok) {
        this.opts.onEvent({ type: 'diagnostics', diagnostics: loaded.errors });
        this.opts.onEvent({ type: 'rebuild-end', ok: false, ms: performance.now() - t0, ran: [], summaries: {} });
        return;
      }
      const project = loaded.value;
      this.abort = new AbortController();
      const result = await build(project, plan(project), {
        targets: this.opts.targets,
        waitForLockMs: 30_000,
        signal: this.abort.signal,
        onEvent: (e) => {
          if (e.type === 'step-end' && e.report.status !== 'up-to-date') this.opts.onEvent({ type: 'step', report: e.report });
          else if (e.type === 'warning') this.opts.onEvent({ type: 'error', message: e.message });
        },
      });
      const ran = result.steps.filter((s) => s.status === 'ran').map((s) => s.id);
      const persisted = result.steps.filter((s) => s.kind === 'persist' && s.status === 'ran').map((s) => s.id.slice('persist:'.length));
      let summaries: Record<string, string> = {};
      if (persisted.length && this.opts.summaries) {
        try {
          summaries = await this.opts.summaries(project, persisted);
        } catch (e) {
          this.opts.onEvent({ type: 'error', message: `could not read summaries: ${(e as Error).message}` });
        }
      }
      this.opts.onEvent({ type: 'rebuild-end', ok: result.ok, ms: performance.now() - t0, ran, result, summaries });
    } catch (e) {
      const message = e instanceof ProjectLockedError ? e.message : `rebuild failed: ${(e as Error).message}`;
      this.opts.onEvent({ type: 'error', message });
      this.opts.onEvent({ type: 'rebuild-end', ok: false, ms: performance.now() - t0, ran: [], summaries: {} });
    } finally {
      this.abort = undefined;
    }
  }

  /** Stop watching; a running build finishes its current steps (no half-written outputs). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    await this.fsw?.close();
    await this.current;
    this.state = 'stopped';
    this.opts.onEvent({ type: 'stopped' });
  }
}
