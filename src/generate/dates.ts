/**
 * Calendar arithmetic on epoch days (UTC), with no clock and no locale. Dates in rows are
 * 'YYYY-MM-DD' strings; `isoOfDay` memoizes them because generators format the same few
 * thousand days millions of times.
 */
const DAY_MS = 86_400_000;

export function dayOfIso(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

const isoCache = new Map<number, string>();

export function isoOfDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoCache.size < 200_000) isoCache.set(day, s);
  }
  return s;
}

/** The same calendar day `years` years earlier (Feb 29 → Feb 28 in non-leap years). */
export function yearsBefore(day: number, years: number): number {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear() - years;
  const m = d.getUTCMonth();
  let dd = d.getUTCDate();
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  if (dd > last) dd = last;
  return Math.floor(Date.UTC(y, m, dd) / DAY_MS);
}

/** Whole years from birth to day. */
export function ageOnDay(birthDay: number, day: number): number {
  const b = new Date(birthDay * DAY_MS);
  const d = new Date(day * DAY_MS);
  let age = d.getUTCFullYear() - b.getUTCFullYear();
  if (d.getUTCMonth() < b.getUTCMonth() || (d.getUTCMonth() === b.getUTCMonth() && d.getUTCDate() < b.getUTCDate())) age--;
  return age;
}
