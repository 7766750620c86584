import { dayOfIso } from '../dates.js';

let lastIso: string | undefined;
let lastDay = 0;

/**
 * Epoch day of a birth date (YYYY-MM-DD). A person's generation asks for their birth day several
 * times in a row (conditions, journey, history, medications, allergies): the last answer is kept,
 * keyed by the string itself.
 */
export function birthDayFromIso(iso: string): number {
  if (iso !== lastIso) {
    lastDay = dayOfIso(iso);
    lastIso = iso;
  }
  return lastDay;
}
