import type { NormalizedConfig, NormalizedJourney, NormalizedProfile } from '../spec/types.js';
import { canonicalJson } from '../spec/canonical.js';
import { sha256, stepKey, type StepFingerprint } from './fingerprint.js';
import { topoSort } from './graph/topoSort.js';
import { ENGINE_VERSION, referenceDataVersion } from './versions.js';
import { blockEntities, planBlocks } from './generateChunks.js';

/** What the planner needs from a loaded project (see project.ts). */
export interface PlannableProject {
  root: string;
  config: NormalizedConfig;
  profiles: ReadonlyMap<string, { normalized: NormalizedProfile }>;
  journeys: ReadonlyMap<string, { normalized: NormalizedJourney }>;
  skills: ReadonlyMap<string, { normalized: unknown }>;
}

export type StepKind = 'generate' | 'persist' | 'merge' | 'clone' | 'export';

export interface GenerateUnit {
  profilePath: string;
  profile: NormalizedProfile;
  journeyPath?: string;
  journey?: NormalizedJourney;
  seed: number;
  count: number;
  namespace: string;
}

export interface PlannedStep {
  id: string; // `${kind}:${name}`
  kind: StepKind;
  /** dataset or export name */
  owner: string;
  deps: string[];
  key: string;
  fingerprint: StepFingerprint;
  /** generate: one unit per profile, appended in order */
  units?: GenerateUnit[];
  /** merge: source dataset names; clone: [source] */
  sources?: string[];
  /** persist / export: the step whose files it reads */
  input?: string;
  tags?: string[];
}

export interface Plan {
  steps: PlannedStep[]; // topological order
  byId: Map<string, PlannedStep>;
  referenceDate: string;
}

/** The step that produces a dataset's tables. */
export function producerOf(config: NormalizedConfig, dataset: string): string {
  const ds = config.datasets.find((d) => d.name === dataset);
  if (!ds) throw new Error(`unknown dataset ${dataset}`);
  return `${ds.kind}:${dataset}`;
}

function blankFingerprint(kind: StepKind): StepFingerprint {
  return {
    kind,
    // a generate step's bytes also depend on where its blocks break (generateChunks.ts)
    engineVersion: kind === 'generate' ? `${ENGINE_VERSION}+blocks-${blockEntities()}` : ENGINE_VERSION,
    referenceDataVersion: referenceDataVersion(),
    profile: null,
    journey: null,
    skills: null,
    seed: null,
    count: null,
    namespace: null,
    referenceDate: null,
    datasetName: null,
    tags: null,
    format: null,
    tables: null,
    inputs: {},
  };
}

/**
 * Config → DAG of steps with keys. Keys are computed in topological order because a step's
 * key includes its inputs' keys. Validation has already rejected unknown names and cycles.
 */
export function plan(project: PlannableProject): Plan {
  const { config } = project;
  // Skills are hashed with their key order kept: the engine reads severity levels best to worst
  // and walks weighted entries in file order, so reordering them changes output.
  const skillsHash = sha256(
    JSON.stringify([...project.skills.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, s]) => [id, s.normalized])),
  );
  const draft = new Map<string, Omit<PlannedStep, 'key'>>();

  for (const ds of config.datasets) {
    const producer = `${ds.kind}:${ds.name}`;
    if (ds.kind === 'generate') {
      const units: GenerateUnit[] = ds.profiles.map((p) => {
        const profile = project.profiles.get(p)!.normalized;
        const journey = ds.journey ? project.journeys.get(ds.journey)!.normalized : undefined;
        return {
          profilePath: p,
          profile,
          journeyPath: ds.journey,
          journey,
          seed: ds.seed ?? profile.generation.seed ?? config.seed,
          count: ds.profiles.length === 1 ? (ds.count ?? profile.generation.count) : profile.generation.count,
          namespace: ds.profiles.length === 1 ? (ds.namespace ?? profile.id) : profile.id,
        };
      });
      const fp = blankFingerprint('generate');
      // batch_size only changes memory use, never output: it is not part of the key.
      fp.profile = sha256(canonicalJson(units.map((u) => ({ ...u.profile, generation: { ...u.profile.generation, batch_size: null } }))));
      fp.journey = units[0]?.journey ? sha256(canonicalJson(units[0].journey)) : null;
      fp.skills = skillsHash;
      fp.seed = units.length === 1 ? units[0].seed : null;
      fp.count = units.reduce((n, u) => n + u.count, 0);
      fp.namespace = units.map((u) => `${u.namespace}@${u.seed}x${u.count}`).join(',');
      fp.referenceDate = config.reference_date;
      // a dataset of several blocks is their row groups laid end to end (store/parquetConcat.ts);
      // its files were re-encoded by DuckDB before, so the key says which
      if (planBlocks(units.map((u) => u.count)).length > 1) fp.engineVersion += '+rowgroup-concat';
      draft.set(producer, { id: producer, kind: 'generate', owner: ds.name, deps: [], fingerprint: fp, units });
    } else if (ds.kind === 'merge') {
      const sources = ds.merge ?? [];
      const fp = blankFingerprint('merge');
      draft.set(producer, {
        id: producer,
        kind: 'merge',
        owner: ds.name,
        deps: sources.map((s) => producerOf(config, s)),
        fingerprint: fp,
        sources,
      });
    } else {
      const fp = blankFingerprint('clone');
      fp.namespace = ds.namespace ?? ds.name;
      draft.set(producer, {
        id: producer,
        kind: 'clone',
        owner: ds.name,
        deps: [producerOf(config, ds.clone!)],
        fingerprint: fp,
        sources: [ds.clone!],
      });
    }
    const pfp = blankFingerprint('persist');
    pfp.datasetName = ds.name;
    pfp.tags = [...ds.tags].sort();
    pfp.referenceDate = config.reference_date;
    // views or tables: switching re-runs the persist (no other field of a persist step fits)
    pfp.format = config.storage;
    draft.set(`persist:${ds.name}`, {
      id: `persist:${ds.name}`,
      kind: 'persist',
      owner: ds.name,
      deps: [producer],
      fingerprint: pfp,
      input: producer,
      tags: ds.tags,
    });
  }
  for (const ex of config.exports) {
    const producer = producerOf(config, ex.dataset);
    const fp = blankFingerprint('export');
    fp.format = ex.format;
    fp.tables = ex.tables ? [...ex.tables].sort() : null;
    fp.referenceDate = config.reference_date;
    draft.set(`export:${ex.name}`, {
      id: `export:${ex.name}`,
      kind: 'export',
      owner: ex.name,
      deps: [producer],
      fingerprint: fp,
      input: producer,
    });
  }

  const ids = [...draft.keys()].sort();
  const sorted = topoSort(ids, (id) => draft.get(id)!.deps);
  if (!sorted.ok) throw new Error(`internal: step graph has a cycle through ${sorted.cycle.join(', ')}`);
  const steps: PlannedStep[] = [];
  const byId = new Map<string, PlannedStep>();
  for (const id of sorted.order) {
    const d = draft.get(id)!;
    const inputs: Record<string, string> = {};
    for (const dep of [...d.deps].sort()) inputs[dep] = byId.get(dep)!.key;
    const fingerprint = { ...d.fingerprint, inputs };
    const step: PlannedStep = { ...d, fingerprint, key: stepKey(fingerprint) };
    steps.push(step);
    byId.set(id, step);
  }
  return { steps, byId, referenceDate: config.reference_date };
}
