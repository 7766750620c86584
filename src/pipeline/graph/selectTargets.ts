/**
 * dbt-like target selection over a DAG of step ids.
 *   name        → the steps of dataset/export `name` and everything they need
 *   +name       → same as `name` (ancestors are always included so the target can build)
 *   name+       → `name`, what it needs, and everything downstream of it
 *   kind:name   → one step (`export:training-csv`, `generate:diabetes-cohort`) and what it needs
 * Unknown targets are returned so the CLI can report them.
 */
export interface SelectableStep {
  id: string;
  /** dataset or export name this step belongs to */
  owner: string;
  deps: readonly string[];
}

export function selectTargets(
  steps: readonly SelectableStep[],
  targets: readonly string[],
): { selected: Set<string>; unknown: string[] } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const dependents = new Map<string, string[]>();
  for (const s of steps) for (const d of s.deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(s.id);
  const selected = new Set<string>();
  const unknown: string[] = [];

  const addWithAncestors = (id: string): void => {
    if (selected.has(id)) return;
    selected.add(id);
    for (const d of byId.get(id)?.deps ?? []) addWithAncestors(d);
  };
  const descendants = (id: string, into: Set<string>): void => {
    for (const m of dependents.get(id) ?? []) {
      if (!into.has(m)) {
        into.add(m);
        descendants(m, into);
      }
    }
  };

  for (const raw of targets) {
    let t = raw;
    const downstream = t.endsWith('+');
    if (downstream) t = t.slice(0, -1);
    if (t.startsWith('+')) t = t.slice(1);
    const roots = byId.has(t) ? [t] : steps.filter((s) => s.owner === t).map((s) => s.id);
    if (roots.length === 0) {
      unknown.push(raw);
      continue;
    }
    for (const r of roots) {
      addWithAncestors(r);
      if (downstream) {
        const down = new Set<string>();
        descendants(r, down);
        for (const d of down) addWithAncestors(d);
      }
    }
  }
  return { selected, unknown };
}
