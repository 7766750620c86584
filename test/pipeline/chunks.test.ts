import { describe, expect, it } from 'vitest';
import { planChunks } from '../../src/pipeline/generateChunks.js';

describe('planChunks', () => {
  it('cuts each unit into contiguous ranges, shared rows in the first', () => {
    expect(planChunks([10], 3, 1)).toEqual([
      { unit: 0, start: 0, end: 3, includeShared: true },
      { unit: 0, start: 3, end: 6, includeShared: false },
      { unit: 0, start: 6, end: 10, includeShared: false },
    ]);
  });
  it('never makes chunks smaller than minSize and covers every index once', () => {
    const chunks = planChunks([5, 100], 4, 30);
    expect(chunks.filter((c) => c.unit === 0)).toEqual([{ unit: 0, start: 0, end: 5, includeShared: true }]);
    const u1 = chunks.filter((c) => c.unit === 1);
    expect(u1).toHaveLength(3);
    expect(u1.map((c) => [c.start, c.end])).toEqual([[0, 33], [33, 66], [66, 100]]);
  });
});
