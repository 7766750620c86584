import { describe, expect, it } from 'vitest';
import { PatientRecord } from '../../src/generate/products/patientsim/record.js';
import { loincByKey } from '../../src/reference/loinc.js';
import type { Row } from '../../src/model/types.js';

const glucose = loincByKey('glucose')!;

/** A record with `n` results on days drawn out of order (many ties), each value its creation index. */
function record(n: number): { rows: Row[]; days: number[] } {
  const rec = new PatientRecord('PAT-1');
  const days: number[] = [];
  for (let i = 0; i < n; i++) {
    const day = 20_000 + ((i * 37) % 11);
    days.push(day);
    const enc = i % 3 === 0 ? rec.encounter({ day, endDay: day, encounterClass: 'AMB', code: '99213', codeSystem: 'CPT', description: 'Office visit', reasonCode: null, reasonDescription: null, providerId: null, facilityId: null, journeyEvent: null }) : undefined;
    rec.lab(day, 'cmp', { test: glucose, value: i, interpretation: 'N' }, enc);
  }
  const out = { encounters: [] as Row[], lab_results: [] as Row[], medications: [] as Row[], procedures: [] as Row[] };
  rec.finish(out);
  return { rows: out.lab_results, days };
}

describe('PatientRecord.finish', () => {
  // the short path sorts by insertion, a record of more than 256 results with the built-in sort
  for (const n of [1, 40, 256, 257, 1_000]) {
    it(`numbers ${n} results by day, ties in the order they were made`, () => {
      const { rows, days } = record(n);
      const expected = days.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d || a.i - b.i);
      expect(rows.map((r) => r.value)).toEqual(expected.map((e) => e.i));
      expect(rows.map((r) => r.lab_result_id)).toEqual(rows.map((_r, k) => `PAT-1-L${String(k + 1).padStart(4, '0')}`));
      // each result keeps its encounter, whose ID follows the encounters' own day order (ties in
      // the order they were made)
      const encs = expected.filter((e) => e.i % 3 === 0);
      const encId = new Map(encs.map((e, k) => [e.i, `PAT-1-E${String(k + 1).padStart(3, '0')}`]));
      for (const r of rows) expect(r.encounter_id).toBe(encId.get(r.value as number) ?? null);
    });
  }
});
