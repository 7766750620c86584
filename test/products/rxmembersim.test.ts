import { describe, expect, it } from 'vitest';
import { rxmembersimGenerator } from '../../src/generate/products/rxmembersim/index.js';
import { membersimGenerator } from '../../src/generate/products/membersim/index.js';
import { DISPENSABLE_PRODUCTS } from '../../src/reference/claims/ndc.js';
import { findDrug } from '../../src/reference/rxnorm.js';
import type { PharmacySpec } from '../../src/spec/types.js';
import { allDates, baseProfile, cents, checkIntegrity, makeContext, makePerson, people, REF_DATE, runProduct } from './helpers.js';

const profile = baseProfile({ product: 'rxmembersim', products: ['rxmembersim'] });
const ctx = makeContext(profile, 500);
const persons = people(ctx, 500);
const out = runProduct(rxmembersimGenerator, ctx, persons);
const fills = out.pharmacy_claims;

function pharmacy(over: Partial<PharmacySpec>): PharmacySpec {
  return {
    adherence: { type: 'constant', value: 0.8 }, ninety_day_rate: 0.35, drugs: [],
    tier_copays: { '1': 2, '2': 10, '3': 47, '4': 100, '5': 150 }, months: 12, ...over,
  };
}

describe('rxmembersim', () => {
  it('writes the model columns, resolvable keys, and nothing after the reference date', () => {
    expect(checkIntegrity(out)).toEqual([]);
    expect(allDates(out).filter((d) => d.value > REF_DATE)).toEqual([]);
    expect(fills.length).toBeGreaterThan(2000);
    expect(fills.filter((f) => (f.fill_date as string) < '2024-01-02')).toEqual([]);
  });

  it('prices fills: paid = ingredient + fee − copay (rejections pay nothing), copays by tier', () => {
    const bad = fills.filter((f) => {
      const total = cents(f.ingredient_cost) + cents(f.dispensing_fee);
      if (f.status === 'rejected') return cents(f.paid_amount) !== 0 || cents(f.copay_amount) !== 0;
      return cents(f.paid_amount) !== total - cents(f.copay_amount) || cents(f.paid_amount) < 0;
    });
    expect(bad).toEqual([]);
    const lis = new Set(out.members.filter((m) => m.low_income_subsidy).map((m) => m.member_id));
    const tier1 = fills.filter((f) => f.formulary_tier === 1 && f.days_supply === 30 && f.status === 'paid' && !lis.has(f.member_id));
    expect(tier1.length).toBeGreaterThan(100);
    expect(tier1.filter((f) => (f.copay_amount as number) > 2)).toEqual([]);
    const st = (s: string) => fills.filter((f) => f.status === s).length / fills.length;
    expect(st('reversed')).toBeGreaterThan(0.005);
    expect(st('reversed')).toBeLessThan(0.05);
    expect(st('rejected')).toBeLessThan(0.03);
  });

  it('fills 90-day supplies at about ninety_day_rate and numbers refills from 0', () => {
    expect(new Set(fills.map((f) => f.days_supply))).toEqual(new Set([28, 30, 84, 90]));
    const long = fills.filter((f) => (f.days_supply as number) >= 84).length / fills.length;
    expect(long).toBeGreaterThan(0.15); // 35% of member-drugs, fewer fills each
    expect(long).toBeLessThan(0.35);
    const seq = new Map<string, number[]>();
    for (const f of fills.filter((x) => x.status === 'paid')) {
      const k = `${f.member_id}|${f.drug_name}`;
      (seq.get(k) ?? seq.set(k, []).get(k)!).push(f.refill_number as number);
    }
    const broken = [...seq.values()].filter((s) => s[0] !== 0 || s.some((r, k) => k > 0 && r !== s[k - 1] + 1 && r !== 0));
    expect(broken).toEqual([]);
  });

  it('drives drugs from conditions and uses only verified NDCs with matching RxNorm codes', () => {
    const byMember = new Map(out.members.map((m) => [m.member_id, String(m.chronic_conditions ?? '')]));
    const metformin = fills.filter((f) => String(f.drug_name).startsWith('metformin'));
    expect(metformin.length).toBeGreaterThan(100);
    expect(metformin.filter((f) => !byMember.get(f.member_id)!.includes('E11'))).toEqual([]);
    const products = new Map(DISPENSABLE_PRODUCTS.map((p) => [p.drugName, p]));
    expect(fills.filter((f) => products.get(f.drug_name as string)?.ndc !== f.ndc || products.get(f.drug_name as string)?.rxcui !== f.rxnorm_code)).toEqual([]);
    for (const p of DISPENSABLE_PRODUCTS) {
      if (p.ndc !== null) expect(p.ndc).toMatch(/^\d{11}$/);
      expect(p.ndc === null).toBe(p.ndcSource === 'unverified');
      const rx = findDrug(p.ingredient);
      if (rx) expect(rx.rxcui).toBe(p.rxcui);
    }
  });

  it('follows adherence: members at PDC 0.5 fill less often than at PDC 1.0', () => {
    const spec = (pdc: number) => baseProfile({ product: 'rxmembersim', products: ['rxmembersim'], pharmacy: pharmacy({ adherence: { type: 'constant', value: pdc }, ninety_day_rate: 0, drugs: [{ name: 'metformin', prevalence: 1 }] }) });
    const count = (pdc: number) => {
      const c = makeContext(spec(pdc), 100);
      return runProduct(rxmembersimGenerator, c, people(c, 100)).pharmacy_claims.filter((f) => f.status === 'paid').length;
    };
    const full = count(1);
    const half = count(0.5);
    expect(full / 100).toBeGreaterThan(8); // ≤ 12 monthly fills a year (new starts, stops, short enrollment)
    expect(half / full).toBeGreaterThan(0.4);
    expect(half / full).toBeLessThan(0.7);
  });

  it('honours pharmacy.drugs with an `if` condition', () => {
    const p = baseProfile({ product: 'rxmembersim', products: ['rxmembersim'], pharmacy: pharmacy({ drugs: [{ name: 'Ozempic', prevalence: 1, if: 'E11' }] }) });
    const c = makeContext(p, 100);
    const ps = people(c, 100);
    const rows = runProduct(rxmembersimGenerator, c, ps).pharmacy_claims;
    const diabetic = new Set(ps.filter((x) => x.conditions.some((k) => k.code.startsWith('E11'))).map((x) => `T1-MBR${String(x.index + 1).padStart(7, '0')}`));
    expect(new Set(rows.map((r) => r.drug_name))).toEqual(new Set(['Ozempic (semaglutide) 2 mg/3 mL pen (0.25 or 0.5 mg dose)']));
    expect(new Set(rows.map((r) => r.member_id))).toEqual(diabetic);
    expect(new Set(rows.map((r) => r.ndc))).toEqual(new Set(['00169413212']));
  });

  it('writes the same member row as membersim for the same person, deterministically and per person', () => {
    const m = makeContext(baseProfile(), 30);
    const ms = runProduct(membersimGenerator, m, people(m, 30));
    const r = makeContext(profile, 30);
    const rx = runProduct(rxmembersimGenerator, r, people(r, 30));
    expect(rx.members).toEqual(ms.members);
    const again = runProduct(rxmembersimGenerator, makeContext(profile, 30), people(makeContext(profile, 30), 30));
    expect(JSON.stringify(again)).toBe(JSON.stringify(rx));
    const { state } = rxmembersimGenerator.shared(r);
    const alone = rxmembersimGenerator.entity(r, makePerson(r, 11), state);
    expect(alone.pharmacy_claims).toEqual(rx.pharmacy_claims.filter((f) => f.member_id === alone.members[0].member_id));
  });
});
