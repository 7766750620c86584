/**
 * Text and JSON documents of the prior-authorization dataset: payer form templates (sections
 * with fields) and policy documents (coverage criteria, documentation, quantity limits,
 * authorization period, renewal, exclusions, appeals). Wording is our own.
 */
import type { Rng } from '../../rng.js';
import type { PaDrug } from '../../../reference/claims/paDrugs.js';

export interface FormSection {
  section: string;
  fields: { name: string; type: 'text' | 'date' | 'number' | 'checkbox' | 'select' | 'signature'; required: boolean }[];
}

const f = (name: string, type: FormSection['fields'][number]['type'], required = true) => ({ name, type, required });

const CORE_SECTIONS: readonly FormSection[] = [
  {
    section: 'Patient Information',
    fields: [f('Patient name', 'text'), f('Date of birth', 'date'), f('Member ID', 'text'), f('Group number', 'text', false), f('Phone', 'text', false)],
  },
  {
    section: 'Prescriber Information',
    fields: [f('Prescriber name', 'text'), f('NPI', 'text'), f('Specialty', 'text', false), f('Phone', 'text'), f('Fax', 'text'), f('Office contact', 'text', false)],
  },
  {
    section: 'Medication Information',
    fields: [f('Medication name', 'text'), f('Strength', 'text'), f('Directions for use', 'text'), f('Quantity', 'number'), f('Days supply', 'number'), f('New start or continuation', 'select')],
  },
  {
    section: 'Clinical Information',
    fields: [f('Primary diagnosis (ICD-10-CM)', 'text'), f('Most recent HbA1c (%)', 'number', false), f('HbA1c date', 'date', false), f('Current BMI (kg/m2)', 'number', false), f('Clinical rationale', 'text')],
  },
];

const OPTIONAL_SECTIONS: readonly FormSection[] = [
  {
    section: 'Step Therapy History',
    fields: [f('Metformin tried', 'checkbox'), f('Metformin dose and duration', 'text', false), f('Reason metformin discontinued or contraindicated', 'text', false), f('Other agents tried', 'text', false)],
  },
  {
    section: 'Weight Management Program',
    fields: [f('Enrolled in lifestyle program', 'checkbox'), f('Program start date', 'date', false), f('Baseline weight (kg)', 'number', false), f('Weight-related comorbidities', 'text', false)],
  },
  {
    section: 'Renewal Information',
    fields: [f('Date therapy started', 'date', false), f('Response to therapy', 'text', false), f('Current HbA1c or weight', 'number', false)],
  },
];

const ATTESTATION: FormSection = {
  section: 'Prescriber Attestation',
  fields: [f('I attest the information provided is accurate', 'checkbox'), f('Prescriber signature', 'signature'), f('Date', 'date')],
};

export function formSections(rng: Rng): FormSection[] {
  const sections = [...CORE_SECTIONS];
  for (const s of OPTIONAL_SECTIONS) if (rng.chance(0.6)) sections.push(s);
  sections.push(ATTESTATION);
  return sections;
}

export function fieldCount(sections: readonly FormSection[]): number {
  return sections.reduce((s, x) => s + x.fields.length, 0);
}

export interface PolicyInputs {
  payerName: string;
  planName: string;
  drug: PaDrug;
  stepDrugs: string | null;
  quantityLimit: string | null;
  authorizationMonths: number;
  effectiveDate: string;
  a1cThreshold: number;
  appealDays: number;
}

export function policyText(p: PolicyInputs): string {
  const d = p.drug;
  const name = `${d.brand} (${d.generic})`;
  const diabetes = d.use === 'diabetes';
  const criteria = diabetes
    ? [
        `The member is 18 years of age or older with a documented diagnosis of type 2 diabetes mellitus (ICD-10-CM E11.x).`,
        `A hemoglobin A1c of ${p.a1cThreshold.toFixed(1)}% or higher measured within the last 90 days.`,
        p.stepDrugs
          ? `Trial of ${p.stepDrugs} at a maximally tolerated dose for at least 90 days with inadequate glycemic control, or a documented contraindication or intolerance.`
          : `Documentation that lifestyle modification has been tried.`,
        `${d.brand} is used as an adjunct to diet and exercise and not in combination with another ${d.drugClass}.`,
      ]
    : [
        `The member is 18 years of age or older with a BMI of 30 kg/m2 or higher, or 27 kg/m2 or higher with at least one weight-related condition (hypertension, dyslipidemia, type 2 diabetes, obstructive sleep apnea).`,
        `Participation in a reduced-calorie diet and increased physical activity program for at least 6 months before the request.`,
        `${d.brand} will not be used with another GLP-1 receptor agonist or weight-management medication.`,
      ];
  const documentation = diabetes
    ? ['Chart notes from the last 6 months', 'Laboratory report with the HbA1c value and date', 'Pharmacy claims or chart notes showing prior therapies, doses and dates']
    : ['Chart notes with current height, weight and BMI', 'Documentation of the lifestyle program', 'List of weight-related comorbidities'];
  const renewal = diabetes
    ? `Reauthorization for ${p.authorizationMonths} months requires documentation of a reduction in HbA1c from baseline or maintenance of HbA1c at goal, and continued adherence.`
    : `Reauthorization requires at least 5% loss of baseline body weight after 16 weeks at the maintenance dose, and maintenance of that loss thereafter.`;
  const exclusions = [
    `Type 1 diabetes mellitus${diabetes ? '' : ' as the sole indication'}.`,
    d.drugClass.includes('GLP-1') ? 'Personal or family history of medullary thyroid carcinoma or multiple endocrine neoplasia syndrome type 2.' : 'Dialysis or end-stage renal disease.',
    diabetes ? 'Use for weight loss alone.' : 'Use for cosmetic weight loss.',
    'Concurrent use with another agent of the same class.',
  ];
  const lines = [
    `${p.payerName} — Pharmacy Prior Authorization Policy`,
    `Plan: ${p.planName}`,
    `Drug: ${name}`,
    `Effective date: ${p.effectiveDate}`,
    '',
    '1. COVERAGE CRITERIA',
    ...criteria.map((c, k) => `  ${String.fromCharCode(97 + k)}. ${c}`),
    '',
    '2. REQUIRED DOCUMENTATION',
    ...documentation.map((c) => `  - ${c}`),
    '',
    '3. QUANTITY LIMITS',
    `  ${p.quantityLimit ?? 'No quantity limit beyond the labeled maximum dose.'}`,
    '',
    '4. AUTHORIZATION PERIOD',
    `  Initial approval: ${p.authorizationMonths} months.`,
    '',
    '5. RENEWAL CRITERIA',
    `  ${renewal}`,
    '',
    '6. EXCLUSIONS',
    ...exclusions.map((c) => `  - ${c}`),
    '',
    '7. APPEAL PROCESS',
    `  A denied request may be appealed within ${p.appealDays} days of the denial notice. Submit the appeal with supporting clinical documentation through the same channel as the original request. A peer-to-peer review with a clinical pharmacist may be requested. Standard appeals are decided within 7 calendar days; expedited appeals within 72 hours when the prescriber certifies that waiting could seriously jeopardize the member's health.`,
  ];
  return lines.join('\n');
}
