import { describe, expect, it } from 'vitest';
import { blockFileName, planBlocks } from '../../src/pipeline/generateChunks.js';
import { shardBlocks } from '../../src/pipeline/shard.js';

describe('planBlocks', () => {
  it('cuts each unit into blocks of the block size, the last one shorter, shared rows in each unit\'s first', () => {
    expect(planBlocks([25], 10)).toEqual([
      { unit: 0, index: 0, start: 0, end: 10, includeShared: true },
      { unit: 0, index: 1, start: 10, end: 20, includeShared: false },
      { unit: 0, index: 2, start: 20, end: 25, includeShared: false },
    ]);
  });
  it('covers every index of every unit once; an empty unit keeps one block for its shared rows', () => {
    const blocks = planBlocks([5, 0, 30], 10);
    expect(blocks.map((b) => [b.unit, b.start, b.end, b.includeShared])).toEqual([
      [0, 0, 5, true], [1, 0, 0, true], [2, 0, 10, true], [2, 10, 20, false], [2, 20, 30, false],
    ]);
  });
  it('does not depend on anything but the counts and the block size', () => {
    expect(planBlocks([100_000], 10_000)).toHaveLength(10);
    expect(planBlocks([100_001], 10_000)).toHaveLength(11);
  });
  it('names block files so that they sort in block order', () => {
    const names = planBlocks([35, 12], 10).map(blockFileName);
    expect([...names].sort()).toEqual(names);
    expect(names[0]).toBe('u0000-b000000.parquet');
  });
});

describe('shardBlocks', () => {
  it('gives each of N shards a contiguous run of blocks; together they are every block once', () => {
    const blocks = planBlocks([95], 10);
    const shares = [0, 1, 2, 3].map((k) => shardBlocks(blocks, { index: k, count: 4 }));
    expect(shares.map((s) => s.length)).toEqual([2, 3, 2, 3]);
    expect(shares.flat()).toEqual(blocks);
  });
  it('leaves shards idle when a dataset has fewer blocks than shards', () => {
    const blocks = planBlocks([7], 10);
    expect([0, 1, 2].map((k) => shardBlocks(blocks, { index: k, count: 3 }).length)).toEqual([0, 0, 1]);
  });
});
