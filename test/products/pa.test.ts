import { describe, expect, it } from 'vitest';
import { assignPlan, DEFAULT_PRIOR_AUTH, priorAuthShared, priorAuthTables } from '../../src/generate/products/pa/index.js';
import { PA_DRUGS } from '../../src/reference/claims/paDrugs.js';
import { findDrug } from '../../src/reference/rxnorm.js';
import type { TableRows } from '../../src/generate/types.js';
import { allDates, baseProfile, checkIntegrity, makeContext, makePerson, REF_DATE } from './helpers.js';

const profile = baseProfile({ product: 'patientsim', products: ['patientsim'], prior_auth: DEFAULT_PRIOR_AUTH });
const ctx = makeContext(profile, 20);
const { state, rows } = priorAuthShared(ctx);

describe('prior authorization (seed 002)', () => {
  it('writes 10 payers, 10 plans, 10 drugs, 100 plan × drug rows, 10 forms and 6 policies', () => {
    expect(priorAuthTables().map((t) => t.name)).toEqual(['payers', 'plans', 'drugs', 'plan_drug_coverage', 'pa_forms', 'pa_policies']);
    expect(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length]))).toEqual({
      payers: 10, plans: 10, drugs: 10, plan_drug_coverage: 100, pa_forms: 10, pa_policies: 6,
    });
    expect(checkIntegrity(rows as TableRows)).toEqual([]);
    expect(allDates(rows as TableRows).filter((d) => d.value > REF_DATE)).toEqual([]);
    expect(rows.drugs.map((d) => d.brand_name)).toEqual(['Ozempic', 'Wegovy', 'Mounjaro', 'Trulicity', 'Victoza', 'Saxenda', 'Jardiance', 'Farxiga', 'Invokana', 'Januvia']);
  });

  it('uses RxNorm ingredient codes that agree with the RxNorm table', () => {
    for (const d of PA_DRUGS) expect(findDrug(d.generic)?.rxcui ?? d.rxcui).toBe(d.rxcui);
    expect(rows.drugs.find((d) => d.brand_name === 'Ozempic')?.rxnorm_code).toBe('1991302');
  });

  it('covers ≈85% of plan × drug pairs, requires PA for ≈65% of covered, steps diabetes drugs through metformin', () => {
    const big = priorAuthShared(makeContext(baseProfile({ prior_auth: { ...DEFAULT_PRIOR_AUTH, payers: 60 } }), 1)).rows.plan_drug_coverage;
    const covered = big.filter((c) => c.covered);
    const pa = covered.filter((c) => c.pa_required);
    expect(Math.abs(covered.length / big.length - 0.85)).toBeLessThan(0.04);
    expect(Math.abs(pa.length / covered.length - 0.65)).toBeLessThan(0.05);
    const weightDrugs = new Set(rows.drugs.filter((d) => ['Wegovy', 'Saxenda'].includes(d.brand_name as string)).map((d) => d.drug_id));
    const all = rows.plan_drug_coverage;
    expect(all.filter((c) => c.step_therapy && (!c.pa_required || weightDrugs.has(c.drug_id) || !String(c.step_therapy_drugs).includes('metformin')))).toEqual([]);
    expect(all.filter((c) => (c.tier === null) === (c.covered as boolean))).toEqual([]);
    expect(all.filter((c) => !c.covered && (c.pa_required || c.quantity_limit !== null || c.copay_amount !== null))).toEqual([]);
    expect(big.filter((c) => c.step_therapy).length).toBeGreaterThan(100);
  });

  it('builds payer form templates with sections JSON and a submission method', () => {
    for (const f of rows.pa_forms) {
      const sections = JSON.parse(f.sections as string) as { section: string; fields: unknown[] }[];
      expect(sections[0].section).toBe('Patient Information');
      expect(sections.at(-1)!.section).toBe('Prescriber Attestation');
      expect(f.field_count).toBe(sections.reduce((s, x) => s + x.fields.length, 0));
      expect(['phone', 'fax', 'portal', 'mail']).toContain(f.submission_method);
    }
  });

  it('writes policy documents for PA-required pairs, Ozempic and Trulicity first, with every section', () => {
    const brand = new Map(rows.drugs.map((d) => [d.drug_id, d.brand_name]));
    expect(rows.pa_policies.map((p) => brand.get(p.drug_id))).toEqual(['Ozempic', 'Ozempic', 'Ozempic', 'Trulicity', 'Trulicity', 'Trulicity']);
    const cov = new Map(rows.plan_drug_coverage.map((c) => [`${c.plan_id}|${c.drug_id}`, c]));
    for (const p of rows.pa_policies) {
      expect(cov.get(`${p.plan_id}|${p.drug_id}`)?.pa_required).toBe(true);
      for (const h of ['COVERAGE CRITERIA', 'REQUIRED DOCUMENTATION', 'QUANTITY LIMITS', 'AUTHORIZATION PERIOD', 'RENEWAL CRITERIA', 'EXCLUSIONS', 'APPEAL PROCESS']) {
        expect(p.text as string).toContain(h);
      }
      expect([6, 12]).toContain(p.authorization_months);
      expect(p.effective_date).toBe('2025-01-01');
    }
  });

  it('assigns each patient a plan from their own stream, deterministically', () => {
    const plans = Array.from({ length: 400 }, (_, i) => assignPlan(ctx, makePerson(ctx, i), state));
    expect(plans.filter((p) => !state.plan_ids.includes(p))).toEqual([]);
    expect(new Set(plans).size).toBe(10);
    expect(assignPlan(ctx, makePerson(ctx, 3), state)).toBe(plans[3]);
    expect(JSON.stringify(priorAuthShared(makeContext(profile, 20)).rows)).toBe(JSON.stringify(rows));
  });
});
