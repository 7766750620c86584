import { describe, expect, it } from 'vitest';
import { runTasks, type Task } from '../../src/pipeline/executor.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runTasks', () => {
  it('respects dependencies and the job limit', async () => {
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const mk = (id: string, deps: string[] = []): Task => ({
      id,
      deps,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(20);
        order.push(id);
        running--;
      },
    });
    const out = await runTasks([mk('a'), mk('b'), mk('c'), mk('d', ['a', 'b', 'c'])], { jobs: 2, keepGoing: false });
    expect(peak).toBe(2);
    expect(order[3]).toBe('d');
    expect([...out.values()].every((o) => o.status === 'ok')).toBe(true);
  });

  it('skips dependents of a failure and stops without keepGoing', async () => {
    const ran: string[] = [];
    const tasks: Task[] = [
      { id: 'a', deps: [], run: async () => { throw new Error('boom'); } },
      { id: 'b', deps: ['a'], run: async () => void ran.push('b') },
      { id: 'c', deps: [], run: async () => void ran.push('c') },
    ];
    const out = await runTasks(tasks, { jobs: 1, keepGoing: false });
    expect(out.get('a')?.status).toBe('failed');
    expect(out.get('b')).toEqual({ status: 'skipped', because: 'a' });
    expect(out.get('c')?.status).toBe('skipped');
    expect(ran).toEqual([]);
  });

  it('keeps going with independent tasks when asked', async () => {
    const ran: string[] = [];
    const tasks: Task[] = [
      { id: 'a', deps: [], run: async () => { throw new Error('boom'); } },
      { id: 'b', deps: ['a'], run: async () => void ran.push('b') },
      { id: 'c', deps: [], run: async () => void ran.push('c') },
    ];
    const out = await runTasks(tasks, { jobs: 1, keepGoing: true });
    expect(out.get('c')).toEqual({ status: 'ok' });
    expect(out.get('b')).toEqual({ status: 'skipped', because: 'a' });
    expect(ran).toEqual(['c']);
  });
});
