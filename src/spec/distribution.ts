/** Distributions and weights: normalization (bare number → constant) and semantic checks. */
import type { Distribution, Weights } from './types.js';
import type { DiagnosticSink, SpecPath } from './yaml.js';

type RawDistribution = number | Record<string, unknown>;

export interface DistributionRules {
  /** allowed value range, e.g. [0, 120] for age */
  range?: [number, number];
  /** clamps added when the spec gives none (normal, log_normal, poisson) */
  defaultClamp?: [number, number];
}

const fmt = (n: number) => String(n);

/** Weights must sum to 1 within 0.01 (negatives are rejected by the schema). */
export function checkWeights(sink: DiagnosticSink, path: SpecPath, w: Record<string, number>): Weights {
  const sum = Object.values(w).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 0.01) {
    sink.error(path, 'spec.weights', `weights sum to ${fmt(Math.round(sum * 10000) / 10000)}; they must sum to 1`, {
      hint: 'weights are fractions of the population, e.g. 0.48 and 0.52',
    });
  }
  return sortedRecord(w);
}

export function sortedRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

function inRange(sink: DiagnosticSink, path: SpecPath, key: string, v: number | undefined, range?: [number, number]): void {
  if (v === undefined || !range) return;
  if (v < range[0] || v > range[1]) {
    sink.error([...path, key], 'spec.range', `must be between ${range[0]} and ${range[1]} (got ${fmt(v)})`);
  }
}

export function normalizeDistribution(sink: DiagnosticSink, path: SpecPath, raw: RawDistribution, rules: DistributionRules = {}): Distribution {
  if (typeof raw === 'number') {
    if (rules.range && (raw < rules.range[0] || raw > rules.range[1])) {
      sink.error(path, 'spec.range', `must be between ${rules.range[0]} and ${rules.range[1]} (got ${fmt(raw)})`);
    }
    return { type: 'constant', value: raw };
  }
  const r = raw as Record<string, number> & { type: Distribution['type']; weights?: Record<string, number> };
  const minMax = (): { min?: number; max?: number } => {
    let min = r.min;
    let max = r.max;
    if (min !== undefined && max !== undefined && min > max) {
      sink.error([...path, 'min'], 'spec.min-max', `is greater than max (${fmt(min)} > ${fmt(max)})`, { hint: 'swap min and max' });
    }
    inRange(sink, path, 'min', min, rules.range);
    inRange(sink, path, 'max', max, rules.range);
    if (rules.defaultClamp) {
      min ??= rules.defaultClamp[0];
      max ??= rules.defaultClamp[1];
    }
    const out: { min?: number; max?: number } = {};
    if (min !== undefined) out.min = min;
    if (max !== undefined) out.max = max;
    return out;
  };
  switch (r.type) {
    case 'constant':
      inRange(sink, path, 'value', r.value, rules.range);
      return { type: 'constant', value: r.value };
    case 'normal':
    case 'log_normal': {
      if (r.std_dev < 0) sink.error([...path, 'std_dev'], 'spec.std-dev', `must not be negative (got ${fmt(r.std_dev)})`);
      if (r.type === 'log_normal' && r.mean <= 0) {
        sink.error([...path, 'mean'], 'spec.range', `must be > 0 for a log_normal distribution (got ${fmt(r.mean)})`);
      }
      inRange(sink, path, 'mean', r.mean, rules.range);
      return { type: r.type, mean: r.mean, std_dev: r.std_dev, ...minMax() };
    }
    case 'uniform': {
      if (r.min > r.max) sink.error([...path, 'min'], 'spec.min-max', `is greater than max (${fmt(r.min)} > ${fmt(r.max)})`, { hint: 'swap min and max' });
      inRange(sink, path, 'min', r.min, rules.range);
      inRange(sink, path, 'max', r.max, rules.range);
      return { type: 'uniform', min: r.min, max: r.max };
    }
    case 'poisson':
      inRange(sink, path, 'mean', r.mean, rules.range);
      return { type: 'poisson', mean: r.mean, ...minMax() };
    case 'categorical': {
      const weights = checkWeights(sink, [...path, 'weights'], r.weights ?? {});
      if (rules.range) {
        for (const k of Object.keys(weights)) {
          const v = Number(k);
          if (!Number.isFinite(v)) sink.error([...path, 'weights', k], 'spec.range', `category "${k}" must be a number`, { target: 'key' });
          else if (v < rules.range[0] || v > rules.range[1]) {
            sink.error([...path, 'weights', k], 'spec.range', `category ${k} must be between ${rules.range[0]} and ${rules.range[1]}`, { target: 'key' });
          }
        }
      }
      return { type: 'categorical', weights };
    }
    default:
      return { type: 'constant', value: 0 };
  }
}
