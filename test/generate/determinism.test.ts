import { describe, expect, it } from 'vitest';
import { generate, generateRows } from '../../src/generate/engine.js';
import type { TableRows } from '../../src/generate/types.js';
import { diabeticYear, request } from './fixtures.js';

function collect(batches: Iterable<TableRows>): TableRows {
  const out: TableRows = {};
  for (const b of batches) for (const [t, rows] of Object.entries(b)) (out[t] ??= []).push(...rows);
  return out;
}

const base = request({ count: 100 });
const full = generate(base);

describe('determinism', () => {
  it('produces every patientsim table with rows', () => {
    for (const t of ['providers', 'facilities', 'patients', 'encounters', 'diagnoses', 'lab_results', 'medications']) {
      expect(full[t].length, t).toBeGreaterThan(0);
    }
    expect(full.patients).toHaveLength(100);
    expect(full.patients[0].patient_id).toBe(`PAT-${full.patients[0].person_id}`);
    expect(full.patients[99].person_id).toMatch(/^[0-9A-Z]{6}-0000099$/);
  });

  it('is identical for batch sizes 1, 7 and 50', () => {
    const expected = JSON.stringify(full);
    for (const batchSize of [1, 7, 50]) {
      const got = collect(generateRows(base, { start: 0, end: 100, includeShared: true, batchSize }));
      expect(JSON.stringify(got)).toBe(expected);
    }
  });

  it('is identical for [0,100) and the shards [0,40) + [40,100)', () => {
    const a = collect(generateRows(base, { start: 0, end: 40, includeShared: true, batchSize: 13 }));
    const b = collect(generateRows(base, { start: 40, end: 100, includeShared: false, batchSize: 25 }));
    for (const [t, rows] of Object.entries(b)) (a[t] ??= []).push(...rows);
    expect(JSON.stringify(a)).toBe(JSON.stringify(full));
  });

  it('keeps the first 100 entities when count rises to 150', () => {
    const more = generate(request({ count: 150 }));
    for (const t of Object.keys(full)) {
      const ids = new Set(full.patients.map((p) => p.patient_id));
      const firstPart = more[t].filter((r) => !('patient_id' in r) || ids.has(r.patient_id as string));
      expect(JSON.stringify(firstPart), t).toBe(JSON.stringify(full[t]));
    }
    expect(more.patients).toHaveLength(150);
  });

  it('editing one journey event keeps patients, diagnoses and other events', () => {
    const j = diabeticYear();
    j.events = j.events.map((e) => (e.id === 'annual-labs' ? { ...e, timing: { type: 'fixed', day: 45 }, parameters: { panels: ['cbc'] } } : e));
    const edited = generate(request({ count: 100, journey: j }));
    expect(JSON.stringify(edited.patients)).toBe(JSON.stringify(full.patients));
    expect(JSON.stringify(edited.diagnoses)).toBe(JSON.stringify(full.diagnoses));
    expect(JSON.stringify(edited.medications.map(({ encounter_id, medication_id, ...m }) => m)))
      .toBe(JSON.stringify(full.medications.map(({ encounter_id, medication_id, ...m }) => m)));
    const visits = (rows: TableRows) => rows.encounters.map((e) => `${e.patient_id}|${e.start_date}|${e.journey_event}`);
    expect(visits(edited)).toEqual(visits(full));
    expect(JSON.stringify(edited.lab_results)).not.toBe(JSON.stringify(full.lab_results));
  });

  it('different seeds give different people', () => {
    const other = generate(request({ count: 20, seed: 43 }));
    const names = (rows: TableRows) => rows.patients.map((p) => `${p.first_name} ${p.last_name} ${p.birth_date}`);
    const same = names(other).filter((n, k) => n === names(full)[k]).length;
    expect(same).toBe(0);
  });

  it('puts no event after the reference date and none before the journey start', () => {
    for (const e of full.encounters) {
      expect(e.start_date! <= '2025-01-01').toBe(true);
      expect(e.end_date! <= '2025-01-01').toBe(true);
      expect(e.start_date! >= '2024-01-02').toBe(true);
    }
    for (const l of full.lab_results) expect(l.effective_date! <= '2025-01-01' && l.effective_date! >= '2024-01-02').toBe(true);
    for (const m of full.medications) expect(m.start_date! <= '2025-01-01').toBe(true);
    for (const p of full.procedures) expect(p.performed_date! <= '2025-01-01').toBe(true);
    for (const d of full.diagnoses) expect(d.onset_date! < '2025-01-01').toBe(true);
  });
});
