import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_TABLES, tableByName, type TableDef } from '../model/index.js';
import { closeGenerationWorkers, generateDataset, planBlocks } from './generateChunks.js';
import type { GenerateRequest } from '../generate/types.js';
import type * as storeApi from '../store/index.js';

type Store = typeof storeApi;
let storeModule: Promise<Store> | undefined;
/** DuckDB's native module is loaded on first use, so a no-op build never pays for it. */
function loadStore(): Promise<Store> {
  storeModule ??= import('../store/index.js');
  return storeModule;
}
import type { CacheFile, CacheManifest, LocalCache } from './cache.js';
import { FileStamps } from './fileStamps.js';
import type { BuildListener } from './events.js';
import type { LockStep } from './lockfile.js';
import type { Plan, PlannedStep } from './plan.js';
import { pathInside, type BuildPaths } from './paths.js';
import type { LoadedProject } from './project.js';
import { DEFAULT_BATCH_SIZE } from '../spec/profile-defaults.js';

export interface Freshness {
  state: 'fresh' | 'cached' | 'stale';
  reasons: string[];
  rows?: Record<string, number>;
  previousRows?: Record<string, number>;
}

interface Entry {
  dir: string;
  manifest: CacheManifest;
}

/** Facts a producer step (generate/merge/clone) records in its cache manifest. */
interface ProducerMeta {
  rows: Record<string, number>;
  tables: string[];
  extraColumns: string[];
  product: string[];
  conflicts?: number;
}

/** Performs each kind of step. One instance per build; holds the database handle. */
export class StepRunner {
  private db: storeApi.ProjectDb | undefined;
  private catalog: Map<string, storeApi.CatalogEntry> | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly exportOutputs = new Map<string, CacheFile[]>();
  /** how many generate steps this build runs (set once the plan is known) */
  generatesToRun = Infinity;
  private generatesDone = 0;
  private generatesBlocksDone = 0;

  constructor(
    private readonly project: LoadedProject,
    private readonly plan: Plan,
    private readonly paths: BuildPaths,
    private readonly cache: LocalCache,
    private readonly opts: { batchSize?: number; workers?: number; emit: BuildListener },
  ) {}

  private async database(): Promise<storeApi.ProjectDb> {
    if (!this.db) this.db = await (await loadStore()).openProjectDb(this.paths.dbFile);
    return this.db;
  }

  /**
   * Facts about the database recorded after the last build that wrote it: its size and mtime
   * and the catalog's keys and row counts. When the file is unchanged since, a no-op build can
   * trust them without loading DuckDB; any other change (another tool, a deleted file) falls
   * back to reading the catalog itself.
   */
  private get stateFile(): string {
    return path.join(this.paths.stateDir, 'db-state.json');
  }

  private stamps: FileStamps | undefined;

  /** Hashes of the exports' files, trusted while their size and mtime are unchanged (fileStamps.ts). */
  private async fileStamps(): Promise<FileStamps> {
    this.stamps ??= await FileStamps.load(path.join(this.paths.stateDir, 'file-stamps.json'));
    return this.stamps;
  }

  private async fileFingerprint(): Promise<string | undefined> {
    const parts: string[] = [];
    for (const f of [this.paths.dbFile, this.paths.dbFile + '.wal']) {
      try {
        const st = await stat(f);
        parts.push(`${st.size}:${st.mtimeMs}:${st.ino}`);
      } catch {
        parts.push('-');
      }
    }
    return parts[0] === '-' ? undefined : parts.join('|');
  }

  private async catalogFromState(): Promise<Map<string, storeApi.CatalogEntry> | undefined> {
    try {
      const state = JSON.parse(await readFile(this.stateFile, 'utf8')) as { file: string; entries: storeApi.CatalogEntry[] };
      const fp = await this.fileFingerprint();
      if (!fp || state.file !== fp) return undefined;
      return new Map(state.entries.map((e) => [e.name, e]));
    } catch {
      return undefined;
    }
  }

  private async catalogEntries(): Promise<Map<string, storeApi.CatalogEntry>> {
    if (!this.catalog) this.catalog = await this.catalogFromState();
    if (!this.catalog) {
      let exists = true;
      try {
        await stat(this.paths.dbFile);
      } catch {
        exists = false;
      }
      const list = exists ? await (await loadStore()).listDatasets(await this.database()) : [];
      this.catalog = new Map(list.map((d) => [d.name, d]));
    }
    return this.catalog;
  }

  async freshness(step: PlannedStep, old: LockStep | undefined, force: boolean): Promise<Freshness> {
    if (step.kind === 'persist') {
      const cat = (await this.catalogEntries()).get(step.owner);
      const previousRows = cat?.rowCounts;
      if (force) return { state: 'stale', reasons: ['--force'], previousRows };
      if (cat?.key === step.key) {
        // A dataset stored as views needs its Parquet files in this project's cache: a removed cache
        // loses them, and a moved or copied project's database still points at the old place.
        const files = cat.files ?? [];
        const outside = files.find((f) => pathInside(this.paths.cacheDir, f) === undefined);
        if (outside) return { state: 'stale', reasons: [`the database's views read ${outside}, outside this project's cache`], previousRows };
        const missing = await firstMissing(files);
        if (missing === undefined) return { state: 'fresh', reasons: [], rows: cat.rowCounts, previousRows };
        return { state: 'stale', reasons: [`the database's views read ${missing}, which is missing`], previousRows };
      }
      return { state: 'stale', reasons: [cat ? 'database holds an older version' : 'not in the database'], previousRows };
    }
    if (step.kind === 'export') {
      if (force) return { state: 'stale', reasons: ['--force'] };
      if (!old || old.key !== step.key || !old.outputs) return { state: 'stale', reasons: [] };
      const dir = this.exportDir(step);
      const stamps = await this.fileStamps();
      for (const f of old.outputs) {
        try {
          const full = path.join(dir, f.file);
          const st = await stat(full);
          if (st.size !== f.bytes || (await stamps.sha256(full, st)) !== f.sha256) {
            return { state: 'stale', reasons: [`${path.relative(this.project.root, path.join(dir, f.file))} differs from healthsim.lock`] };
          }
        } catch {
          return { state: 'stale', reasons: [`${path.relative(this.project.root, path.join(dir, f.file))} is missing`] };
        }
      }
      return { state: 'fresh', reasons: [], rows: Object.fromEntries(old.outputs.filter((f) => f.rows !== undefined).map((f) => [f.file, f.rows!])) };
    }
    if (force) return { state: 'stale', reasons: ['--force'] };
    const hit = await this.cache.lookup(step.key, { verifyHashes: false });
    if (hit.status === 'hit') return { state: 'cached', reasons: [], rows: (hit.manifest.meta as unknown as ProducerMeta).rows };
    if (hit.status === 'corrupt') return { state: 'stale', reasons: [`cache entry ${step.key.slice(0, 12)} is corrupt (${hit.reason})`] };
    return { state: 'stale', reasons: ['no cache entry'] };
  }

  private exportDir(step: PlannedStep): string {
    const ex = this.project.config.exports.find((e) => e.name === step.owner)!;
    return this.paths.exportDir(ex.path);
  }

  /** Runs a step. Returns ran=false when a producer's verified cache entry was reused. */
  async run(step: PlannedStep, f: Freshness, force: boolean): Promise<{ ran: boolean; rows?: Record<string, number>; freshness?: Freshness }> {
    switch (step.kind) {
      case 'generate':
      case 'merge':
      case 'clone': {
        if (!force) {
          const hit = await this.cache.lookup(step.key, { verifyHashes: true });
          if (hit.status === 'hit') {
            this.entries.set(step.id, hit);
            return { ran: false, rows: (hit.manifest.meta as unknown as ProducerMeta).rows };
          }
          if (hit.status === 'corrupt') {
            this.opts.emit({ type: 'warning', message: `${step.id}: cache entry ${step.key.slice(0, 12)} is corrupt (${hit.reason}); regenerating` });
            f = { state: 'stale', reasons: [`cache entry was corrupt (${hit.reason})`] };
          }
        }
        const entry = await this.cache.put(step.key, step.id, (tmp) => this.produce(step, tmp));
        this.entries.set(step.id, entry);
        return { ran: true, rows: (entry.manifest.meta as unknown as ProducerMeta).rows, freshness: f };
      }
      case 'persist':
        return { ran: true, rows: await this.persist(step) };
      case 'export':
        return { ran: true, rows: await this.export(step) };
    }
  }

  private async produce(step: PlannedStep, tmp: string): Promise<{ rows: Record<string, number>; meta: Record<string, unknown> }> {
    let meta: ProducerMeta;
    if (step.kind === 'generate') {
      const units = step.units!;
      const requests: GenerateRequest[] = units.map((u) => ({
        profile: u.profile,
        journey: u.journey,
        seed: u.seed,
        count: u.count,
        namespace: u.namespace,
        referenceDate: this.plan.referenceDate,
        skills: new Map([...this.project.skills.entries()].map(([id, s]) => [id, s.normalized])),
      }));
      const { datasetTables } = await import('../generate/engine.js');
      const tables: TableDef[] = [];
      for (const r of requests) for (const t of datasetTables(r)) if (!tables.includes(t)) tables.push(t);
      const sorted = ALL_TABLES.filter((t) => tables.includes(t));
      const batchSize = this.opts.batchSize ?? units[0]?.profile.generation.batch_size ?? DEFAULT_BATCH_SIZE;
      // The only dataset this build generates, and a single block: a worker would add nothing but
      // its start-up and a single-threaded DuckDB (measured ≈ 10 % slower than in process).
      const alone = this.generatesToRun === 1 && planBlocks(requests.map((r) => r.count)).length === 1;
      let rows: Record<string, number>;
      try {
        rows = await generateDataset(requests, sorted, tmp, {
          batchSize,
          workers: alone ? 1 : this.opts.workers ?? 1,
          onProgress: (progress) => this.opts.emit({ type: 'step-progress', id: step.id, progress }),
          // the build's last blocks are written: the idle workers' heaps (≈ 450 MiB for two) are
          // not needed while the combined files are finished, persisted and exported
          onBlocksDone: async () => {
            if (++this.generatesBlocksDone >= this.generatesToRun) await closeGenerationWorkers();
          },
        });
      } finally {
        // the same, after a failure too
        if (++this.generatesDone >= this.generatesToRun) await closeGenerationWorkers();
      }
      meta = { rows, tables: sorted.map((t) => t.name), extraColumns: [], product: [...new Set(units.flatMap((u) => u.profile.products))].sort() };
    } else if (step.kind === 'merge') {
      const sources = step.sources!.map((name) => this.sourceFiles(name));
      const res = await (await loadStore()).mergeDatasets(sources, tmp);
      meta = {
        rows: res.rows,
        tables: res.tables.map((t) => t.table),
        extraColumns: res.extraColumns,
        product: [...new Set(sources.flatMap((s) => s.product))].sort(),
        conflicts: res.totalConflicts,
      };
    } else {
      const source = this.sourceFiles(step.sources![0]);
      const res = await (await loadStore()).cloneDataset(source, tmp, step.fingerprint.namespace!);
      meta = { rows: res.rows, tables: res.tables.map((t) => t.table), extraColumns: res.extraColumns, product: source.product };
    }
    const fileRows = Object.fromEntries(Object.entries(meta.rows).map(([t, n]) => [`${t}.parquet`, n]));
    return { rows: fileRows, meta: meta as unknown as Record<string, unknown> };
  }

  /** The verified cache entry of a dataset's producer, as store input. */
  private sourceFiles(dataset: string): storeApi.DatasetFiles {
    const producer = this.project.config.datasets.find((d) => d.name === dataset)!;
    const id = `${producer.kind}:${dataset}`;
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`internal: ${id} has no verified cache entry`);
    const meta = entry.manifest.meta as unknown as ProducerMeta;
    return {
      name: dataset,
      product: meta.product,
      extraColumns: meta.extraColumns,
      tables: meta.tables.map((t) => ({ table: tableByName(t)!, file: path.join(entry.dir, `${t}.parquet`) })),
    };
  }

  private async persist(step: PlannedStep): Promise<Record<string, number>> {
    const files = this.sourceFiles(step.owner);
    const ds = this.project.config.datasets.find((d) => d.name === step.owner)!;
    const producer = this.plan.byId.get(step.input!)!;
    const db = await this.database();
    const res = await (await loadStore()).persistDataset(db, {
      name: step.owner,
      key: step.key,
      kind: ds.kind,
      tags: step.tags ?? [],
      files,
      spec: { dataset: ds, producerKey: producer.key, fingerprint: producer.fingerprint },
      seed: producer.fingerprint.seed,
      builtAt: this.plan.referenceDate,
      sources: ds.merge ?? (ds.clone ? [ds.clone] : []),
      description: ds.description,
      storage: this.project.config.storage === 'tables' ? 'table' : 'view',
    });
    this.catalog?.set(step.owner, res);
    return res.rowCounts;
  }

  private async export(step: PlannedStep): Promise<Record<string, number>> {
    const ex = this.project.config.exports.find((e) => e.name === step.owner)!;
    const files = this.sourceFiles(ex.dataset);
    const res = await (await loadStore()).exportDataset({
      source: files,
      format: ex.format,
      outDir: this.exportDir(step),
      tables: ex.tables,
      options: { referenceDate: this.plan.referenceDate },
    });
    this.exportOutputs.set(step.id, res.files.map((f) => ({ file: f.file, bytes: f.bytes, sha256: f.sha256, rows: f.rows })));
    return Object.fromEntries(res.files.map((f) => [f.file, f.rows]));
  }

  async lockEntry(step: PlannedStep, old: LockStep | undefined): Promise<LockStep> {
    const base: LockStep = { key: step.key, fingerprint: step.fingerprint };
    if (step.kind === 'persist') return base;
    if (step.kind === 'export') {
      const outputs = this.exportOutputs.get(step.id) ?? (old?.key === step.key ? old.outputs : undefined);
      const ex = this.project.config.exports.find((e) => e.name === step.owner)!;
      return { ...base, path: ex.path, ...(outputs ? { outputs } : {}) };
    }
    let entry = this.entries.get(step.id);
    if (!entry) {
      const hit = await this.cache.lookup(step.key, { verifyHashes: false });
      if (hit.status === 'hit') entry = hit;
    }
    const outputs = entry ? entry.manifest.files : old?.key === step.key ? old.outputs : undefined;
    return { ...base, ...(outputs ? { outputs } : {}) };
  }

  async close(): Promise<void> {
    await this.stamps?.save();
    if (!this.db) return;
    const store = await loadStore();
    // Re-read the whole catalog so the recorded state is complete, then close and record.
    let entries: storeApi.CatalogEntry[];
    try {
      entries = await store.listDatasets(this.db);
    } catch (err) {
      // e.g. DuckDB invalidated the database after a failed checkpoint: record nothing, so the
      // next build reads the catalog from the database itself
      await store.closeProjectDb(this.db).catch(() => undefined);
      this.db = undefined;
      await rm(this.stateFile, { force: true });
      throw err;
    }
    await store.closeProjectDb(this.db);
    this.db = undefined;
    const fp = await this.fileFingerprint();
    if (fp) {
      await mkdir(this.paths.stateDir, { recursive: true });
      const tmp = `${this.stateFile}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify({ file: fp, entries }));
      await rename(tmp, this.stateFile);
    }
  }
}

/** The first of `files` that does not exist, if any. */
async function firstMissing(files: readonly string[]): Promise<string | undefined> {
  for (const f of files) {
    try {
      await stat(f);
    } catch {
      return f;
    }
  }
  return undefined;
}
