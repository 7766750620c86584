import { describe, expect, it } from 'vitest';
import { ageOnDay, dayOfIso, isoOfDay, yearsBefore } from '../../src/generate/dates.js';

describe('dates', () => {
  it('round-trips epoch days and agrees with Date.UTC', () => {
    for (let day = -40000; day <= 40000; day += 37) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(isoOfDay(day)).toBe(iso);
      expect(dayOfIso(iso)).toBe(day);
    }
  });
  it('steps back whole years, clamping Feb 29', () => {
    expect(isoOfDay(yearsBefore(dayOfIso('2024-02-29'), 1))).toBe('2023-02-28');
    expect(isoOfDay(yearsBefore(dayOfIso('2025-01-01'), 72))).toBe('1953-01-01');
    expect(ageOnDay(dayOfIso('1953-01-02'), dayOfIso('2025-01-01'))).toBe(71);
    expect(ageOnDay(dayOfIso('1953-01-01'), dayOfIso('2025-01-01'))).toBe(72);
  });
});
