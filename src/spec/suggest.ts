/** "did you mean …?" — nearest known word by edit distance. */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[n]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo (distance at most a third
 * of the word, at least 1; case and `-`/`_` differences count as near-misses). Ties go to the
 * alphabetically first candidate, so the hint is stable.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  let best: string | undefined;
  let bestScore = Infinity;
  const sorted = [...candidates].sort();
  for (const c of sorted) {
    if (c === word) continue;
    const d = norm(c) === norm(word) ? 0.5 : editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  // a one-letter word is "close" to every other one-letter word: only exact near-misses count
  const limit = word.length < 2 ? 0.5 : Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestScore <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const n = nearest(word, candidates);
  return n === undefined ? undefined : `did you mean ${n}?`;
}
