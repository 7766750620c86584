/**
 * Runs a set of async tasks respecting dependencies, at most `jobs` at a time. A failed task
 * marks its dependents as skipped; with keepGoing=false no new task starts after a failure.
 */
export interface Task {
  id: string;
  deps: readonly string[];
  run: () => Promise<void>;
}

export type TaskOutcome = { status: 'ok' } | { status: 'failed'; error: unknown } | { status: 'skipped'; because: string };

export async function runTasks(
  tasks: readonly Task[],
  opts: { jobs: number; keepGoing: boolean; signal?: AbortSignal },
): Promise<Map<string, TaskOutcome>> {
  const outcomes = new Map<string, TaskOutcome>();
  const pending = new Map(tasks.map((t) => [t.id, t]));
  const running = new Map<string, Promise<void>>();
  let stop = false;

  const failedDep = (t: Task): string | undefined =>
    t.deps.find((d) => {
      const o = outcomes.get(d);
      return o !== undefined && o.status !== 'ok';
    });
  const depsDone = (t: Task): boolean => t.deps.every((d) => !pending.has(d) && !running.has(d));

  while (pending.size > 0 || running.size > 0) {
    if (opts.signal?.aborted) stop = true;
    // skip tasks whose dependencies failed
    for (const t of [...pending.values()]) {
      const bad = failedDep(t);
      if (bad !== undefined) {
        outcomes.set(t.id, { status: 'skipped', because: bad });
        pending.delete(t.id);
      }
    }
    if (!stop) {
      for (const t of [...pending.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        if (running.size >= Math.max(1, opts.jobs)) break;
        if (!depsDone(t)) continue;
        pending.delete(t.id);
        const p = t
          .run()
          .then(
            () => void outcomes.set(t.id, { status: 'ok' }),
            (error: unknown) => {
              outcomes.set(t.id, { status: 'failed', error });
              if (!opts.keepGoing) stop = true;
            },
          )
          .finally(() => running.delete(t.id));
        running.set(t.id, p);
      }
    }
    if (running.size === 0) {
      // nothing can run: stopped, or remaining tasks wait on something that will never finish
      for (const t of pending.values()) outcomes.set(t.id, { status: 'skipped', because: stop ? 'build stopped after a failure' : 'unresolved dependency' });
      pending.clear();
      break;
    }
    await Promise.race(running.values());
  }
  return outcomes;
}
