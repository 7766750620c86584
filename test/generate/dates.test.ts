import { describe, expect, it } from 'vitest';
import { ageOnDay, dayOfIso, isoOfDay, yearsBefore } from '../../src/generate/dates.js';
import { birthDayFromIso } from '../../src/generate/clinical/util.js';

describe('dates', () => {
  it('round-trips epoch days and agrees with Date.UTC', () => {
    for (let day = -40000; day <= 40000; day += 37) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(isoOfDay(day)).toBe(iso);
      expect(dayOfIso(iso)).toBe(day);
    }
  });
  it('birthDayFromIso (which keeps its last answer) agrees with dayOfIso, asked in any order', () => {
    for (const iso of ['1950-11-30', '1950-11-30', '2024-02-29', '1950-11-30', '1950-11-' + '30', '1969-12-31', '2024-02-29']) {
      expect(birthDayFromIso(iso)).toBe(dayOfIso(iso));
    }
  });
  it('steps back whole years, clamping Feb 29', () => {
    expect(isoOfDay(yearsBefore(dayOfIso('2024-02-29'), 1))).toBe('2023-02-28');
    expect(isoOfDay(yearsBefore(dayOfIso('2025-01-01'), 72))).toBe('1953-01-01');
    expect(ageOnDay(dayOfIso('1953-01-02'), dayOfIso('2025-01-01'))).toBe(71);
    expect(ageOnDay(dayOfIso('1953-01-01'), dayOfIso('2025-01-01'))).toBe(72);
  });
});

describe('membersim calendar helpers (civil-date arithmetic) agree with Date.UTC', () => {
  it('for every 7th day from 1887 to 2079 and month offsets either way', async () => {
    const c = await import('../../src/generate/products/membersim/common.js');
    const DAY = 86_400_000;
    for (let day = -30000; day < 40000; day += 7) {
      const d = new Date(day * DAY);
      expect(c.isoDate(day)).toBe(d.toISOString().slice(0, 10));
      expect(c.epochDay(d.toISOString().slice(0, 10))).toBe(day);
      expect(c.firstOfMonth(day)).toBe(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY);
      expect(c.yearOf(day)).toBe(d.getUTCFullYear());
      for (const m of [-25, -12, -1, 1, 11, 13]) expect(c.addMonths(day, m)).toBe(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + m, 1) / DAY);
    }
    expect(c.ageOn('1950-03-01', c.epochDay('2025-02-28'))).toBe(74);
    expect(c.ageOn('1950-03-01', c.epochDay('2025-03-01'))).toBe(75);
  });
});
