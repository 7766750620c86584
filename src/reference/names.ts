/**
 * Person names weighted by 1990 Census frequency: first names by sex (dist.female.first,
 * dist.male.first) and the 10,000 most frequent surnames (dist.all.last, ≈ 74% of people).
 * Sources: data/SOURCES.md. Names are title-cased here (the Census files are upper case).
 */
import { lazy, parseCsv, readDataText } from './dataFiles.js';

export interface WeightedNames {
  names: string[];
  /** cumulative weights, last element = total */
  cumulative: Float64Array;
}

export const NAMES_VERSION = 'US Census 1990 name files';

export function titleCase(upper: string): string {
  // MCDONALD → Mcdonald is acceptable; keep apostrophes/hyphen parts capitalized (O'BRIEN → O'Brien)
  return upper.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function weighted(rows: { name: string; weight: number }[]): WeightedNames {
  const cumulative = new Float64Array(rows.length);
  let total = 0;
  rows.forEach((r, k) => {
    total += r.weight;
    cumulative[k] = total;
  });
  return { names: rows.map((r) => r.name), cumulative };
}

const firstNames = lazy(() => {
  const rows = parseCsv(readDataText('names_first.csv.gz'));
  const by = (sex: string) =>
    weighted(rows.filter((r) => r.sex === sex).map((r) => ({ name: titleCase(r.first_name), weight: Number(r.frequency_pct) })));
  return { F: by('F'), M: by('M') };
});

const surnames = lazy(() =>
  weighted(parseCsv(readDataText('names_surnames.csv.gz')).map((r) => ({ name: titleCase(r.surname), weight: Number(r.frequency_pct) }))),
);

export function firstNamesFor(sex: 'M' | 'F'): WeightedNames {
  return firstNames()[sex];
}

export function surnameTable(): WeightedNames {
  return surnames();
}

/** Index of the entry a uniform u in [0, 1) selects in cumulative weights (binary search). */
export function cumulativeIndex(cumulative: ArrayLike<number>, u: number): number {
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Pick from a cumulative table with a uniform u in [0, 1). */
export function pickWeighted(table: WeightedNames, u: number): string {
  return table.names[cumulativeIndex(table.cumulative, u)];
}
