import { describe, expect, it } from 'vitest';
import { membersimGenerator } from '../../src/generate/products/membersim/index.js';
import { mayIncludeChildren } from '../../src/generate/products/membersim/network.js';
import { preventiveVisitCode } from '../../src/generate/products/patientsim/visitTypes.js';
import { isKnownProcedure } from '../../src/reference/claims/procedures.js';
import { isBillable } from '../../src/reference/icd10.js';
import { baseProfile, checkIntegrity, makeContext, people, runProduct } from './helpers.js';
import { wellChildSchedule } from '../../src/generate/clinical/pediatrics.js';

const dayOf = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/** Members 0–17 (a Medicaid/CHIP plan): their claims are children's care, not Medicare's. */
const profile = baseProfile({ demographics: { age: { type: 'uniform', min: 0, max: 17 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['OH'] } } });
const ctx = makeContext(profile, 800);
const persons = people(ctx, 800, { minAge: 0, maxAge: 17 });
const out = runProduct(membersimGenerator, ctx, persons);
const age = new Map(out.members.map((m) => [m.member_id, m.age as number]));
const claimOf = new Map(out.claims.map((c) => [c.claim_id, c]));
const ageOfLine = (l: Record<string, unknown>) => age.get(claimOf.get(l.claim_id as string)!.member_id as string)!;
const birthOf = new Map(out.members.map((m) => [m.member_id, m.birth_date as string]));
/** Whole years of age on a date. */
function ageOn(birth: string, on: string): number {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = on.slice(0, 10).split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

describe('membersim for children', () => {
  it('keeps the tables whole, with known procedure codes and billable diagnoses', () => {
    expect(checkIntegrity(out)).toEqual([]);
    for (const l of out.claim_lines) expect(isKnownProcedure(l.code as string), String(l.code)).toBe(true);
    for (const c of out.claims) for (const k of [1, 2, 3, 4]) {
      const dx = c[`diagnosis_code_${k}`] as string | null;
      if (dx) expect(isBillable(dx), dx).toBe(true);
    }
  });

  it("bills no adult or Medicare service to a child (colonoscopy, knee replacement, Medicare flu codes, adult preventive visits, troponin)", () => {
    const adultOnly = ['G0008', '90662', 'G0438', 'G0439', '99395', '99396', '99397', '45378', '45380', '00811', '27447', '01402', '66984', '00142', '64483', '84484'];
    expect(out.claim_lines.filter((l) => adultOnly.includes(l.code as string)).map((l) => l.code)).toEqual([]);
  });

  it('well-child visits use the preventive code for the age; flu vaccines are children\'s doses with 90471', () => {
    const prev = out.claim_lines.filter((l) => /^9939[1-4]$/.test(l.code as string));
    expect(new Set(prev.map((l) => claimOf.get(l.claim_id as string)!.member_id)).size).toBeGreaterThan(400);
    for (const l of prev) {
      const c = claimOf.get(l.claim_id as string)!;
      expect(l.code).toBe(preventiveVisitCode(ageOn(birthOf.get(c.member_id as string)!, c.service_date as string)));
    }
    const flu = out.claim_lines.filter((l) => l.code === '90685' || l.code === '90686');
    expect(flu.length).toBeGreaterThan(200);
    for (const l of flu) expect(l.code).toBe(ageOfLine(l) < 3 ? '90685' : '90686');
    expect(out.claim_lines.filter((l) => l.code === '90471').length).toBe(flu.length);
  });

  it('a pediatrician is the usual doctor: the network has pediatricians and ENT surgeons because members can be children', () => {
    expect(out.providers.some((p) => p.taxonomy_code === '208000000X' && p.specialty === 'Pediatrics')).toBe(true);
    expect(out.providers.some((p) => p.taxonomy_code === '207Y00000X' && p.specialty === 'Otolaryngology')).toBe(true);
    const office = out.claims.filter((c) => c.setting === 'office' && c.provider_id);
    const pediatric = office.filter((c) => String(out.providers.find((p) => p.provider_id === c.provider_id)?.specialty).includes('Pediatrics'));
    expect(pediatric.length / office.length).toBeGreaterThan(0.6);
    expect(mayIncludeChildren({ type: 'uniform', min: 0, max: 17 })).toBe(true);
    expect(mayIncludeChildren({ type: 'normal', mean: 72, std_dev: 6, min: 65, max: 95 })).toBe(false);
    expect(mayIncludeChildren({ type: 'normal', mean: 30, std_dev: 5 })).toBe(true);
    expect(mayIncludeChildren(undefined)).toBe(false);
  });

  it("emergency visits are children's (no chest pain work-up with ECG and troponin)", () => {
    const ed = out.claims.filter((c) => c.setting === 'emergency');
    expect(ed.length).toBeGreaterThan(30);
    for (const c of ed) expect(['R07.9', 'R06.02', 'R55', 'R42', 'M54.50']).not.toContain(c.diagnosis_code_1);
  });
});

describe('an adult network is unchanged by children\'s specialties', () => {
  it('has no pediatricians when no member can be under 18', () => {
    const adults = runProduct(membersimGenerator, makeContext(baseProfile(), 50), people(makeContext(baseProfile(), 50), 50));
    expect(adults.providers.filter((p) => String(p.specialty).includes('Pediatrics'))).toEqual([]);
  });
});

describe('membersim for infants and toddlers', () => {
  const p = baseProfile({ demographics: { age: { type: 'uniform', min: 0, max: 2 }, gender: { male: 0.5, female: 0.5 }, geography: { kind: 'state', states: ['OH'] } } });
  const c = makeContext(p, 500);
  const o = runProduct(membersimGenerator, c, people(c, 500, { minAge: 0, maxAge: 2 }));
  const members = new Map(o.members.map((m) => [m.member_id as string, m]));
  const claims = new Map(o.claims.map((x) => [x.claim_id as string, x]));

  it('coverage starts no earlier than birth, and no claim is before it', () => {
    for (const m of o.members) expect(m.enrollment_start_date as string >= (m.birth_date as string), String(m.member_id)).toBe(true);
    const early = o.claims.filter((x) => (x.service_date as string) < (members.get(x.member_id as string)!.birth_date as string));
    expect(early).toEqual([]);
    expect(o.members.filter((m) => m.enrollment_start_date === m.birth_date).length).toBeGreaterThan(100); // born during the years a plan would otherwise cover
  });

  it('well-child claims follow the Bright Futures schedule, with blood lead at 12 and 24 months only', () => {
    const prev = o.claim_lines.filter((l) => /^9939[12]$/.test(l.code as string)).map((l) => claims.get(l.claim_id as string)!);
    const perMember = prev.length / o.members.length;
    expect(perMember).toBeGreaterThan(2.4); // ≈ 3 in the last year for ages 0–2 (11 visits in the first 30 months), kept by 90 %, within coverage
    expect(perMember).toBeLessThan(4.5);
    for (const x of prev) {
      const m = members.get(x.member_id as string)!;
      const onSchedule = wellChildSchedule(dayOf(m.birth_date as string), 0, 1e6).some((v) => v.day === dayOf(x.service_date as string));
      expect(onSchedule, `${x.claim_id} ${x.service_date}`).toBe(true);
    }
    const lead = o.claim_lines.filter((l) => l.code === '83655').map((l) => claims.get(l.claim_id as string)!);
    expect(lead.length).toBeGreaterThan(50);
    for (const x of lead) {
      const months = Math.round((dayOf(x.service_date as string) - dayOf(members.get(x.member_id as string)!.birth_date as string)) / 30.4375);
      expect([12, 24]).toContain(months);
    }
    expect(prev.some((x) => x.diagnosis_code_1 === 'Z00.110')).toBe(true); // the newborn visit
  });
});
