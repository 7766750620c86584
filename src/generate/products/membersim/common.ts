/**
 * Small helpers shared by the membersim, rxmembersim, trialsim and prior-authorization
 * generators: dates as epoch days, money in integer cents, weighted picks, NPI-shaped ids and a
 * private minimal sampler for spec `Distribution`s (kept here so these products do not depend on
 * the engine's sampler; same semantics: min/max clamp after drawing).
 */
import type { Rng } from '../../rng.js';
import { civilFromDays, dayOfIso, daysFromCivil, isoOfDay } from '../../dates.js';
import type { Distribution, Weights } from '../../../spec/types.js';

/** 'YYYY-MM-DD' for an epoch day (UTC); memoized civil-date arithmetic, no Date objects. */
export function isoDate(day: number): string {
  return isoOfDay(day);
}

/** Epoch day (UTC) of a 'YYYY-MM-DD' string. */
export function epochDay(iso: string): number {
  return dayOfIso(iso);
}

/** Epoch day of the first day of the month containing `day`. */
export function firstOfMonth(day: number): number {
  const [y, m] = civilFromDays(day);
  return daysFromCivil(y, m, 1);
}

/** Epoch day `months` calendar months after (or before, if negative) the first of `day`'s month. */
export function addMonths(day: number, months: number): number {
  const [y, m] = civilFromDays(day);
  const total = y * 12 + (m - 1) + months;
  return daysFromCivil(Math.floor(total / 12), (((total % 12) + 12) % 12) + 1, 1);
}

export function yearOf(day: number): number {
  return civilFromDays(day)[0];
}

/** Whole years between a birth date and a day. */
export function ageOn(birthIso: string, day: number): number {
  const [by, bm, bd] = civilFromDays(dayOfIso(birthIso));
  const [y, m, d] = civilFromDays(day);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Cents → dollars (exact for integer cents). */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}

/** Dollars → integer cents. */
export function cents(amount: number): number {
  return Math.round(amount * 100);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Pick a key of a weight map (keys walked in sorted order so the result never depends on insertion order). */
export function pickWeighted(rng: Rng, weights: Weights): string {
  const keys = Object.keys(weights).filter((k) => weights[k] > 0).sort();
  if (keys.length === 0) throw new Error('pickWeighted: no positive weights');
  const total = keys.reduce((s, k) => s + weights[k], 0);
  let u = rng.next() * total;
  for (const k of keys) {
    u -= weights[k];
    if (u < 0) return k;
  }
  return keys[keys.length - 1];
}

/** Pick an item of a list by a parallel weight array. */
export function pickByWeight<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let k = 0; k < items.length; k++) {
    u -= weights[k];
    if (u < 0) return items[k];
  }
  return items[items.length - 1];
}

/** Poisson draw (Knuth for small means, normal approximation above 30). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  for (;;) {
    p *= rng.next();
    if (p <= l) return k;
    k++;
  }
}

/** Log-normal draw parameterised by the mean and standard deviation of the value itself. */
export function logNormal(rng: Rng, mean: number, sd: number): number {
  if (mean <= 0) return 0;
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  const mu = Math.log(mean) - s2 / 2;
  return Math.exp(rng.normal(mu, Math.sqrt(s2)));
}

/**
 * Minimal private sampler for spec distributions (the engine's `sample` may replace it).
 * `categorical` returns the numeric value of the picked key (NaN keys count as 0).
 */
export function sampleDistribution(dist: Distribution, rng: Rng): number {
  let x: number;
  switch (dist.type) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return dist.min + rng.next() * (dist.max - dist.min);
    case 'normal':
      x = rng.normal(dist.mean, dist.std_dev);
      break;
    case 'log_normal':
      x = logNormal(rng, dist.mean, dist.std_dev);
      break;
    case 'poisson':
      x = poisson(rng, dist.mean);
      break;
    case 'categorical': {
      const v = Number(pickWeighted(rng, dist.weights));
      return Number.isFinite(v) ? v : 0;
    }
    default:
      return unreachable(dist);
  }
  if (dist.min !== undefined && x < dist.min) x = dist.min;
  if (dist.max !== undefined && x > dist.max) x = dist.max;
  return x;
}

/** Expected value of a distribution (used to tune rates, never as a draw). */
export function distributionMean(dist: Distribution): number {
  switch (dist.type) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
    case 'log_normal':
    case 'poisson':
      return dist.mean;
    case 'categorical': {
      const keys = Object.keys(dist.weights);
      const total = keys.reduce((s, k) => s + dist.weights[k], 0);
      return total > 0 ? keys.reduce((s, k) => s + (Number(k) || 0) * dist.weights[k], 0) / total : 0;
    }
    default:
      return unreachable(dist);
  }
}

export function unreachable(x: never): never {
  throw new Error('unreachable: ' + JSON.stringify(x));
}

/** Luhn check digit over the NPI with the 80840 prefix (how real NPIs are checked). */
export function npiCheckDigit(nineDigits: string): number {
  const digits = ('80840' + nineDigits).split('').map(Number);
  let sum = 0;
  // double every second digit from the right of the 14-digit body (the check digit is appended)
  for (let k = digits.length - 1, dbl = true; k >= 0; k--, dbl = !dbl) {
    let d = digits[k];
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A 10-digit NPI-shaped number with a valid Luhn check digit (synthetic). */
export function syntheticNpi(rng: Rng, firstDigit: 1 | 2 = 1): string {
  let body = String(firstDigit);
  for (let k = 0; k < 8; k++) body += String(rng.int(0, 9));
  return body + String(npiCheckDigit(body));
}

/** True when an NPI-shaped string passes the Luhn check with the 80840 prefix. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

/** ICD-10-CM prefix match on a dotted code ('E11' matches 'E11.65'). */
export function hasConditionPrefix(codes: readonly string[], prefix: string): boolean {
  const p = prefix.toUpperCase();
  return codes.some((c) => c.toUpperCase().startsWith(p));
}
