/**
 * Kahn's algorithm with a sorted ready set, so the order is stable for the same graph.
 * Returns the cycle members when the graph is not a DAG.
 */
export function topoSort(
  nodes: readonly string[],
  depsOf: (node: string) => readonly string[],
): { ok: true; order: string[] } | { ok: false; cycle: string[] } {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    indegree.set(n, 0);
    dependents.set(n, []);
  }
  for (const n of nodes) {
    for (const d of depsOf(n)) {
      if (!indegree.has(d)) continue;
      indegree.set(n, (indegree.get(n) ?? 0) + 1);
      dependents.get(d)!.push(n);
    }
  }
  const ready = nodes.filter((n) => indegree.get(n) === 0).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const n = ready.shift()!;
    order.push(n);
    for (const m of dependents.get(n)!) {
      const left = indegree.get(m)! - 1;
      indegree.set(m, left);
      if (left === 0) {
        ready.push(m);
        ready.sort();
      }
    }
  }
  if (order.length === nodes.length) return { ok: true, order };
  return { ok: false, cycle: nodes.filter((n) => (indegree.get(n) ?? 0) > 0).sort() };
}
