/**
 * Curated LOINC table: common chemistry, hematology, lipid, renal, cardiac and vital-sign
 * observations used by the generators, with UCUM units and adult reference intervals (children's
 * values and intervals, where they differ, are in src/generate/clinical/pediatrics.ts).
 *
 * Source/version: codes written by hand from LOINC (Regenstrief Institute, https://loinc.org),
 * names are our own short labels, not LOINC's official names. Codes were not checked against a
 * LOINC release file here (none ships in this repository). Reference intervals are typical
 * adult intervals from common US laboratory practice; `physio` is the range a generated value
 * must stay inside (physiologically possible, never negative); `population` is a healthy adult
 * population model (normal, mean/sd) for people without a condition that changes the analyte.
 */
export interface LoincTest {
  key: string; // our stable key (hba1c, ldl, egfr …)
  code: string;
  name: string;
  unit: string; // UCUM
  panel: string; // default panel a test belongs to
  low?: number;
  high?: number;
  physio: [number, number];
  population: { mean: number; sd: number };
  decimals: number;
}

export const LOINC_VERSION = 'curated by hand from LOINC 2.7x codes; not verified against a LOINC release';

const t = (
  key: string, code: string, name: string, unit: string, panel: string,
  low: number | undefined, high: number | undefined, physio: [number, number],
  mean: number, sd: number, decimals: number,
): LoincTest => ({ key, code, name, unit, panel, low, high, physio, population: { mean, sd }, decimals });

export const LOINC_TESTS: readonly LoincTest[] = [
  t('hba1c', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 'hba1c', 4.0, 5.6, [3.5, 18], 5.3, 0.3, 1),
  t('fasting_glucose', '1558-6', 'Fasting glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 'glucose', 70, 99, [30, 700], 92, 9, 0),
  t('glucose', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 'cmp', 70, 99, [30, 800], 95, 12, 0),
  t('bun', '3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 'cmp', 7, 20, [2, 150], 14, 4, 0),
  t('creatinine', '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 'cmp', 0.6, 1.3, [0.1, 15], 0.9, 0.15, 2),
  t('egfr', '98979-8', 'eGFR CKD-EPI 2021 (creatinine) in Serum or Plasma', 'mL/min/{1.73_m2}', 'cmp', 60, undefined, [3, 150], 92, 14, 0),
  t('sodium', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 'cmp', 136, 145, [115, 165], 140, 2, 0),
  t('potassium', '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 'cmp', 3.5, 5.1, [2.5, 7.5], 4.2, 0.3, 1),
  t('chloride', '2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', 'cmp', 98, 107, [80, 125], 102, 2.5, 0),
  t('co2', '2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'mmol/L', 'cmp', 22, 29, [10, 40], 25, 2, 0),
  t('calcium', '17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', 'cmp', 8.6, 10.3, [6, 14], 9.4, 0.35, 1),
  t('total_protein', '2885-2', 'Protein [Mass/volume] in Serum or Plasma', 'g/dL', 'cmp', 6.0, 8.3, [4, 10], 7.1, 0.4, 1),
  t('albumin', '1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'g/dL', 'cmp', 3.5, 5.0, [1.5, 6], 4.2, 0.3, 1),
  t('bilirubin_total', '1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma', 'mg/dL', 'cmp', 0.1, 1.2, [0.1, 20], 0.6, 0.2, 1),
  t('alk_phos', '6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 'cmp', 44, 147, [20, 1000], 80, 20, 0),
  t('alt', '1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 'cmp', 7, 56, [4, 1000], 24, 8, 0),
  t('ast', '1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 'cmp', 10, 40, [5, 1000], 22, 6, 0),
  t('cholesterol_total', '2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 'lipid', 100, 199, [70, 500], 190, 30, 0),
  t('hdl', '2085-9', 'HDL cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 'lipid', 40, undefined, [15, 120], 52, 12, 0),
  t('ldl', '13457-7', 'LDL cholesterol [Mass/volume] in Serum or Plasma by calculation', 'mg/dL', 'lipid', undefined, 99, [20, 350], 110, 28, 0),
  t('triglycerides', '2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 'lipid', undefined, 149, [30, 1500], 130, 45, 0),
  t('hemoglobin', '718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 'cbc', 12.0, 17.5, [5, 21], 14.2, 1.2, 1),
  t('hematocrit', '4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 'cbc', 36, 50, [15, 65], 42, 3.5, 1),
  t('wbc', '6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 'cbc', 4.5, 11.0, [1, 40], 7.0, 1.6, 1),
  t('platelets', '777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 'cbc', 150, 450, [20, 900], 250, 55, 0),
  t('uacr', '9318-7', 'Albumin/Creatinine [Mass Ratio] in Urine', 'mg/g', 'uacr', undefined, 29, [0, 5000], 10, 5, 0),
  t('bnp', '30934-4', 'Natriuretic peptide B [Mass/volume] in Serum or Plasma', 'pg/mL', 'cardiac', undefined, 99, [5, 5000], 40, 20, 0),
  t('nt_probnp', '33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'pg/mL', 'cardiac', undefined, 124, [10, 35000], 70, 35, 0),
  t('tsh', '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L', 'thyroid', 0.4, 4.0, [0.01, 100], 1.8, 0.7, 2),
  t('psa', '2857-1', 'Prostate specific Ag [Mass/volume] in Serum or Plasma', 'ng/mL', 'psa', undefined, 4.0, [0.01, 1000], 1.2, 1.0, 2),
  t('cea', '2039-6', 'Carcinoembryonic Ag [Mass/volume] in Serum or Plasma', 'ng/mL', 'tumor_markers', undefined, 3.0, [0.2, 2000], 1.6, 0.7, 1),
  t('fev1', '20150-9', 'FEV1', 'L', 'spirometry', undefined, undefined, [0.3, 6.5], 3.1, 0.6, 2),
  t('fev1_fvc', '19926-5', 'FEV1/FVC', '%', 'spirometry', 70, undefined, [20, 95], 78, 5, 0),
  t('spo2', '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', 'vitals', 95, 100, [70, 100], 97.5, 1.2, 0),
  t('bmi', '39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 'vitals', 18.5, 24.9, [10, 80], 27.5, 5, 1),
  t('weight', '29463-7', 'Body weight', 'kg', 'vitals', undefined, undefined, [2, 300], 80, 17, 1),
  t('height', '8302-2', 'Body height', 'cm', 'vitals', undefined, undefined, [45, 215], 170, 10, 1),
  t('systolic_bp', '8480-6', 'Systolic blood pressure', 'mm[Hg]', 'vitals', 90, 129, [70, 240], 122, 12, 0),
  t('diastolic_bp', '8462-4', 'Diastolic blood pressure', 'mm[Hg]', 'vitals', 60, 79, [40, 140], 76, 8, 0),
  t('heart_rate', '8867-4', 'Heart rate', '/min', 'vitals', 60, 100, [35, 180], 74, 9, 0),
  t('respiratory_rate', '9279-1', 'Respiratory rate', '/min', 'vitals', 12, 20, [8, 70], 16, 2, 0),
  t('body_temperature', '8310-5', 'Body temperature', 'Cel', 'vitals', 36.1, 37.2, [34, 41], 36.7, 0.3, 1),
];

const BY_KEY = new Map(LOINC_TESTS.map((x) => [x.key, x]));
const BY_CODE = new Map(LOINC_TESTS.map((x) => [x.code, x]));

/** Named panels → test keys, in the order results are written. */
export const LAB_PANELS: Readonly<Record<string, readonly string[]>> = {
  hba1c: ['hba1c'],
  glucose: ['fasting_glucose'],
  bmp: ['glucose', 'bun', 'creatinine', 'egfr', 'sodium', 'potassium', 'chloride', 'co2', 'calcium'],
  cmp: ['glucose', 'bun', 'creatinine', 'egfr', 'sodium', 'potassium', 'chloride', 'co2', 'calcium', 'total_protein', 'albumin', 'bilirubin_total', 'alk_phos', 'alt', 'ast'],
  renal: ['creatinine', 'egfr', 'bun', 'potassium'],
  lipid: ['cholesterol_total', 'hdl', 'ldl', 'triglycerides'],
  liver: ['alt', 'ast', 'alk_phos', 'bilirubin_total', 'albumin'],
  cbc: ['hemoglobin', 'hematocrit', 'wbc', 'platelets'],
  uacr: ['uacr'],
  cardiac: ['bnp'],
  bnp: ['bnp'],
  nt_probnp: ['nt_probnp'],
  thyroid: ['tsh'],
  psa: ['psa'],
  tumor_markers: ['cea'],
  spirometry: ['fev1', 'fev1_fvc'],
  vitals: ['systolic_bp', 'diastolic_bp', 'heart_rate', 'weight', 'height', 'bmi'],
  bp: ['systolic_bp', 'diastolic_bp'],
};

export function loincByKey(key: string): LoincTest | undefined {
  return BY_KEY.get(key);
}

export function loincByCode(code: string): LoincTest | undefined {
  return BY_CODE.get(code);
}

/** A test key, a LOINC code, or a panel name → test keys (unknown → []). */
export function expandPanel(nameOrCode: string): readonly string[] {
  const p = LAB_PANELS[nameOrCode];
  if (p) return p;
  if (BY_KEY.has(nameOrCode)) return [nameOrCode];
  const byCode = BY_CODE.get(nameOrCode);
  return byCode ? [byCode.key] : [];
}

export const loinc = { byKey: loincByKey, byCode: loincByCode, panels: LAB_PANELS, expandPanel, tests: LOINC_TESTS, version: LOINC_VERSION };
