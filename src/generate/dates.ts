/**
 * Calendar arithmetic on epoch days (UTC) with integer civil-date algorithms (H. Hinnant's
 * days_from_civil / civil_from_days): no clock, no locale, no Date objects on the hot path.
 * Dates in rows are 'YYYY-MM-DD' strings; `isoOfDay` memoizes them by day.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]);

export function dayOfIso(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

const OFFSET = 200_000; // days 1422-01-01 .. 2517 fit in the dense cache
const isoCache: (string | undefined)[] = new Array<string | undefined>(2 * OFFSET).fill(undefined);

export function isoOfDay(day: number): string {
  const k = day + OFFSET;
  let s = k >= 0 && k < 2 * OFFSET ? isoCache[k] : undefined;
  if (s === undefined) {
    const [y, m, d] = civilFromDays(day);
    s = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
    if (k >= 0 && k < 2 * OFFSET) isoCache[k] = s;
  }
  return s;
}

/** The same calendar day `years` years earlier (Feb 29 → Feb 28 in non-leap years). */
export function yearsBefore(day: number, years: number): number {
  const [y, m, d] = civilFromDays(day);
  const ty = y - years;
  return daysFromCivil(ty, m, Math.min(d, daysInMonth(ty, m)));
}

/** Whole years from birth to day. */
export function ageOnDay(birthDay: number, day: number): number {
  const [by, bm, bd] = civilFromDays(birthDay);
  const [y, m, d] = civilFromDays(day);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}
