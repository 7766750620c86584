/**
 * Prior-authorization reference data (seed 002) for a patientsim dataset with
 * `profile.prior_auth`: payers, one plan per payer, the diabetes/obesity drugs, plan × drug
 * coverage (covered ≈ 85%, PA ≈ 65% of covered, step therapy through metformin, tiers, copays,
 * quantity limits), payer PA form templates and policy documents. Patients are assigned a plan
 * with `assignPlan`, from their own entity stream.
 */
import type { Row, TableDef } from '../../../model/types.js';
import { drugs } from '../../../model/tables/drugs.js';
import { paForms } from '../../../model/tables/pa_forms.js';
import { paPolicies } from '../../../model/tables/pa_policies.js';
import { payers } from '../../../model/tables/payers.js';
import { planDrugCoverage } from '../../../model/tables/plan_drug_coverage.js';
import { plans } from '../../../model/tables/plans.js';
import type { PriorAuthSpec } from '../../../spec/types.js';
import type { Person } from '../../person.js';
import type { GenerateContext } from '../../types.js';
import { DEFAULT_PA_DRUG_KEYS, paDrug, type PaDrug } from '../../../reference/claims/paDrugs.js';
import { PLAN_NAME_TIERS, SYNTHETIC_PAYERS } from '../../../reference/claims/payers.js';
import { pad, pickWeighted, yearOf } from '../membersim/common.js';
import { fieldCount, formSections, policyText } from './documents.js';

export const DEFAULT_PRIOR_AUTH: PriorAuthSpec = {
  payers: 10,
  drugs: [...DEFAULT_PA_DRUG_KEYS],
  coverage_rate: 0.85,
  pa_rate: 0.65,
  step_therapy_rate: 0.6,
  policies: 6,
};

/** Drugs whose policies are written first (the seed's policy files cover Ozempic and Trulicity). */
const POLICY_PRIORITY = ['ozempic', 'trulicity', 'mounjaro', 'wegovy', 'jardiance', 'farxiga', 'victoza', 'saxenda', 'invokana', 'januvia', 'zepbound', 'rybelsus'];

export interface PriorAuthState {
  spec: PriorAuthSpec;
  plan_ids: string[];
  drugs: { drug_id: string; drug: PaDrug }[];
}

export function priorAuthSpecOf(ctx: GenerateContext): PriorAuthSpec {
  return ctx.req.profile.prior_auth ?? DEFAULT_PRIOR_AUTH;
}

/** Tables a dataset with prior-authorization data adds. */
export function priorAuthTables(_ctx?: GenerateContext): TableDef[] {
  return [payers, plans, drugs, planDrugCoverage, paForms, paPolicies];
}

const PLAN_KINDS: readonly { type: string; lob: string; weight: number }[] = [
  { type: 'PPO', lob: 'Commercial', weight: 35 },
  { type: 'HMO', lob: 'Commercial', weight: 25 },
  { type: 'PDP', lob: 'Part D', weight: 20 },
  { type: 'HMO', lob: 'Medicaid', weight: 20 },
];

function payerName(k: number): string {
  const base = SYNTHETIC_PAYERS[k % SYNTHETIC_PAYERS.length].name;
  return k < SYNTHETIC_PAYERS.length ? base : `${base} ${Math.floor(k / SYNTHETIC_PAYERS.length) + 1}`;
}

function round5(x: number): number {
  return Math.round(x / 5) * 5;
}

export function priorAuthShared(ctx: GenerateContext): { state: PriorAuthState; rows: Record<string, Row[]> } {
  const spec = priorAuthSpecOf(ctx);
  const rng = ctx.streams.shared('prior-auth');
  const ns = ctx.nsToken;

  const drugList: PriorAuthState['drugs'] = [];
  const seen = new Set<string>();
  for (const name of spec.drugs.length > 0 ? spec.drugs : DEFAULT_PA_DRUG_KEYS) {
    const drug = paDrug(name);
    if (!drug || seen.has(drug.key)) continue;
    seen.add(drug.key);
    drugList.push({ drug_id: `${ns}-DRG-${drug.key.toUpperCase()}`, drug });
  }
  const drugRows: Row[] = drugList.map(({ drug_id, drug }) => ({
    drug_id, brand_name: drug.brand, generic_name: drug.generic, rxnorm_code: drug.rxcui, drug_class: drug.drugClass, route: drug.route, indication: drug.indication,
  }));

  const payerRows: Row[] = [];
  const planRows: Row[] = [];
  const formRows: Row[] = [];
  const planIds: string[] = [];
  const planNames = new Map<string, { payer: string; plan: string; lob: string }>();
  for (let k = 0; k < spec.payers; k++) {
    const payer_id = `${ns}-PAPAY${pad(k + 1, 2)}`;
    const name = payerName(k);
    const kind = PLAN_KINDS[Number(pickWeighted(rng, Object.fromEntries(PLAN_KINDS.map((p, n) => [String(n), p.weight]))))];
    payerRows.push({ payer_id, name, payer_type: kind.lob === 'Part D' ? 'PBM' : kind.lob === 'Medicaid' ? 'Medicaid managed care' : 'Commercial', state: null });
    const plan_id = `${ns}-PAPLN${pad(k + 1, 2)}`;
    const planName = `${name.replace(/ (Health Plan|Health|Health Partners|Health Alliance|Health Cooperative|Community Health Plan|Family Health Plan|Senior Health)$/, '')} ${kind.lob === 'Part D' ? 'Rx' : kind.lob} ${kind.type} ${PLAN_NAME_TIERS[rng.int(0, PLAN_NAME_TIERS.length - 1)]}`;
    planIds.push(plan_id);
    planNames.set(plan_id, { payer: name, plan: planName, lob: kind.lob });
    planRows.push({
      plan_id, payer_id, plan_name: planName, plan_type: kind.type, line_of_business: kind.lob,
      monthly_premium: kind.lob === 'Medicaid' ? 0 : kind.lob === 'Part D' ? Math.round((15 + rng.next() * 60) * 100) / 100 : Math.round((380 + rng.next() * 320) * 100) / 100,
    });
    const sections = formSections(rng);
    const method = pickWeighted(rng, { fax: 40, portal: 35, phone: 15, mail: 10 });
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const target =
      method === 'portal' ? `https://pa.${slug}.example/submit`
      : method === 'mail' ? `${name}, Pharmacy Prior Authorization, PO Box ${rng.int(1000, 9999)}`
      : `(800) 555-01${pad(rng.int(0, 99), 2)}`;
    formRows.push({
      form_id: `${ns}-PAFRM${pad(k + 1, 2)}`, payer_id, form_name: `${name} Pharmacy Prior Authorization Request`,
      submission_method: method, submission_target: target, sections: JSON.stringify(sections), field_count: fieldCount(sections),
    });
  }

  const coverageRows: Row[] = [];
  const coverageByPair = new Map<string, Row>();
  planIds.forEach((plan_id, p) => {
    const lob = planNames.get(plan_id)!.lob;
    drugList.forEach(({ drug_id, drug }, q) => {
      const covered = rng.chance(spec.coverage_rate);
      const pa = covered && rng.chance(spec.pa_rate);
      const step = pa && drug.use === 'diabetes' && rng.chance(spec.step_therapy_rate);
      const stepDrugs = step ? (drug.drugClass.includes('GLP-1') && rng.chance(0.3) ? 'metformin; an SGLT2 inhibitor or DPP-4 inhibitor' : 'metformin') : null;
      const preferred = rng.chance(0.55);
      const tier = !covered ? null : lob === 'Medicaid' ? (preferred ? 2 : 3) : preferred ? 3 : 4;
      const copay = tier === null ? null : lob === 'Medicaid' ? (preferred ? 0 : 4) : tier === 3 ? round5(35 + rng.next() * 30) : round5(80 + rng.next() * 70);
      const ql = covered && rng.chance(0.85) ? drug.quantityLimit : null;
      const criteria = !covered
        ? 'Not on formulary; a formulary exception request is required.'
        : !pa
          ? 'No prior authorization required.'
          : drug.use === 'diabetes'
            ? `Type 2 diabetes (E11.x) with HbA1c ≥ 7.0%${step ? `; trial of ${stepDrugs} ≥ 90 days or contraindication` : ''}.`
            : 'BMI ≥ 30, or ≥ 27 with a weight-related comorbidity; 6 months of lifestyle modification.';
      const row: Row = {
        coverage_id: `${ns}-PACOV${pad(p + 1, 2)}${pad(q + 1, 2)}`, plan_id, drug_id, covered, pa_required: pa, step_therapy: step,
        step_therapy_drugs: stepDrugs, tier, copay_amount: copay, quantity_limit: ql, approval_criteria: criteria,
      };
      coverageRows.push(row);
      coverageByPair.set(`${plan_id}|${drug.key}`, row);
    });
  });

  const effectiveDay = Math.floor(Date.UTC(yearOf(ctx.refDay), 0, 1) / 86_400_000);
  const effectiveDate = new Date(effectiveDay * 86_400_000).toISOString().slice(0, 10);
  const policyRows: Row[] = [];
  const ordered = [...drugList].sort((a, b) => rank(a.drug.key) - rank(b.drug.key));
  outer: for (const { drug_id, drug } of ordered) {
    for (const plan_id of planIds) {
      if (policyRows.length >= spec.policies) break outer;
      const cov = coverageByPair.get(`${plan_id}|${drug.key}`)!;
      if (!cov.pa_required) continue;
      // at most three plans per drug (or more when policies outnumber drugs × 3), so the documents cover several drugs
      if (policyRows.filter((r) => r.drug_id === drug_id).length >= Math.max(3, Math.ceil(spec.policies / Math.max(1, drugList.length)))) continue outer;
      const names = planNames.get(plan_id)!;
      const months = rng.chance(0.5) ? 12 : 6;
      policyRows.push({
        policy_id: `${ns}-PAPOL${pad(policyRows.length + 1, 3)}`, plan_id, drug_id,
        title: `${drug.brand} (${drug.generic}) Prior Authorization — ${names.plan}`,
        effective_date: effectiveDate, authorization_months: months,
        text: policyText({
          payerName: names.payer, planName: names.plan, drug, stepDrugs: cov.step_therapy_drugs as string | null,
          quantityLimit: cov.quantity_limit as string | null, authorizationMonths: months, effectiveDate,
          a1cThreshold: rng.chance(0.7) ? 7.0 : 6.5, appealDays: rng.chance(0.5) ? 60 : 180,
        }),
      });
    }
  }

  return {
    state: { spec, plan_ids: planIds, drugs: drugList },
    rows: { payers: payerRows, plans: planRows, drugs: drugRows, plan_drug_coverage: coverageRows, pa_forms: formRows, pa_policies: policyRows },
  };
}

function rank(key: string): number {
  const k = POLICY_PRIORITY.indexOf(key);
  return k < 0 ? POLICY_PRIORITY.length : k;
}

/** The plan a patient is enrolled in (uniform over plans, from the patient's own stream). */
export function assignPlan(ctx: GenerateContext, person: Person, state: PriorAuthState): string {
  const rng = ctx.streams.entity(person.index, 'prior_auth:plan');
  return state.plan_ids[rng.int(0, state.plan_ids.length - 1)];
}
