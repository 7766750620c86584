/**
 * Stable identifiers: `<nsToken>-<index padded to 7>` for persons, product prefixes for entity
 * keys, and `-<letter><seq>` suffixes for a person's child rows. The token comes from the
 * dataset namespace (not its display name), so renaming a dataset keeps IDs.
 */
import { hashString } from './rng.js';

export const INDEX_WIDTH = 7;

/** A 6-character base-36 token from the namespace hash (stable, case-insensitive-safe). */
export function namespaceToken(namespace: string): string {
  return hashString(namespace).toString(36).toUpperCase().padStart(7, '0').slice(-6);
}

export function padIndex(i: number, width = INDEX_WIDTH): string {
  return String(i).padStart(width, '0');
}

export function personIdFor(nsToken: string, i: number): string {
  return `${nsToken}-${padIndex(i)}`;
}

export function childId(parentId: string, letter: string, seq: number): string {
  return `${parentId}-${letter}${String(seq).padStart(3, '0')}`;
}

const purposeHashes = new Map<string, number>();

/**
 * `hashString(purpose)`, memoized. `rng.fork(purposeKey(s))` is the very same stream as
 * `rng.fork(s)` (fork hashes strings with hashString), without rehashing on the hot path.
 */
export function purposeKey(purpose: string): number {
  let h = purposeHashes.get(purpose);
  if (h === undefined) {
    h = hashString(purpose);
    if (purposeHashes.size < 100_000) purposeHashes.set(purpose, h);
  }
  return h;
}

const pairHashes = new Map<string, Map<string, number>>();

/** purposeKey(prefix + suffix) without building the string on every call. */
export function purposeKey2(prefix: string, suffix: string): number {
  let m = pairHashes.get(prefix);
  if (!m) pairHashes.set(prefix, (m = new Map()));
  let h = m.get(suffix);
  if (h === undefined) {
    h = hashString(prefix + suffix);
    if (m.size < 100_000) m.set(suffix, h);
  }
  return h;
}
