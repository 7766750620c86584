import { describe, expect, it } from 'vitest';
import { topoSort } from '../../src/pipeline/graph/topoSort.js';
import { selectTargets, type SelectableStep } from '../../src/pipeline/graph/selectTargets.js';

describe('topoSort', () => {
  it('orders dependencies first and breaks ties by name', () => {
    const deps: Record<string, string[]> = { c: ['a'], b: ['a'], a: [], d: ['b', 'c'] };
    expect(topoSort(Object.keys(deps), (n) => deps[n])).toEqual({ ok: true, order: ['a', 'b', 'c', 'd'] });
  });
  it('reports the members of a cycle', () => {
    const deps: Record<string, string[]> = { a: ['c'], b: ['a'], c: ['b'], d: [] };
    expect(topoSort(Object.keys(deps), (n) => deps[n])).toEqual({ ok: false, cycle: ['a', 'b', 'c'] });
  });
});

describe('selectTargets', () => {
  const steps: SelectableStep[] = [
    { id: 'generate:a', owner: 'a', deps: [] },
    { id: 'persist:a', owner: 'a', deps: ['generate:a'] },
    { id: 'generate:b', owner: 'b', deps: [] },
    { id: 'persist:b', owner: 'b', deps: ['generate:b'] },
    { id: 'merge:m', owner: 'm', deps: ['generate:a', 'generate:b'] },
    { id: 'persist:m', owner: 'm', deps: ['merge:m'] },
    { id: 'export:x', owner: 'x', deps: ['merge:m'] },
  ];
  const sel = (t: string[]) => [...selectTargets(steps, t).selected].sort();

  it('selects a dataset and what it needs', () => {
    expect(sel(['m'])).toEqual(['generate:a', 'generate:b', 'merge:m', 'persist:m']);
    expect(sel(['+m'])).toEqual(sel(['m']));
  });
  it('selects one step by id', () => {
    expect(sel(['export:x'])).toEqual(['export:x', 'generate:a', 'generate:b', 'merge:m']);
  });
  it('name+ adds everything downstream and what that needs', () => {
    expect(sel(['a+'])).toEqual(['export:x', 'generate:a', 'generate:b', 'merge:m', 'persist:a', 'persist:m']);
  });
  it('returns unknown targets', () => {
    expect(selectTargets(steps, ['nope', 'a']).unknown).toEqual(['nope']);
  });
});
