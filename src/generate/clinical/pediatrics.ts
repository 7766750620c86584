/**
 * Children's physiology (under 18): body size from growth-chart medians, and the vital signs and
 * lab analytes whose usual values and reference intervals differ from adults'. Adults (18 and
 * over) never reach this module, so their values are exactly what they were before it existed.
 *
 * Sources (values rounded from the published charts and tables, typed in by hand, not read
 * from a data file): body length/stature and BMI medians at the middle of each year of age from
 * the CDC 2000 growth charts (stature-for-age, BMI-for-age; the WHO charts the CDC recommends
 * under 2 years for ages 0 and 1); blood pressure near the 50th percentile of the AAP 2017
 * clinical practice guideline's tables (at median height); heart and respiratory rate from
 * common pediatric vital-sign ranges (e.g. PALS); creatinine from the bedside Schwartz equation
 * (eGFR = 0.413 × height / creatinine); alkaline phosphatase, hemoglobin and hematocrit from
 * typical pediatric reference intervals (bone growth raises ALP; children's hemoglobin is lower).
 */
import type { Distribution, UtilizationKey } from '../../spec/types.js';
import { civilFromDays, daysFromCivil, daysInMonth } from '../dates.js';
import type { Person } from '../person.js';

export const PEDIATRIC_BELOW_AGE = 18;

export const isChild = (person: Person): boolean => person.age < PEDIATRIC_BELOW_AGE;

/** Median length/stature (cm) at age a + ½ for a = 0 … 17, boys then girls. */
const HEIGHT_MEDIAN: Record<'M' | 'F', readonly number[]> = {
  M: [67.6, 82.4, 91.9, 99.9, 106.7, 113.1, 119.4, 125.6, 131.2, 136.4, 141.3, 146.3, 152.3, 159.6, 166.1, 170.9, 174.1, 175.7],
  F: [65.7, 80.7, 90.7, 98.9, 105.9, 112.3, 118.5, 124.6, 130.4, 136.0, 141.9, 148.2, 154.3, 158.6, 161.1, 162.3, 163.0, 163.4],
};

/** Median BMI (kg/m², weight-for-length at 0 and 1) at age a + ½ for a = 0 … 17. */
const BMI_MEDIAN: Record<'M' | 'F', readonly number[]> = {
  M: [17.3, 16.3, 16.2, 15.8, 15.5, 15.4, 15.4, 15.6, 16.0, 16.4, 16.9, 17.5, 18.1, 18.8, 19.5, 20.1, 20.8, 21.4],
  F: [16.9, 15.8, 16.0, 15.6, 15.3, 15.2, 15.3, 15.6, 16.0, 16.6, 17.2, 17.8, 18.5, 19.2, 19.8, 20.3, 20.8, 21.1],
};

/**
 * Spread of BMI around the median, on the log scale, above and below it (BMI-for-age is skewed
 * to the right): 85th ≈ 1.18 ×, 95th ≈ 1.30 × and 5th ≈ 0.86 × the median, as on the CDC charts.
 */
export const CHILD_BMI_LOG_SD = 0.16;
export const CHILD_BMI_LOG_SD_BELOW = 0.095;
/** The 5th percentile (underweight), as a multiple of the median. */
export const CHILD_UNDERWEIGHT_RATIO = Math.exp(-1.645 * CHILD_BMI_LOG_SD_BELOW);
/** BMI at the 95th percentile (obesity in children), as a multiple of the median. */
export const CHILD_OBESE_RATIO = Math.exp(1.645 * CHILD_BMI_LOG_SD);
/** The 85th percentile (overweight). */
export const CHILD_OVERWEIGHT_RATIO = Math.exp(1.036 * CHILD_BMI_LOG_SD);
/** Severe obesity: 120 % of the 95th percentile. */
export const CHILD_SEVERE_RATIO = 1.2 * CHILD_OBESE_RATIO;

const yearIndex = (age: number): number => Math.max(0, Math.min(PEDIATRIC_BELOW_AGE - 1, Math.floor(age)));

export function childHeightMedian(age: number, sex: 'M' | 'F'): number {
  return HEIGHT_MEDIAN[sex][yearIndex(age)];
}

export function childBmiMedian(age: number, sex: 'M' | 'F'): number {
  return BMI_MEDIAN[sex][yearIndex(age)];
}

/** Blood pressure near the 50th percentile for age (AAP 2017, median height), mmHg. */
export function childBloodPressure(age: number): { systolic: number; diastolic: number } {
  const a = yearIndex(age);
  const systolic = a === 0 ? 82 : a <= 12 ? 85 + 1.25 * a : 100 + 3 * (a - 12);
  const diastolic = a === 0 ? 38 : a <= 8 ? 40 + 2.2 * a : Math.min(66, 57.6 + 0.8 * (a - 8));
  return { systolic, diastolic };
}

interface ChildAnalyte {
  mean: number;
  sd: number;
  /** the reference interval used for the H/L flag */
  low?: number;
  high?: number;
}

/**
 * A child's usual value and reference interval for the analytes that differ from adults', by
 * year of age; undefined where the adult model holds.
 */
export function childAnalyte(key: string, age: number): ChildAnalyte | undefined {
  const a = yearIndex(age);
  switch (key) {
    case 'heart_rate':
      return a === 0 ? { mean: 130, sd: 12, low: 100, high: 160 } : a <= 2 ? { mean: 112, sd: 11, low: 90, high: 140 } : a <= 5 ? { mean: 96, sd: 10, low: 80, high: 120 } : a <= 11 ? { mean: 86, sd: 10, low: 70, high: 110 } : { mean: 76, sd: 9, low: 60, high: 100 };
    case 'respiratory_rate':
      return a === 0 ? { mean: 38, sd: 5, low: 30, high: 53 } : a <= 2 ? { mean: 28, sd: 4, low: 22, high: 37 } : a <= 5 ? { mean: 24, sd: 3, low: 20, high: 28 } : a <= 11 ? { mean: 20, sd: 2.5, low: 18, high: 25 } : { mean: 16, sd: 2, low: 12, high: 20 };
    case 'alk_phos':
      return a === 0 ? { mean: 250, sd: 60, low: 90, high: 400 } : a <= 9 ? { mean: 210, sd: 50, low: 100, high: 320 } : a <= 14 ? { mean: 240, sd: 70, low: 100, high: 390 } : { mean: 140, sd: 45, low: 50, high: 260 };
    case 'hemoglobin':
      return a === 0 ? { mean: 11.8, sd: 0.9, low: 10.0, high: 13.5 } : a <= 5 ? { mean: 12.2, sd: 0.8, low: 11.0, high: 14.0 } : a <= 11 ? { mean: 12.9, sd: 0.8, low: 11.5, high: 15.0 } : { mean: 13.8, sd: 1.0, low: 12.0, high: 16.0 };
    case 'hematocrit':
      return a === 0 ? { mean: 35, sd: 2.5, low: 31, high: 41 } : a <= 5 ? { mean: 36.5, sd: 2.3, low: 33, high: 42 } : a <= 11 ? { mean: 38.5, sd: 2.4, low: 35, high: 45 } : { mean: 41, sd: 2.8, low: 36, high: 47 };
    case 'creatinine':
      return { mean: 0, sd: 0, low: a <= 1 ? 0.15 : a <= 11 ? 0.2 : 0.4, high: a <= 1 ? 0.45 : a <= 11 ? 0.7 : 1.0 };
    case 'ldl':
      return { mean: 90, sd: 20, high: 109 };
    case 'hdl':
      return { mean: 54, sd: 10, low: 45 };
    case 'triglycerides':
      return { mean: a <= 9 ? 65 : 80, sd: 25, high: a <= 9 ? 74 : 89 };
    case 'cholesterol_total':
      return { mean: 160, sd: 25, high: 169 };
    default:
      return undefined;
  }
}

/** Serum creatinine (mg/dL) of a child of `heightCm` with `egfr`: bedside Schwartz, solved for creatinine. */
export function childCreatinine(egfr: number, heightCm: number): number {
  return (0.413 * heightCm) / egfr;
}

/**
 * Bright Futures well-child visits before age 3, in months of age (0: the newborn visit at 3–5
 * days); from 3, one a year. AAP/Bright Futures Recommendations for Preventive Pediatric Health
 * Care (periodicity schedule).
 */
export const WELL_CHILD_MONTHS: readonly number[] = [0, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30];

/**
 * The scheduled well-child visits of a child born on `birthDay` that fall in [fromDay, toDay]:
 * on the day the child is that many calendar months old (the 12-month visit on the first
 * birthday), the newborn visit at 4 days.
 */
export function wellChildSchedule(birthDay: number, fromDay: number, toDay: number): { day: number; months: number }[] {
  const [by, bm, bd] = civilFromDays(birthDay);
  const out: { day: number; months: number }[] = [];
  for (const months of WELL_CHILD_MONTHS) {
    let day = birthDay + 4;
    if (months > 0) {
      const y = by + Math.floor((bm - 1 + months) / 12);
      const m = ((bm - 1 + months) % 12) + 1;
      day = daysFromCivil(y, m, Math.min(bd, daysInMonth(y, m)));
    }
    if (day >= fromDay && day <= toDay) out.push({ day, months });
  }
  return out;
}

/**
 * How a child's rate of each kind of encounter compares with the adult default a profile gets
 * when it states none (1 for adults and for pharmacy fills). Rounded by hand from the national
 * rates by age: emergency visits (NHAMCS 2019: ≈ 0.8 a year under 1, 0.5 at 1–4, 0.25 at 5–14,
 * 0.35 at 15–17), hospital stays other than birth (HCUP: ≈ 0.06 a year under 1, 0.02–0.03 at
 * 1–17), problem-oriented office visits besides the well-child ones (NAMCS) and specialist visits.
 */
export function childUtilizationFactor(key: UtilizationKey, age: number): number {
  if (age >= PEDIATRIC_BELOW_AGE) return 1;
  switch (key) {
    case 'pcp_visits_per_year':
      return age < 1 ? 1 : age < 5 ? 0.8 : 0.5;
    case 'specialist_visits_per_year':
      return 0.3;
    case 'er_visits_per_year':
      return age < 1 ? 2.5 : age < 5 ? 1.6 : age < 15 ? 0.85 : 1.2;
    case 'inpatient_admits_per_year':
      return age < 1 ? 0.25 : 0.1;
    default:
      return 1;
  }
}

/** Whether a profile's age distribution can give someone under 18 (no age given: adults, 18–90). */
export function mayIncludeChildren(age: Distribution | undefined): boolean {
  if (!age) return false;
  switch (age.type) {
    case 'constant':
      return age.value < 18;
    case 'categorical':
      return Object.keys(age.weights).some((k) => Number(k) < 18);
    case 'uniform':
      return age.min < 18;
    case 'normal':
    case 'log_normal':
      return (age.min ?? (age.type === 'normal' ? age.mean - 5 * age.std_dev : 0)) < 18;
    case 'poisson':
      return (age.min ?? 0) < 18;
    default:
      return true;
  }
}

/**
 * A child's dose, from the usual adult dose drawn for the drug: label dosing by age for the
 * drugs children take most (montelukast 4 mg under 6, 5 mg to 14; fluticasone 50–100 µg under
 * 12; cetirizine 2.5 mg under 6, 5 mg to 11; albuterol as for adults), acetaminophen 15 mg/kg and
 * ibuprofen 10 mg/kg a dose (at most the adult dose); any other drug by weight below 50 kg (Clark's rule, adult dose ×
 * weight / 70 kg), to two significant figures (whole units of insulin).
 */
export function childDose(drugKey: string, doseUnit: string, adultDose: number, age: number, weightKg: number): number {
  if (age >= PEDIATRIC_BELOW_AGE) return adultDose;
  switch (drugKey) {
    case 'montelukast':
      return age < 6 ? 4 : age < 15 ? 5 : adultDose;
    case 'fluticasone':
      return age < 12 ? (adultDose <= 100 ? 50 : 100) : adultDose;
    case 'albuterol':
      return adultDose;
    case 'cetirizine':
      return age < 6 ? 2.5 : age < 12 ? 5 : adultDose;
    case 'acetaminophen': // 15 mg/kg a dose
      return weightKg > 0 ? Math.min(adultDose, Math.round((15 * weightKg) / 10) * 10) : adultDose;
    case 'ibuprofen': // 10 mg/kg a dose
      return weightKg > 0 ? Math.min(adultDose, Math.round((10 * weightKg) / 10) * 10) : adultDose;
    default:
      break;
  }
  if (!(weightKg > 0) || weightKg >= 50) return adultDose;
  const scaled = (adultDose * weightKg) / 70;
  if (doseUnit === '[iU]') return Math.max(1, Math.round(scaled));
  const magnitude = 10 ** (Math.floor(Math.log10(scaled)) - 1);
  return Math.round(scaled / magnitude) * magnitude;
}
