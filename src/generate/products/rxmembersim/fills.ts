/**
 * Pharmacy fills for one member: which products they take (from the pharmacy spec or from their
 * conditions) and the fill history over the window — fills every days_supply + gap days, where
 * the gap follows from the member's proportion of days covered (PDC), 90-day fills at
 * ninety_day_rate, refill numbers reset by a new prescription each year, tier copays (LIS
 * amounts for low-income-subsidy members), a few reversals and rejections.
 */
import type { Row } from '../../../model/types.js';
import type { MedicationSpec, PharmacySpec } from '../../../spec/types.js';
import type { Person } from '../../person.js';
import type { Rng } from '../../rng.js';
import type { GenerateContext } from '../../types.js';
import { findDrug } from '../../../reference/rxnorm.js';
import { dispensableProduct, productsForIngredient, type DispensableProduct } from '../../../reference/claims/ndc.js';
import type { Enrollment } from '../membersim/enrollment.js';
import { facilitiesFor, providersFor, type NetworkState } from '../membersim/network.js';
import { clamp, dollars, hasConditionPrefix, isoDate, pad, sampleDistribution } from '../membersim/common.js';

export const DEFAULT_PHARMACY: PharmacySpec = {
  adherence: { type: 'normal', mean: 0.8, std_dev: 0.15, min: 0.2, max: 1 },
  ninety_day_rate: 0.35,
  drugs: [],
  tier_copays: { '1': 2, '2': 10, '3': 47, '4': 100, '5': 150 },
  months: 12,
};

/** 2025 Part D low-income-subsidy copays (USD): generic / brand. */
const LIS_COPAY = { generic: 4.9, brand: 12.15 };
const REVERSAL_RATE = 0.02;
const REJECTION_RATE = 0.01;
const DISCONTINUE_PER_FILL = 0.015;

/** Condition-driven regimens: ICD-10-CM prefix → products with independent probabilities. */
const REGIMENS: readonly { prefix: string; products: readonly [string, number][] }[] = [
  { prefix: 'E11', products: [['metformin_1000', 0.62], ['metformin_500', 0.13], ['insulin_glargine_pen', 0.18], ['semaglutide_2mg_3ml', 0.14], ['empagliflozin_10', 0.12], ['glipizide_5', 0.12], ['sitagliptin_100', 0.08], ['dapagliflozin_10', 0.06], ['dulaglutide_075', 0.06], ['tirzepatide_25', 0.05]] },
  { prefix: 'E10', products: [['insulin_glargine_pen', 0.95]] },
  { prefix: 'E78', products: [['atorvastatin_20', 0.5], ['atorvastatin_10', 0.12], ['rosuvastatin_10', 0.15]] },
  { prefix: 'I10', products: [['lisinopril_10', 0.4], ['amlodipine_5', 0.3], ['losartan_50', 0.25]] },
  { prefix: 'I50', products: [['carvedilol_125', 0.5], ['furosemide_40', 0.6], ['metoprolol_succ_50', 0.2], ['empagliflozin_10', 0.15]] },
  { prefix: 'I48', products: [['apixaban_5', 0.6], ['metoprolol_succ_50', 0.4]] },
  { prefix: 'J44', products: [['tiotropium_18', 0.5], ['albuterol_hfa', 0.7]] },
  { prefix: 'N18', products: [['losartan_50', 0.3], ['dapagliflozin_10', 0.1]] },
];

/** Resolve a spec medication name (product key, ingredient key/name or brand) to a product. */
export function productForName(name: string): DispensableProduct | undefined {
  const direct = dispensableProduct(name);
  if (direct) return direct;
  const drug = findDrug(name);
  const key = drug?.key ?? name.trim().toLowerCase().replace(/[\s/-]+/g, '_');
  return productsForIngredient(key)[0];
}

/** `if` support: 'E11' or 'has:E11' (condition prefix); any other expression is treated as true. */
function conditionHolds(expr: string | undefined, codes: readonly string[]): boolean {
  if (!expr) return true;
  const m = /^(?:has:)?\s*([A-Z][0-9][0-9A-Z.]*)\s*$/i.exec(expr.trim());
  return m ? hasConditionPrefix(codes, m[1]) : true;
}

export function regimenFor(rng: Rng, person: Person, drugs: readonly MedicationSpec[]): DispensableProduct[] {
  const codes = person.conditions.map((c) => c.code);
  const picked: DispensableProduct[] = [];
  const add = (p: DispensableProduct | undefined) => {
    if (p && !picked.some((x) => x.key === p.key)) picked.push(p);
  };
  if (drugs.length > 0) {
    for (const d of drugs) {
      const take = rng.chance(d.prevalence); // always draw, so one drug's condition never shifts the next draw
      if (take && conditionHolds(d.if, codes)) add(productForName(d.name));
    }
    return picked;
  }
  for (const r of REGIMENS) {
    const applies = hasConditionPrefix(codes, r.prefix);
    for (const [key, p] of r.products) {
      const take = rng.chance(p);
      if (applies && take) add(dispensableProduct(key));
    }
  }
  // metformin 500 and 1000 are alternatives
  if (picked.some((p) => p.key === 'metformin_1000')) return picked.filter((p) => p.key !== 'metformin_500');
  return picked;
}

interface Fill {
  day: number;
  product: DispensableProduct;
  drugOrder: number;
  ninety: boolean;
  refill: number;
  status: 'paid' | 'reversed' | 'rejected';
}

export function pharmacyClaimsFor(
  ctx: GenerateContext,
  person: Person,
  e: Enrollment,
  net: NetworkState,
  spec: PharmacySpec,
  window: { startDay: number; endDay: number },
): Row[] {
  const rng = ctx.streams.entity(person.index, 'pharmacy');
  const regimen = regimenFor(rng, person, spec.drugs);
  const span = window.endDay - window.startDay + 1;
  if (span <= 0 || regimen.length === 0) return [];

  const pharmacies = facilitiesFor(net, 'pharmacy', person.state);
  const homePharmacy = pharmacies.length > 0 ? pharmacies[rng.int(0, pharmacies.length - 1)] : null;
  const pcps = providersFor(net, rng.chance(0.5) ? 'internal_medicine' : 'family_medicine', person.state);
  const prescriber = pcps.length > 0 ? pcps[rng.int(0, pcps.length - 1)] : null;
  const pdc = clamp(sampleDistribution(spec.adherence, rng), 0.05, 1);

  const fills: Fill[] = [];
  regimen.forEach((product, drugOrder) => {
    const ninety = rng.chance(spec.ninety_day_rate);
    const ds = product.standardDays * (ninety ? 3 : 1);
    const meanGap = ds * (1 / pdc - 1);
    let day = rng.chance(0.75) ? window.startDay + rng.int(0, ds - 1) : window.startDay + rng.int(0, span - 1);
    let rxStart = day;
    let refill = 0;
    while (day <= window.endDay) {
      if (day - rxStart >= 365) {
        rxStart = day;
        refill = 0;
      }
      const u = rng.next();
      if (u < REJECTION_RATE) {
        fills.push({ day, product, drugOrder, ninety, refill, status: 'rejected' });
        day += rng.int(1, 2);
        if (day > window.endDay) break;
      } else if (u < REJECTION_RATE + REVERSAL_RATE) {
        fills.push({ day, product, drugOrder, ninety, refill, status: 'reversed' });
        day += rng.int(1, 3);
        if (day > window.endDay) break;
      }
      fills.push({ day, product, drugOrder, ninety, refill, status: 'paid' });
      refill++;
      if (rng.chance(DISCONTINUE_PER_FILL)) break;
      const gap = meanGap > 0 ? Math.round(-Math.log(1 - rng.next()) * meanGap) : 0;
      day += ds + gap;
    }
  });

  fills.sort((a, b) => a.day - b.day || a.drugOrder - b.drugOrder);
  const copays = spec.tier_copays;
  return fills.map((f, k): Row => {
    const qty = f.product.quantity * (f.ninety ? 3 : 1);
    const ingredient = Math.round(qty * f.product.unitCost * (0.95 + rng.next() * 0.1) * 100);
    const fee = f.product.brand ? rng.int(150, 300) : rng.int(100, 250);
    const total = ingredient + fee;
    const tierCopay = Math.round((copays[String(f.product.tier)] ?? copays['3'] ?? 0) * 100) * (f.ninety ? 2 : 1);
    const lisCopay = Math.round((f.product.brand ? LIS_COPAY.brand : LIS_COPAY.generic) * 100);
    const copay = f.status === 'rejected' ? 0 : Math.min(total, e.lis ? Math.min(lisCopay, tierCopay) : tierCopay);
    const paid = f.status === 'rejected' ? 0 : total - copay;
    const pharmacy = homePharmacy && (pharmacies.length === 1 || rng.chance(0.85)) ? homePharmacy : pharmacies.length > 0 ? pharmacies[rng.int(0, pharmacies.length - 1)] : null;
    return {
      pharmacy_claim_id: `${e.member_id}-RX${pad(k + 1, 4)}`,
      member_id: e.member_id,
      fill_date: isoDate(f.day),
      ndc: f.product.ndc,
      rxnorm_code: f.product.rxcui,
      drug_name: f.product.drugName,
      therapeutic_class: f.product.therapeuticClass,
      quantity: qty,
      days_supply: f.product.standardDays * (f.ninety ? 3 : 1),
      refill_number: f.refill,
      pharmacy_npi: pharmacy?.npi ?? null,
      prescriber_npi: prescriber?.npi ?? null,
      formulary_tier: f.product.tier,
      ingredient_cost: dollars(ingredient),
      dispensing_fee: dollars(fee),
      copay_amount: dollars(copay),
      paid_amount: dollars(paid),
      status: f.status,
    };
  });
}
