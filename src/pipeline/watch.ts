/**
 * Watch mode as a small state machine:
 *
 *          change                 quiet for debounceMs
 *   idle ─────────▶ debouncing ───────────────────────▶ building ──┐
 *    ▲                  ▲  change (restart timer)           │      │ change while building:
 *    │                  └───────────────────────────────────┘◀─────┘ remember it (dirty)
 *    └──────────── build finished and nothing dirty ◀───────┘
 *
 *   any state ── stop() ──▶ stopping (abort: no new step starts) ──▶ stopped
 *
 * A change during a build is never lost: when the build ends, the dirty flag sends the machine
 * back to debouncing. Every rebuild loads the project afresh, so files newly referenced from the
 * config are picked up and a deleted one is a diagnostic. Spec errors are reported as diagnostics
 * and the watcher keeps running; the last good outputs stay in place because a failed validation
 * builds nothing. Between rebuilds the watcher holds neither the project lock (build.pid) nor the
 * DuckDB file: `build()` takes and releases both, so `healthsim query` works from another process.
 * A rebuild that finds the project locked (a `healthsim build` in another terminal) or the
 * database held (a long query) is retried after a pause, so Ctrl-C never waits on a lock.
 * stop() lets the running step finish (cache entries and persists are atomic), then resolves.
 *
 * Events (`WatchEvent`, one JSON line each with `healthsim watch --json`):
 *   watching      the file watcher is ready: { root, polling }
 *   change        a spec file (*.yaml, *.yml) was added, changed or removed: { file, event }
 *   queued        a change arrived during a rebuild; another rebuild follows: { file }
 *   rebuild-start a rebuild begins: { n, trigger: files that changed since the last one }
 *   diagnostics   the specs do not validate; nothing was built: { diagnostics }
 *   warnings      the specs validate with warnings (only when they differ from the last shown)
 *   step-start    a step that has to run (or be read from the cache) begins: { id }
 *   step          a step ran, came from the cache, failed or was skipped: { report: StepReport }
 *   rebuild-end   { n, outcome: built | invalid | failed | interrupted, ok, interrupted, ms, ran,
 *                 cached, failed, upToDate, summaries: dataset → summary line, error? }
 *   retry         another process held the project or the database; the rebuild runs again after
 *                 a growing pause: { reason, inMs, attempt }
 *   error         something outside a step went wrong (the watcher keeps running): { message }
 *   stopped       the watcher has stopped: { rebuilds }
 */
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { Diagnostic } from '../spec/diagnostic.js';
import type { Result } from '../spec/result.js';
import { build, type BuildResult } from './build.js';
import type { BuildEvent, StepReport } from './events.js';
import { plan } from './plan.js';
import type { LoadedProject } from './project.js';
import { ProjectLockedError } from './projectLock.js';

export type WatchEvent =
  | { type: 'watching'; root: string; polling: boolean }
  | { type: 'change'; file: string; event: 'add' | 'change' | 'unlink' }
  | { type: 'queued'; file: string }
  | { type: 'rebuild-start'; n: number; trigger: string[] }
  | { type: 'diagnostics'; diagnostics: Diagnostic[] }
  | { type: 'warnings'; diagnostics: Diagnostic[] }
  | { type: 'step-start'; id: string }
  | { type: 'step'; report: StepReport }
  | {
      type: 'rebuild-end';
      n: number;
      /** built: every step succeeded · invalid: the specs have errors, nothing was built ·
       *  failed: a step failed or the build could not start · interrupted: stop() during the build */
      outcome: 'built' | 'invalid' | 'failed' | 'interrupted';
      ok: boolean;
      interrupted: boolean;
      ms: number;
      ran: string[];
      cached: string[];
      failed: string[];
      upToDate: number;
      /** dataset → one-line summary, for every dataset persisted by this rebuild */
      summaries: Record<string, string>;
      error?: string;
      result?: BuildResult;
    }
  | { type: 'retry'; reason: string; inMs: number; attempt: number }
  | { type: 'error'; message: string }
  | { type: 'stopped'; rebuilds: number };

export type WatchState = 'idle' | 'debouncing' | 'building' | 'stopping' | 'stopped';

/** Runs one build of a loaded project (injectable so the state machine can be tested alone). */
export type RunBuild = (project: LoadedProject, opts: { targets?: string[]; signal: AbortSignal; onEvent: (e: BuildEvent) => void }) => Promise<BuildResult>;

export interface WatchOptions {
  root: string;
  targets?: string[];
  /** quiet period after the last change before a rebuild (at least MIN_DEBOUNCE_MS) */
  debounceMs?: number;
  load: () => Promise<Result<LoadedProject>>;
  /** one-line summaries of rebuilt datasets (read from the catalog after a build) */
  summaries?: (project: LoadedProject, datasets: string[]) => Promise<Record<string, string>>;
  onEvent: (e: WatchEvent) => void;
  /** stat polling instead of inotify/FSEvents (network and VM-shared filesystems); see shouldPoll */
  usePolling?: boolean;
  runBuild?: RunBuild;
  /** first pause before retrying when another process holds the project or database (doubles, at most 5 s) */
  retryMs?: number;
  maxRetries?: number;
}

export const DEFAULT_DEBOUNCE_MS = 150;
/**
 * chokidar drops a file's `change` events that come within 50 ms of the previous one (no trailing
 * event). With a quiet period longer than that, any dropped write happened before the rebuild
 * reads the files, so the last save is always what gets built.
 */
export const MIN_DEBOUNCE_MS = 60;
const IGNORED_DIRS = new Set(['node_modules', '.git', '.healthsim', 'outputs', 'dist']);
const SPEC_FILE = /\.ya?ml$/i;
/** The message of store's DatabaseLockedError ("database … is locked by …"). */
const DB_LOCKED = /^database .* is locked by /;

/**
 * Linux filesystems whose change notifications are unreliable or missing (edits made on the
 * other side of a network or VM share never reach inotify): NFS, SMB/CIFS, 9p (WSL2 /mnt/c),
 * FUSE (sshfs, Docker Desktop shares), VirtualBox shared folders, AFS, Coda, Ceph.
 */
const POLL_FS_TYPES = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x01021997, 0x65735546, 0x786f4256, 0x5346414f, 0x73757245, 0x00c36400]);

/** Whether to poll: an explicit choice wins, else poll on the filesystems listed above. */
export async function shouldPoll(root: string, explicit?: boolean): Promise<{ poll: boolean; reason: string }> {
  if (explicit !== undefined) return { poll: explicit, reason: explicit ? 'polling requested' : 'polling disabled' };
  if (process.platform !== 'linux') return { poll: false, reason: 'native file events' };
  try {
    const st = await statfs(root);
    if (POLL_FS_TYPES.has(Number(st.type))) return { poll: true, reason: `filesystem type 0x${Number(st.type).toString(16)} has unreliable change events` };
  } catch {
    /* statfs unsupported: use native events */
  }
  return { poll: false, reason: 'native file events' };
}

export class Watcher {
  private state: WatchState = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private readonly changed = new Set<string>();
  private fsw: FSWatcher | undefined;
  private current: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private lastWarnings = '';
  private retries = 0;
  private stopping: Promise<void> | undefined;
  /** rebuilds started so far (the initial build is number 1) */
  rebuilds = 0;

  constructor(private readonly opts: WatchOptions) {}

  get currentState(): WatchState {
    return this.state;
  }

  private get debounceMs(): number {
    return Math.max(MIN_DEBOUNCE_MS, this.opts.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  }

  /** Start watching, then run an initial build (which is a no-op when outputs are fresh). */
  async start(): Promise<void> {
    const root = this.opts.root;
    const ignored = (p: string, stats?: { isFile(): boolean }): boolean => {
      const rel = path.relative(root, p);
      if (!rel || rel.startsWith('..')) return false;
      if (IGNORED_DIRS.has(rel.split(path.sep)[0]!)) return true;
      // only spec files matter; skipping the rest keeps polling cheap (stats are absent on the first call)
      return !!stats?.isFile() && !SPEC_FILE.test(p);
    };
    this.fsw = chokidarWatch(root, {
      ignoreInitial: true,
      usePolling: !!this.opts.usePolling,
      interval: 100,
      binaryInterval: 300,
      // Editors that save atomically (write a temporary file, rename it over the spec) are seen
      // as one `change` (chokidar's `atomic`). No awaitWriteFinish: the debounce already waits
      // for quiet, and a half-written file read by a rebuild is followed by another rebuild.
      ignored,
    });
    this.fsw.on('all', (event, file) => {
      if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
      if (!SPEC_FILE.test(file)) return;
      this.noteChange(toPosix(path.relative(root, file)), event);
    });
    this.fsw.on('error', (e) => this.opts.onEvent({ type: 'error', message: `file watcher: ${(e as Error).message}` }));
    await new Promise<void>((resolve) => this.fsw!.once('ready', () => resolve()));
    if (this.state !== 'idle') return; // stopped while starting
    this.opts.onEvent({ type: 'watching', root, polling: !!this.opts.usePolling });
    this.changed.add('(initial build)');
    this.kick();
  }

  private noteChange(file: string, event: 'add' | 'change' | 'unlink'): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.opts.onEvent({ type: 'change', file, event });
    this.changed.add(file);
    this.retries = 0;
    if (this.state === 'building') {
      if (!this.dirty) this.opts.onEvent({ type: 'queued', file });
      this.dirty = true;
      return;
    }
    this.schedule(this.debounceMs);
  }

  private schedule(ms: number): void {
    this.state = 'debouncing';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), ms);
  }

  private kick(): void {
    this.timer = undefined;
    if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'building') return;
    this.state = 'building';
    this.current = this.rebuild().then(
      (retryIn) => {
        this.current = undefined;
        if (this.state === 'stopping' || this.state === 'stopped') return;
        if (this.dirty) {
          this.dirty = false;
          this.schedule(this.debounceMs);
        } else if (retryIn !== undefined) this.schedule(retryIn);
        else this.state = 'idle';
      },
      (e: unknown) => {
        // rebuild() reports its own failures; this is a bug, but the watcher keeps going
        this.current = undefined;
        this.opts.onEvent({ type: 'error', message: `watcher: ${(e as Error).message}` });
        if (this.state === 'building') this.state = 'idle';
      },
    );
  }

  /** One rebuild; resolves to a delay when it should be retried (the database was busy). */
  private async rebuild(): Promise<number | undefined> {
    const trigger = [...this.changed].sort();
    this.changed.clear();
    const n = ++this.rebuilds;
    const t0 = performance.now();
    const abort = new AbortController();
    this.abort = abort;
    const end = (outcome: 'built' | 'invalid' | 'failed', fields: Partial<Extract<WatchEvent, { type: 'rebuild-end' }>> = {}): void => {
      const interrupted = abort.signal.aborted && outcome !== 'built';
      this.opts.onEvent({
        type: 'rebuild-end',
        n,
        outcome: interrupted ? 'interrupted' : outcome,
        ok: outcome === 'built',
        interrupted,
        ms: Math.round(performance.now() - t0),
        ran: [],
        cached: [],
        failed: [],
        upToDate: 0,
        summaries: {},
        ...fields,
      });
    };
    this.opts.onEvent({ type: 'rebuild-start', n, trigger });
    try {
      const loaded = await this.opts.load();
      if (!loaded.ok) {
        this.lastWarnings = '';
        this.opts.onEvent({ type: 'diagnostics', diagnostics: loaded.errors });
        end('invalid');
        return undefined;
      }
      const project = loaded.value;
      const warnings = JSON.stringify(project.warnings);
      if (project.warnings.length > 0 && warnings !== this.lastWarnings) this.opts.onEvent({ type: 'warnings', diagnostics: project.warnings });
      this.lastWarnings = warnings;
      if (abort.signal.aborted) {
        end('failed');
        return undefined;
      }
      const runBuild = this.opts.runBuild ?? defaultRunBuild;
      const result = await runBuild(project, {
        targets: this.opts.targets,
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === 'step-start') this.opts.onEvent({ type: 'step-start', id: e.id });
          else if (e.type === 'step-end') {
            const r = e.report;
            // steps skipped because stop() interrupted the build are summarized in rebuild-end
            if (r.status === 'up-to-date' || (r.status === 'skipped' && abort.signal.aborted)) return;
            this.opts.onEvent({ type: 'step', report: r });
          } else if (e.type === 'warning') this.opts.onEvent({ type: 'error', message: e.message });
        },
      });
      const ids = (status: StepReport['status']) => result.steps.filter((s) => s.status === status).map((s) => s.id);
      const persisted = result.steps.filter((s) => s.kind === 'persist' && s.status === 'ran').map((s) => s.id.slice('persist:'.length));
      let summaries: Record<string, string> = {};
      if (persisted.length > 0 && this.opts.summaries) {
        try {
          summaries = await this.opts.summaries(project, persisted);
        } catch (e) {
          this.opts.onEvent({ type: 'error', message: `could not read summaries: ${(e as Error).message}` });
        }
      }
      const failed = result.steps.filter((s) => s.status === 'failed');
      end(result.ok ? 'built' : 'failed', {
        ran: ids('ran'),
        cached: ids('cached'),
        failed: failed.map((s) => s.id),
        upToDate: ids('up-to-date').length,
        summaries,
        error: result.error,
        result,
      });
      const busy = failed.find((s) => DB_LOCKED.test(s.error ?? ''));
      if (busy && !abort.signal.aborted) return this.retry(busy.error!);
      this.retries = 0;
      return undefined;
    } catch (e) {
      const message = e instanceof ProjectLockedError ? e.message : `rebuild failed: ${(e as Error).message}`;
      end('failed', { error: message });
      if (e instanceof ProjectLockedError && !abort.signal.aborted) return this.retry(message);
      return undefined;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private retry(reason: string): number | undefined {
    const max = this.opts.maxRetries ?? 60;
    if (this.retries >= max) {
      this.opts.onEvent({ type: 'error', message: `gave up after ${max} attempts: ${reason}; save a file to try again` });
      this.retries = 0;
      return undefined;
    }
    this.retries++;
    const inMs = Math.min(5000, (this.opts.retryMs ?? 500) * 2 ** Math.min(this.retries - 1, 4));
    this.changed.add('(retry)');
    this.opts.onEvent({ type: 'retry', reason, inMs, attempt: this.retries });
    return inMs;
  }

  /** Stop watching; a running build finishes its current step (no half-written outputs). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopping';
      if (this.timer) clearTimeout(this.timer);
      this.abort?.abort();
      await this.fsw?.close();
      await this.current;
      this.state = 'stopped';
      this.opts.onEvent({ type: 'stopped', rebuilds: this.rebuilds });
    })();
    return this.stopping;
  }
}

const defaultRunBuild: RunBuild = (project, opts) =>
  build(project, plan(project), { targets: opts.targets, signal: opts.signal, onEvent: opts.onEvent, waitForLockMs: 0 });

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
