/**
 * Laboratory tests and vital signs collected at protocol visits: SDTM test codes (LBTESTCD /
 * VSTESTCD), LOINC codes (same codes as src/reference/loinc.ts), UCUM units and adult reference
 * ranges. `armShift` moves the experimental arm's mean (myelosuppression, transaminase rise).
 */
export interface TrialLabTest {
  category: 'CHEMISTRY' | 'HEMATOLOGY' | 'VITAL SIGNS';
  testCode: string;
  loinc: string;
  name: string;
  unit: string;
  low: number | null;
  high: number | null;
  mean: number;
  sd: number;
  decimals: number;
  /** additive shift of the mean on the experimental arm after baseline */
  armShift: number;
}

const t = (
  category: TrialLabTest['category'], testCode: string, loinc: string, name: string, unit: string,
  low: number | null, high: number | null, mean: number, sd: number, decimals: number, armShift = 0,
): TrialLabTest => ({ category, testCode, loinc, name, unit, low, high, mean, sd, decimals, armShift });

export const TRIAL_LAB_TESTS: readonly TrialLabTest[] = [
  t('CHEMISTRY', 'ALT', '1742-6', 'Alanine Aminotransferase', 'U/L', 7, 56, 24, 8, 0, 9),
  t('CHEMISTRY', 'AST', '1920-8', 'Aspartate Aminotransferase', 'U/L', 10, 40, 23, 7, 0, 7),
  t('CHEMISTRY', 'BILI', '1975-2', 'Bilirubin', 'mg/dL', 0.1, 1.2, 0.6, 0.2, 1),
  t('CHEMISTRY', 'CREAT', '2160-0', 'Creatinine', 'mg/dL', 0.6, 1.3, 0.95, 0.18, 2, 0.05),
  t('CHEMISTRY', 'ALB', '1751-7', 'Albumin', 'g/dL', 3.5, 5.0, 3.9, 0.4, 1),
  t('CHEMISTRY', 'SODIUM', '2951-2', 'Sodium', 'mmol/L', 136, 145, 139, 2.5, 0),
  t('CHEMISTRY', 'K', '2823-3', 'Potassium', 'mmol/L', 3.5, 5.1, 4.2, 0.35, 1),
  t('HEMATOLOGY', 'HGB', '718-7', 'Hemoglobin', 'g/dL', 12.0, 17.5, 12.6, 1.4, 1, -1.1),
  t('HEMATOLOGY', 'WBC', '6690-2', 'Leukocytes', '10*3/uL', 4.5, 11.0, 7.4, 2.0, 1, -1.4),
  t('HEMATOLOGY', 'NEUT', '751-8', 'Neutrophils', '10*3/uL', 1.8, 7.7, 4.8, 1.6, 1, -1.2),
  t('HEMATOLOGY', 'PLAT', '777-3', 'Platelets', '10*3/uL', 150, 450, 245, 60, 0, -35),
  t('VITAL SIGNS', 'SYSBP', '8480-6', 'Systolic Blood Pressure', 'mm[Hg]', 90, 129, 128, 14, 0),
  t('VITAL SIGNS', 'DIABP', '8462-4', 'Diastolic Blood Pressure', 'mm[Hg]', 60, 79, 77, 9, 0),
  t('VITAL SIGNS', 'PULSE', '8867-4', 'Pulse Rate', '/min', 60, 100, 78, 10, 0),
  t('VITAL SIGNS', 'WEIGHT', '29463-7', 'Weight', 'kg', null, null, 74, 15, 1),
  t('VITAL SIGNS', 'TEMP', '8310-5', 'Temperature', 'Cel', 36.1, 37.2, 36.7, 0.3, 1),
];
