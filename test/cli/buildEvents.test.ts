import { describe, expect, it } from 'vitest';
import { PROGRESS_EVERY_MS, plainListener, progressText } from '../../src/cli/render/buildEvents.js';
import type { BlockProgress } from '../../src/pipeline/generateChunks.js';
import type { BuildEvent } from '../../src/pipeline/events.js';

const progress = (blocksDone: number, blocks: number, entitiesDone: number, entities: number, rows: number): BlockProgress => ({ blocksDone, blocks, entitiesDone, entities, rows });

describe('progressText', () => {
  it('gives the share done, the counts, the average rate and the time left at that rate', () => {
    expect(progressText(progress(1640, 4000, 4_100_000, 10_000_000, 345_871_011), 4_100_000 / 1_260)).toBe(
      ' 41%  4,100,000 of 10,000,000 entities, 345,871,011 rows, 3,254 entities/s, about 30 min 13 s left',
    );
    expect(progressText(progress(1, 4, 2_500, 10_000, 210_000), 1_250)).toBe(' 25%  2,500 of 10,000 entities, 210,000 rows, 1,250 entities/s, about 6 s left');
    expect(progressText(progress(399, 400, 997_500, 1_000_000, 84_000_000), 997_500 / 300)).toBe(' 99%  997,500 of 1,000,000 entities, 84,000,000 rows, 3,325 entities/s, about 1 s left');
    expect(progressText(progress(10, 4000, 25_000, 10_000_000, 2_100_000), 2_500)).toBe('  0%  25,000 of 10,000,000 entities, 2,100,000 rows, 2,500 entities/s, about 1 h 06 min left');
  });

  it('leaves out the rate before any time has passed, and the time left once everything is done', () => {
    expect(progressText(progress(1, 2, 5, 10, 50), undefined)).toBe(' 50%  5 of 10 entities, 50 rows');
    expect(progressText(progress(2, 2, 10, 10, 100), 2.5)).toBe('100%  10 of 10 entities, 100 rows, 3 entities/s');
  });

  it('counts blocks when the dataset has no entities (shared rows only)', () => {
    expect(progressText(progress(1, 1, 0, 0, 40), 0)).toBe('100%  0 of 0 entities, 40 rows');
  });
});

describe('plainListener progress lines', () => {
  function harness() {
    const out: string[] = [];
    let now = 0;
    const listen = plainListener({ out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`), isTTY: false, cwd: '/' }, { now: () => now });
    return { out, listen, at: (ms: number) => (now = ms) };
  }
  const step = (id: string, p: BlockProgress): BuildEvent => ({ type: 'step-progress', id, progress: p });

  it('prints nothing for a step shorter than the interval: a short build looks as before', () => {
    const h = harness();
    h.listen({ type: 'step-start', id: 'generate:a' });
    for (let k = 1; k <= 3; k++) {
      h.at(k * 1000);
      h.listen(step('generate:a', progress(k, 4, k * 10, 40, k * 100)));
    }
    expect(h.out).toEqual([]);
  });

  it('prints a running step\'s progress once it has run for the interval, then at most once an interval', () => {
    const h = harness();
    h.listen({ type: 'step-start', id: 'generate:big' });
    const times = [4_000, 9_999, 10_000, 15_000, 19_999, 20_000, 20_001, 31_000];
    times.forEach((t, k) => {
      h.at(t);
      h.listen(step('generate:big', progress(k + 1, 100, (k + 1) * 1000, 100_000, (k + 1) * 84_000)));
    });
    expect(h.out).toEqual([
      // the rate counts from the first block (at 4 s): 2,000 entities in 6 s, 5,000 in 16 s, 7,000 in 27 s
      'progress   generate:big    3%  3,000 of 100,000 entities, 252,000 rows, 333 entities/s, about 4 min 51 s left',
      'progress   generate:big    6%  6,000 of 100,000 entities, 504,000 rows, 313 entities/s, about 5 min 01 s left',
      'progress   generate:big    8%  8,000 of 100,000 entities, 672,000 rows, 259 entities/s, about 5 min 55 s left',
    ]);
  });

  it("a step that waited for another dataset's workers gets the rate of its own blocks, not of the wait", () => {
    const h = harness();
    h.listen({ type: 'step-start', id: 'generate:second' });
    // no worker was free for 60 s; then two workers write two blocks of 2,500 every 2.5 s: 2,000 entities/s
    const times = [60_000, 61_000, 62_500, 63_500, 65_000, 66_000, 67_500, 68_500, 70_000, 71_000];
    times.forEach((t, k) => {
      h.at(t);
      h.listen(step('generate:second', progress(k + 1, 100, (k + 1) * 2_500, 250_000, (k + 1) * 210_000)));
    });
    expect(h.out).toEqual([
      // the first block alone says nothing about the rate (a step-wide average would say 42 entities/s, 98 min left)
      'progress   generate:second    1%  2,500 of 250,000 entities, 210,000 rows',
      'progress   generate:second    9%  22,500 of 250,000 entities, 1,890,000 rows, 2,000 entities/s, about 1 min 54 s left',
    ]);
  });

  it('prints no progress for the last block (the step\'s own line follows), and forgets a finished step', () => {
    const h = harness();
    h.listen({ type: 'step-start', id: 'generate:a' });
    h.at(50_000);
    h.listen(step('generate:a', progress(2, 2, 10, 10, 100)));
    expect(h.out).toEqual([]);
    h.listen({ type: 'step-end', report: { id: 'generate:a', kind: 'generate', status: 'ran', key: 'k', reasons: [], rows: { 'patients.parquet': 10 }, ms: 50_000 } });
    expect(h.out).toEqual(['ran        generate:a  (patients 10)  50.00 s']);
    // a second build of the same step in this process starts its clock again
    h.listen({ type: 'step-start', id: 'generate:a' });
    h.at(55_000);
    h.listen(step('generate:a', progress(1, 2, 5, 10, 50)));
    expect(h.out).toHaveLength(1);
  });
});
