/**
 * Sampling spec `Distribution`s and weight tables from a stream. Every kind applies its optional
 * min/max clamp after drawing. log_normal takes the mean and standard deviation of the value
 * itself (not of its logarithm), which is how profiles state them.
 */
import { cumulativeIndex } from '../reference/names.js';
import type { Distribution, Weights } from '../spec/types.js';
import type { Rng } from './rng.js';

const clamp = (x: number, min?: number, max?: number): number => {
  if (min !== undefined && x < min) return min;
  if (max !== undefined && x > max) return max;
  return x;
};

/** Draw one number. categorical returns the numeric value of the chosen key (NaN if not numeric). */
export function sample(dist: Distribution, rng: Rng): number {
  switch (dist.type) {
    case 'constant':
      return dist.value;
    case 'normal':
      return clamp(rng.normal(dist.mean, dist.std_dev), dist.min, dist.max);
    case 'log_normal': {
      const m = dist.mean;
      const v = dist.std_dev * dist.std_dev;
      if (m <= 0) return clamp(0, dist.min, dist.max);
      const sigma2 = Math.log(1 + v / (m * m));
      const mu = Math.log(m) - sigma2 / 2;
      return clamp(Math.exp(rng.normal(mu, Math.sqrt(sigma2))), dist.min, dist.max);
    }
    case 'uniform':
      return dist.min + rng.next() * (dist.max - dist.min);
    case 'poisson':
      return clamp(poisson(dist.mean, rng), dist.min, dist.max);
    case 'categorical':
      return Number(pickWeighted(dist.weights, rng));
    default:
      return unreachable(dist);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown distribution ${JSON.stringify(x)}`);
}

/** The distribution of `factor` × a draw (the same object when factor is 1). Bounds scale too. */
export function scaled(dist: Distribution, factor: number): Distribution {
  if (factor === 1) return dist;
  const b = (x: number | undefined) => (x === undefined ? {} : { x: x * factor });
  const bounds = (d: { min?: number; max?: number }) => ({ ...(d.min !== undefined ? { min: b(d.min).x } : {}), ...(d.max !== undefined ? { max: b(d.max).x } : {}) });
  switch (dist.type) {
    case 'constant':
      return { type: 'constant', value: dist.value * factor };
    case 'normal':
    case 'log_normal':
      return { type: dist.type, mean: dist.mean * factor, std_dev: dist.std_dev * factor, ...bounds(dist) };
    case 'uniform':
      return { type: 'uniform', min: dist.min * factor, max: dist.max * factor };
    case 'poisson':
      return { type: 'poisson', mean: dist.mean * factor, ...bounds(dist) };
    case 'categorical':
      return dist;
    default:
      return unreachable(dist);
  }
}

/** Knuth for small means, a rounded normal approximation above 30. */
export function poisson(mean: number, rng: Rng): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > l);
  return k - 1;
}

/** A key of a weight table, with probability proportional to its weight (key order as given). */
export function pickWeighted(weights: Weights, rng: Rng): string {
  const keys = Object.keys(weights);
  let total = 0;
  for (const k of keys) total += Math.max(0, weights[k]);
  let u = rng.next() * total;
  for (const k of keys) {
    u -= Math.max(0, weights[k]);
    if (u < 0) return k;
  }
  return keys[keys.length - 1];
}

/** Same as pickWeighted over an array with a weight accessor. */
export function pickByWeight<T>(items: readonly T[], weight: (x: T) => number, rng: Rng): T {
  let total = 0;
  for (const x of items) total += Math.max(0, weight(x));
  let u = rng.next() * total;
  for (const x of items) {
    u -= Math.max(0, weight(x));
    if (u < 0) return x;
  }
  return items[items.length - 1];
}

/** Cumulative weights for repeated O(log n) picks. */
export interface CumulativeTable<T> {
  items: readonly T[];
  cumulative: Float64Array;
}

export function cumulativeTable<T>(items: readonly T[], weight: (x: T) => number): CumulativeTable<T> {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((x, k) => {
    total += Math.max(0, weight(x));
    cumulative[k] = total;
  });
  return { items, cumulative };
}

export function pickCumulative<T>(table: CumulativeTable<T>, rng: Rng): T {
  return table.items[cumulativeIndex(table.cumulative, rng.next())];
}

/** Round to n decimals (half away from zero on the decimal representation). */
export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
