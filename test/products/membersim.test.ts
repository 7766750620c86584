import { describe, expect, it } from 'vitest';
import { membersimGenerator } from '../../src/generate/products/membersim/index.js';
import { isValidNpi, npiCheckDigit } from '../../src/generate/products/membersim/common.js';
import { isKnownProcedure } from '../../src/reference/claims/procedures.js';
import { isBillable } from '../../src/reference/icd10.js';
import { allDates, baseProfile, cents, checkIntegrity, makeContext, makePerson, people, REF_DATE, runProduct } from './helpers.js';

const ctx = makeContext(baseProfile(), 1000);
const persons = people(ctx, 1000);
const out = runProduct(membersimGenerator, ctx, persons);

describe('membersim', () => {
  it('writes exactly the model columns, unique keys and resolvable foreign keys', () => {
    expect(checkIntegrity(out)).toEqual([]);
    expect(out.members).toHaveLength(1000);
    expect(Object.keys(out).sort()).toEqual(['claim_lines', 'claims', 'facilities', 'members', 'payers', 'plans', 'providers']);
  });

  it('keeps every date on or before the reference date and claims inside the 12-month window and enrollment', () => {
    expect(allDates(out).filter((d) => d.value > REF_DATE)).toEqual([]);
    const start = new Map(out.members.map((m) => [m.member_id, m.enrollment_start_date as string]));
    const bad = out.claims.filter(
      (c) => !((c.service_date as string) >= '2024-01-02' && (c.service_date as string) >= start.get(c.member_id)! && (c.end_date as string) >= (c.service_date as string)),
    );
    expect(bad).toEqual([]);
  });

  it('adds up: header = Σ lines, billed > allowed ≥ paid ≥ 0, member responsibility = allowed − paid', () => {
    const byClaim = new Map<string, { b: number; a: number; p: number }>();
    const badLines: unknown[] = [];
    for (const l of out.claim_lines) {
      const [b, a, p] = [cents(l.billed_amount), cents(l.allowed_amount), cents(l.paid_amount)];
      if (!(b > a && a >= p && p >= 0)) badLines.push(l);
      const s = byClaim.get(l.claim_id as string) ?? { b: 0, a: 0, p: 0 };
      byClaim.set(l.claim_id as string, { b: s.b + b, a: s.a + a, p: s.p + p });
    }
    expect(badLines).toEqual([]);
    const badClaims = out.claims.filter((c) => {
      const s = byClaim.get(c.claim_id as string)!;
      return (
        cents(c.billed_amount) !== s.b || cents(c.allowed_amount) !== s.a || cents(c.paid_amount) !== s.p ||
        cents(c.member_responsibility) !== s.a - s.p || (c.status === 'denied' && s.a !== 0)
      );
    });
    expect(badClaims).toEqual([]);
    const denied = out.claims.filter((c) => c.status === 'denied').length / out.claims.length;
    expect(denied).toBeGreaterThan(0.02);
    expect(denied).toBeLessThan(0.07);
  });

  it('makes claims over $10,000 a sensible minority (2–8%), mostly inpatient', () => {
    const big = out.claims.filter((c) => (c.billed_amount as number) > 10_000);
    const share = big.length / out.claims.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.08);
    expect(big.filter((c) => c.setting === 'inpatient').length / big.length).toBeGreaterThan(0.6);
    const ip = out.claims.filter((x) => x.setting === 'inpatient').map((c) => c.billed_amount as number);
    expect(ip.length).toBeGreaterThan(100);
    expect(ip.filter((b) => b < 8000 || b > 60000)).toEqual([]);
  });

  it('uses the place of service of each setting, known procedure codes and billable ICD-10-CM codes', () => {
    const pos: Record<string, string[]> = { office: ['11'], emergency: ['23'], inpatient: ['21'], outpatient_surgery: ['22', '24'], lab: ['81'] };
    expect(out.claims.filter((c) => !pos[c.setting as string].includes(c.place_of_service as string))).toEqual([]);
    const dx = new Set(out.claims.flatMap((c) => [1, 2, 3, 4].map((k) => c[`diagnosis_code_${k}`]).filter((x) => x !== null)));
    expect([...dx].filter((x) => !isBillable(x as string))).toEqual([]);
    expect(out.claim_lines.filter((l) => !isKnownProcedure(l.code as string))).toEqual([]);
    const codes = new Set(out.claim_lines.map((l) => l.code));
    for (const c of ['99213', '99214', '80053', '83036', '80061', '0120']) expect(codes.has(c)).toBe(true);
  });

  it('points claim lines only at diagnoses the claim has', () => {
    const dxCount = new Map(out.claims.map((c) => [c.claim_id, [1, 2, 3, 4].filter((k) => c[`diagnosis_code_${k}`] !== null).length]));
    const bad = out.claim_lines.filter((l) => String(l.diagnosis_pointers).split(',').map(Number).some((p) => !(p >= 1 && p <= dxCount.get(l.claim_id)!)));
    expect(bad).toEqual([]);
  });

  it('assigns plan types by plan_distribution within sampling error (HMO 40 / PPO 35 / PFFS 25)', () => {
    const n = (t: string) => out.members.filter((m) => m.plan_type === t).length / 1000;
    expect(Math.abs(n('HMO') - 0.4)).toBeLessThan(0.05);
    expect(Math.abs(n('PPO') - 0.35)).toBeLessThan(0.05);
    expect(Math.abs(n('PFFS') - 0.25)).toBeLessThan(0.05);
    const planType = new Map(out.plans.map((p) => [p.plan_id, p.plan_type]));
    expect(out.members.filter((m) => planType.get(m.plan_id) !== m.plan_type)).toEqual([]);
  });

  it('draws risk scores around 1.0, clamped to 0.3–6, higher with more chronic conditions', () => {
    const rs = out.members.map((m) => m.risk_score as number);
    expect(Math.min(...rs)).toBeGreaterThanOrEqual(0.3);
    expect(Math.max(...rs)).toBeLessThanOrEqual(6);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean(rs) - 1)).toBeLessThan(0.25);
    const byBurden = (pred: (n: number) => boolean) => mean(persons.filter((p) => pred(p.conditions.length)).map((p) => rs[p.index]));
    expect(byBurden((n) => n >= 3)).toBeGreaterThan(byBurden((n) => n === 0) + 0.2);
  });

  it('copies chronic conditions from the person and starts enrollment on the first of a month', () => {
    for (const p of persons.slice(0, 50)) {
      const m = out.members[p.index];
      expect(m.chronic_conditions).toBe(p.conditions.length ? p.conditions.map((c) => c.code).join(',') : null);
      expect((m.enrollment_start_date as string).endsWith('-01')).toBe(true);
    }
  });

  it('gives providers and facilities Luhn-valid NPI-shaped numbers', () => {
    expect(npiCheckDigit('123456789')).toBe(3); // the CMS example NPI 1234567893
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect([...out.providers, ...out.facilities].filter((r) => !isValidNpi(r.npi as string))).toEqual([]);
  });

  it('is deterministic and person i does not depend on other persons', () => {
    const small = makeContext(baseProfile(), 20);
    const ps = people(small, 20);
    const a = runProduct(membersimGenerator, small, ps);
    const b = runProduct(membersimGenerator, makeContext(baseProfile(), 20), people(makeContext(baseProfile(), 20), 20));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const { state } = membersimGenerator.shared(small);
    const alone = membersimGenerator.entity(small, makePerson(small, 7), state);
    expect(alone.claims).toEqual(a.claims.filter((c) => c.member_id === alone.members[0].member_id));
    expect(alone.members[0]).toEqual(a.members[7]);
  });
});
