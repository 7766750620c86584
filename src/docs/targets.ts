/**
 * The condition prevalences a dataset's profiles ask for, to plot beside what the data holds.
 * A generated dataset takes its profile's primary condition and comorbidities; several profiles
 * (`profiles: [a, b]`) are weighted by their counts; a clone has its source's targets; a merge
 * weights its sources' targets by their planned sizes (a condition a source does not name
 * counts as 0 there).
 */
import type { NormalizedConfig, NormalizedProfile } from '../spec/types.js';

export interface ConditionTarget {
  code: string;
  description?: string;
  prevalence: number;
}

export interface DatasetTargets {
  /** entities the plan generates for this dataset (before any merge conflicts) */
  population: number;
  targets: ConditionTarget[];
  /** how the targets were derived, for the page */
  basis: string;
}

interface ProfileSource {
  profiles: ReadonlyMap<string, { normalized: NormalizedProfile }>;
  config: NormalizedConfig;
}

function profileTargets(p: NormalizedProfile): ConditionTarget[] {
  const out: ConditionTarget[] = [];
  const c = p.clinical;
  if (c.primary_condition) out.push({ code: c.primary_condition.code, description: c.primary_condition.description, prevalence: c.primary_condition.prevalence });
  for (const m of c.comorbidities) out.push({ code: m.code, description: m.description, prevalence: m.prevalence });
  return out;
}

/** Weighted mean of several target lists (weights: population sizes). */
function combine(parts: readonly { population: number; targets: readonly ConditionTarget[] }[]): ConditionTarget[] {
  const total = parts.reduce((s, p) => s + p.population, 0);
  const byCode = new Map<string, ConditionTarget>();
  for (const part of parts) {
    for (const t of part.targets) {
      const cur = byCode.get(t.code) ?? { code: t.code, description: t.description, prevalence: 0 };
      cur.prevalence += total === 0 ? 0 : (t.prevalence * part.population) / total;
      cur.description ??= t.description;
      byCode.set(t.code, cur);
    }
  }
  return [...byCode.values()]
    .map((t) => ({ ...t, prevalence: Math.round(t.prevalence * 10000) / 10000 }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function targetsFor(project: ProfileSource, dataset: string, seen: ReadonlySet<string> = new Set()): DatasetTargets {
  const ds = project.config.datasets.find((d) => d.name === dataset);
  if (!ds || seen.has(dataset)) return { population: 0, targets: [], basis: 'not in the config' };
  const inner = new Set([...seen, dataset]);
  if (ds.kind === 'generate') {
    const units = ds.profiles.map((file) => {
      const p = project.profiles.get(file)!.normalized;
      const population = ds.profiles.length === 1 ? (ds.count ?? p.generation.count) : p.generation.count;
      return { file, population, targets: profileTargets(p) };
    });
    return {
      population: units.reduce((s, u) => s + u.population, 0),
      targets: combine(units),
      basis: units.length === 1 ? `profile ${units[0]!.file}` : `profiles ${units.map((u) => `${u.file} (${u.population})`).join(', ')}, weighted by count`,
    };
  }
  if (ds.kind === 'clone') {
    const src = targetsFor(project, ds.clone!, inner);
    return { ...src, basis: `cloned from ${ds.clone}: ${src.basis}` };
  }
  const sources = (ds.merge ?? []).map((name) => ({ name, ...targetsFor(project, name, inner) }));
  return {
    population: sources.reduce((s, x) => s + x.population, 0),
    targets: combine(sources),
    basis: `merge of ${sources.map((s) => `${s.name} (${s.population})`).join(', ')}, each source's targets weighted by its size`,
  };
}
