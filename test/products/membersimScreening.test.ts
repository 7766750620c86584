import { describe, expect, it } from 'vitest';
import { membersimGenerator } from '../../src/generate/products/membersim/index.js';
import { appliesTo } from '../../src/reference/icd10Edits.js';
import { isKnownProcedure } from '../../src/reference/claims/procedures.js';
import { DEFAULT_COVERAGE } from '../../src/spec/profile-defaults.js';
import { baseProfile, checkIntegrity, makeContext, people, runProduct } from './helpers.js';

const run = (lob: string, n: number, minAge: number, maxAge: number) => {
  const profile = baseProfile({
    demographics: { age: { type: 'uniform', min: minAge, max: maxAge }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['PA'] } },
    coverage: { ...DEFAULT_COVERAGE, plan_distribution: { PPO: 1 }, line_of_business: lob },
  });
  const ctx = makeContext(profile, n);
  return runProduct(membersimGenerator, ctx, people(ctx, n, { minAge, maxAge }));
};

describe('cancer screening claims follow sex and age (USPSTF)', () => {
  const out = run('commercial', 2000, 18, 85);
  const member = new Map(out.members.map((m) => [m.member_id, m]));
  const claimOf = new Map(out.claims.map((c) => [c.claim_id, c]));
  const withCode = (code: string) => out.claim_lines.filter((l) => l.code === code).map((l) => member.get(claimOf.get(l.claim_id)!.member_id)!);

  it('keeps the tables whole; every claim diagnosis fits its member’s sex and age', () => {
    expect(checkIntegrity(out)).toEqual([]);
    for (const l of out.claim_lines) expect(isKnownProcedure(l.code as string), String(l.code)).toBe(true);
    for (const c of out.claims) {
      const m = member.get(c.member_id)!;
      for (const k of [1, 2, 3, 4]) {
        const dx = c[`diagnosis_code_${k}`] as string | null;
        if (dx) expect(appliesTo(dx, m.sex as 'M' | 'F', m.age as number), `${dx} for ${m.sex} ${m.age}`).toBe(true);
      }
    }
  });

  it('screening mammograms for women from 40, cervical cytology for women of 21–65, PSA for men from 50', () => {
    const mammo = withCode('77067');
    expect(mammo.every((m) => m.sex === 'F' && (m.age as number) >= 40)).toBe(true);
    const women4074 = out.members.filter((m) => m.sex === 'F' && (m.age as number) >= 40 && (m.age as number) <= 74).length;
    const rate = mammo.filter((m) => (m.age as number) <= 74).length / women4074;
    expect(rate).toBeGreaterThan(0.25); // ≈ 0.42 a year, less for members enrolled part of the window
    expect(rate).toBeLessThan(0.55);
    const pap = withCode('88175');
    expect(pap.length).toBeGreaterThan(50);
    expect(pap.every((m) => m.sex === 'F' && (m.age as number) >= 21 && (m.age as number) <= 65)).toBe(true);
    const psa = withCode('84153');
    expect(psa.length).toBeGreaterThan(50);
    expect(psa.every((m) => m.sex === 'M' && (m.age as number) >= 50)).toBe(true);
    expect(withCode('G0103')).toEqual([]); // commercial
  });

  it('Medicare bills a screening PSA from 65 as G0103', () => {
    const medicare = run('medicare_advantage', 600, 65, 80);
    const codes = new Set(medicare.claim_lines.map((l) => l.code));
    expect(codes.has('G0103')).toBe(true);
    expect(codes.has('84153')).toBe(false);
  });
});
