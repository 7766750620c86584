/**
 * Deterministic random streams. Every draw for entity i of a dataset comes from its own stream
 * `stream(seed, namespace, i, purpose)`: a 32-bit sfc32 generator whose state is derived from
 * integer keys mixed through murmur3's finalizer. Strings (namespace, purpose) are hashed once
 * with 32-bit FNV-1a + fmix. No BigInt, no global random source, no clock.
 */

/** murmur3 fmix32: a strong 32-bit avalanche mix. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable 32-bit hash of a string (UTF-16 code units, FNV-1a then fmix32). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}

/** Combine 32-bit keys into one (order-sensitive). */
export function mixKeys(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    h = fmix32((h ^ (k >>> 0)) + 0x9e3779b9 + ((h << 6) >>> 0) + (h >>> 2));
  }
  return h >>> 0;
}

export interface Rng {
  /** uniform float in [0, 1) */
  next(): number;
  /** integer in [min, max] inclusive */
  int(min: number, max: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** uniform pick from a non-empty array */
  pick<T>(items: readonly T[]): T;
  /** standard normal draw (Box–Muller, one value per call for simplicity of reasoning) */
  normal(mean?: number, sd?: number): number;
  /** a derived, independent stream (for nested purposes, e.g. event k of a journey) */
  fork(purpose: string | number): Rng;
  /** the 32-bit seed this stream was created from */
  readonly key: number;
}

/** Create a stream from a 32-bit key. */
export function rngFromKey(key: number): Rng {
  // sfc32 state from four fmix32 derivations of the key
  let a = fmix32(key ^ 0xa0761d65);
  let b = fmix32(key ^ 0xe7037ed1);
  let c = fmix32(key ^ 0x8ebc6af0);
  let d = 1;
  const raw = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) raw(); // warm up
  const rng: Rng = {
    key,
    next: raw,
    int: (min, max) => min + Math.floor(raw() * (max - min + 1)),
    chance: (p) => raw() < p,
    pick: (items) => items[Math.floor(raw() * items.length)],
    normal: (mean = 0, sd = 1) => {
      let u = raw();
      if (u < 1e-12) u = 1e-12;
      const v = raw();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (purpose) => rngFromKey(mixKeys(key, typeof purpose === 'number' ? purpose : hashString(purpose))),
  };
  return rng;
}

/**
 * A factory of per-entity streams for one dataset. Hashes seed and namespace once;
 * `entity(i, purpose)` is cheap enough to call per entity and purpose.
 */
export class StreamFactory {
  private readonly base: number;
  private readonly purposeCache = new Map<string, number>();

  constructor(seed: number, namespace: string) {
    this.base = mixKeys(seed >>> 0, Math.floor(seed / 4294967296) >>> 0, hashString(namespace));
  }

  private purposeKey(purpose: string): number {
    let k = this.purposeCache.get(purpose);
    if (k === undefined) {
      k = hashString(purpose);
      this.purposeCache.set(purpose, k);
    }
    return k;
  }

  /** The stream for entity i and a purpose (demographics, clinical, journey:<eventId> …). */
  entity(i: number, purpose: string): Rng {
    return rngFromKey(mixKeys(this.base, i >>> 0, Math.floor(i / 4294967296) >>> 0, this.purposeKey(purpose)));
  }

  /** A dataset-level stream (study design, plans, formulary) independent of any entity. */
  shared(purpose: string): Rng {
    return rngFromKey(mixKeys(this.base, 0xffffffff, this.purposeKey('shared:' + purpose)));
  }
}
