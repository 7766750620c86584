import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/cli/render/table.js';

describe('formatCount', () => {
  it('groups digits as en-US does, for every integer size and sign', () => {
    const values = [0, 7, -7, 12, 999, 1_000, -1_000, 2_500, 99_999, 100_000, 843_127_896, -1_234_567, 2 ** 53 - 1, -(2 ** 53 - 1)];
    for (let k = 1; k < 1e15; k = k * 10 + 3) values.push(k, -k);
    for (const n of values) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    expect(formatCount(2_500)).toBe('2,500');
    expect(formatCount(-1_234_567)).toBe('-1,234,567');
  });

  it('leaves what is not a safe integer to toLocaleString', () => {
    for (const n of [1.5, 1234.5678, 2 ** 60, Number.NaN]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});
