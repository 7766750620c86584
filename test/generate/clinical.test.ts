import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/engine.js';
import { createContext } from '../../src/generate/context.js';
import { makePerson } from '../../src/generate/demographics/person.js';
import { loincByCode, loincByKey } from '../../src/reference/loinc.js';
import { icd10 } from '../../src/reference/icd10.js';
import { isValidNpi } from '../../src/generate/network/npi.js';
import { diabetesProfile, request } from './fixtures.js';

describe('clinical realism', () => {
  const out = generate(request({ count: 200 }));

  it('keeps every lab inside its physiological range, never negative, with consistent interpretation', () => {
    for (const l of out.lab_results) {
      const t = loincByCode(l.code as string)!;
      expect(t, String(l.code)).toBeDefined();
      const v = l.value as number;
      expect(v).toBeGreaterThanOrEqual(t.physio[0]);
      expect(v).toBeLessThanOrEqual(t.physio[1]);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(l.unit).toBe(t.unit);
      const expected = t.low !== undefined && v < t.low ? 'L' : t.high !== undefined && v > t.high ? 'H' : 'N';
      expect(l.interpretation).toBe(expected);
    }
  });

  it('HbA1c follows the diabetes control level', () => {
    const severity = new Map(out.diagnoses.filter((d) => d.is_primary).map((d) => [d.patient_id, d.severity]));
    const band: Record<string, [number, number]> = { well_controlled: [6.0, 7.0], moderately_controlled: [7.0, 8.0], uncontrolled: [8.0, 12.0] };
    const a1c = out.lab_results.filter((l) => l.code === '4548-4');
    expect(a1c.length).toBeGreaterThan(200);
    for (const l of a1c) {
      const [lo, hi] = band[severity.get(l.patient_id) as string];
      expect(l.value as number).toBeGreaterThanOrEqual(lo);
      expect(l.value as number).toBeLessThanOrEqual(hi);
    }
  });

  it('resolves categories to real billable codes and uses E11.x for every diabetic', () => {
    for (const d of out.diagnoses) {
      expect(icd10.lookup(d.code as string)?.billable, String(d.code)).toBe(true);
      expect(d.description).toBe(icd10.lookup(d.code as string)!.description);
    }
    const primaries = out.diagnoses.filter((d) => d.is_primary);
    expect(primaries).toHaveLength(200);
    for (const d of primaries) expect(d.code as string).toMatch(/^E11\./);
  });

  it('eGFR is consistent with the CKD stage', () => {
    const ctx = createContext(request({
      profile: diabetesProfile({ clinical: { primary_condition: { code: 'N18', prevalence: 1 }, comorbidities: [], medications: [], derived_conditions: false, allergies_rate: 0 } }),
    }));
    const range: Record<string, [number, number]> = { stage_2: [60, 89], stage_3a: [45, 59], stage_3b: [30, 44], stage_4: [15, 29], stage_5: [5, 14] };
    const stageCode: Record<string, RegExp> = { stage_2: /^N18\.2$/, stage_3a: /^N18\.3[01]$/, stage_3b: /^N18\.3[02]$/, stage_4: /^N18\.4$/, stage_5: /^N18\.5$/ };
    for (let i = 0; i < 100; i++) {
      const p = makePerson(ctx, i);
      const ckd = p.conditions.find((c) => c.is_primary)!;
      const [lo, hi] = range[ckd.severity!];
      expect(p.clinical.levels.egfr).toBeGreaterThanOrEqual(lo);
      expect(p.clinical.levels.egfr).toBeLessThanOrEqual(hi);
      expect(ckd.code).toMatch(stageCode[ckd.severity!]);
    }
  });

  it('1,000 patients with hypertension prevalence 0.7 → 700 ± 45', () => {
    const ctx = createContext(request({
      count: 1000,
      profile: diabetesProfile({ clinical: { comorbidities: [{ code: 'I10', prevalence: 0.7 }], medications: [], derived_conditions: false, allergies_rate: 0 } }),
    }));
    let n = 0;
    for (let i = 0; i < 1000; i++) if (makePerson(ctx, i).conditions.some((c) => c.code === 'I10')) n++;
    expect(Math.abs(n - 700)).toBeLessThanOrEqual(45);
  });

  it('healthy controls (prevalence 0) have no diagnoses', () => {
    const ctx = createContext(request({
      profile: diabetesProfile({ clinical: { primary_condition: { code: 'E11', prevalence: 0 }, comorbidities: [], medications: [], derived_conditions: false, allergies_rate: 0 } }),
    }));
    for (let i = 0; i < 50; i++) expect(makePerson(ctx, i).conditions).toEqual([]);
  });

  it('derives obesity, diabetes and NASH from BMI and HbA1c (seed 002)', () => {
    const ctx = createContext(request({
      profile: diabetesProfile({ demographics: { age: { type: 'uniform', min: 35, max: 75 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'national' } },
        clinical: { comorbidities: [], medications: [], derived_conditions: true, allergies_rate: 0 } }),
    }));
    let e11 = 0;
    for (let i = 0; i < 300; i++) {
      const p = makePerson(ctx, i);
      const codes = p.conditions.map((c) => c.code);
      if (p.clinical.bmi >= 40) expect(codes).toContain('E66.01');
      else if (p.clinical.bmi >= 30) expect(codes).toContain('E66.9');
      else expect(codes.some((c) => c.startsWith('E66'))).toBe(false);
      if (p.clinical.levels.hba1c > 6.5) {
        expect(codes.some((c) => c.startsWith('E11'))).toBe(true);
        e11++;
      }
      if (codes.includes('K75.81')) expect(p.clinical.bmi).toBeGreaterThan(35);
    }
    expect(e11).toBeGreaterThan(20);
  });

  it('treatment history: metformin first, stopped lines carry seed-002 outcomes', () => {
    const outcomes = new Set(out.medications.filter((m) => m.status === 'stopped').map((m) => m.outcome));
    for (const o of outcomes) expect(['inadequate response', 'intolerance - GI side effects', 'partial response', 'intolerance - dry cough', 'intolerance - myalgia']).toContain(o);
    const firstLine = out.medications.filter((m) => m.line_of_therapy === 1 && ['biguanide'].includes(m.therapeutic_class as string));
    expect(new Set(firstLine.map((m) => m.patient_id)).size).toBeGreaterThan(150);
    for (const m of out.medications) if (m.end_date !== null) expect(m.end_date! >= m.start_date!).toBe(true);
  });

  it('providers carry Luhn-valid NPIs in the population state; hospitals have beds', () => {
    for (const p of out.providers) {
      expect(isValidNpi(p.npi as string)).toBe(true);
      expect(p.state).toBe('CA');
      expect(p.taxonomy_code).toMatch(/^[0-9]{3}[0-9A-Z]{6}X$/);
    }
    for (const f of out.facilities) {
      expect(isValidNpi(f.npi as string)).toBe(true);
      if (f.facility_type === 'hospital') expect(f.bed_count as number).toBeGreaterThanOrEqual(25);
      else expect(f.bed_count).toBeNull();
    }
    const providerIds = new Set(out.providers.map((p) => p.provider_id));
    for (const e of out.encounters) expect(providerIds.has(e.provider_id as string)).toBe(true);
  });

  it('county geography (seed 003 populationsim, Harris County) places everyone in 48201', () => {
    const ctx = createContext(request({ profile: diabetesProfile({ demographics: { age: { type: 'constant', value: 50 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'county', county_fips: ['48201'] } } }) }));
    for (let i = 0; i < 50; i++) {
      const p = makePerson(ctx, i);
      expect(p.county_fips).toBe('48201');
      expect(p.county_name).toBe('Harris County');
      expect(p.state).toBe('TX');
      expect(p.zip).toMatch(/^77\d{3}$/);
      expect(p.age).toBe(50);
      expect(p.birth_date > '1974-01-01' && p.birth_date <= '1975-01-01').toBe(true);
    }
  });

  it('ages match birth dates at the reference date', () => {
    for (const p of out.patients) {
      const [y, m, d] = (p.birth_date as string).split('-').map(Number);
      let age = 2025 - y;
      if (m > 1 || (m === 1 && d > 1)) age--;
      expect(p.age).toBe(age);
      expect(p.age as number).toBeGreaterThanOrEqual(65);
    }
    expect(loincByKey('hba1c')!.code).toBe('4548-4');
  });
});
