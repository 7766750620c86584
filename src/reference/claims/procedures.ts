/**
 * Procedure codes used on generated medical claims: CPT (AMA) and HCPCS Level II codes, plus
 * UB-04 revenue codes for institutional (inpatient) lines.
 *
 * Labels are OUR OWN short paraphrases written for this project. CPT descriptors are licensed by
 * the AMA and are not reproduced here; only the code numbers are used. `fee` is a synthetic
 * median charge in USD (not any payer's fee schedule), used to draw billed amounts.
 */
export type ProcedureSystem = 'CPT' | 'HCPCS' | 'REV';

export interface ProcedureCode {
  code: string;
  system: ProcedureSystem;
  label: string;
  /** synthetic median billed charge per unit (USD) */
  fee: number;
}

const p = (code: string, system: ProcedureSystem, label: string, fee: number): ProcedureCode => ({ code, system, label, fee });

export const PROCEDURES: readonly ProcedureCode[] = [
  // office / outpatient E/M, established and new patients
  p('99202', 'CPT', 'Office visit, new patient, straightforward', 120),
  p('99203', 'CPT', 'Office visit, new patient, low complexity', 180),
  p('99204', 'CPT', 'Office visit, new patient, moderate complexity', 270),
  p('99212', 'CPT', 'Office visit, established patient, straightforward', 95),
  p('99213', 'CPT', 'Office visit, established patient, low complexity', 150),
  p('99214', 'CPT', 'Office visit, established patient, moderate complexity', 220),
  p('99215', 'CPT', 'Office visit, established patient, high complexity', 300),
  // preventive medicine visits, established patient, by age
  p('99391', 'CPT', 'Preventive visit, established patient, under 1 year', 190),
  p('99392', 'CPT', 'Preventive visit, established patient, age 1-4', 200),
  p('99393', 'CPT', 'Preventive visit, established patient, age 5-11', 200),
  p('99394', 'CPT', 'Preventive visit, established patient, age 12-17', 215),
  p('99395', 'CPT', 'Preventive visit, established patient, age 18-39', 220),
  p('99396', 'CPT', 'Preventive visit, established patient, age 40-64', 235),
  p('99397', 'CPT', 'Preventive visit, established patient, age 65+', 250),
  // immunization administration and vaccines for people under 65 (G0008 and high-dose 90662 are Medicare's)
  p('90471', 'CPT', 'Immunization administration, one vaccine', 30),
  p('90686', 'CPT', 'Flu vaccine, quadrivalent, preservative free, 3 years and older', 40),
  p('90685', 'CPT', 'Flu vaccine, quadrivalent, preservative free, 6-35 months', 40),
  // emergency department E/M
  p('99283', 'CPT', 'Emergency visit, moderate severity', 650),
  p('99284', 'CPT', 'Emergency visit, high severity', 1200),
  p('99285', 'CPT', 'Emergency visit, highest severity', 2600),
  // annual wellness visit, vaccines (HCPCS)
  p('G0438', 'HCPCS', 'Medicare annual wellness visit, first', 260),
  p('G0439', 'HCPCS', 'Medicare annual wellness visit, subsequent', 190),
  p('G0008', 'HCPCS', 'Flu shot administration', 35),
  p('90662', 'CPT', 'Flu vaccine, high-dose', 85),
  // laboratory
  p('36415', 'CPT', 'Blood draw by venipuncture', 18),
  p('80053', 'CPT', 'Comprehensive metabolic panel', 95),
  p('80048', 'CPT', 'Basic metabolic panel', 70),
  p('80061', 'CPT', 'Lipid panel', 85),
  p('83036', 'CPT', 'Hemoglobin A1c', 60),
  p('85025', 'CPT', 'Complete blood count with differential', 55),
  p('84443', 'CPT', 'Thyroid stimulating hormone', 75),
  p('82043', 'CPT', 'Urine albumin, quantitative', 40),
  p('82570', 'CPT', 'Urine creatinine', 30),
  p('81001', 'CPT', 'Urinalysis with microscopy', 25),
  p('83880', 'CPT', 'Natriuretic peptide (BNP)', 120),
  p('84484', 'CPT', 'Troponin, quantitative', 110),
  // diagnostics
  p('93000', 'CPT', 'Electrocardiogram with interpretation', 90),
  p('93306', 'CPT', 'Echocardiogram, transthoracic, complete with Doppler', 1400),
  p('94010', 'CPT', 'Spirometry', 120),
  p('92014', 'CPT', 'Eye exam, established patient, comprehensive', 190),
  p('92250', 'CPT', 'Retinal photography', 110),
  p('71046', 'CPT', 'Chest X-ray, two views', 240),
  p('70450', 'CPT', 'CT head without contrast', 1500),
  p('74177', 'CPT', 'CT abdomen and pelvis with contrast', 3800),
  p('71260', 'CPT', 'CT chest with contrast', 1900),
  p('94760', 'CPT', 'Pulse oximetry, single reading', 25),
  p('96413', 'CPT', 'Chemotherapy IV infusion, first hour', 950),
  // quality-reporting (Category II) codes: tracked on claims with no charge
  p('2022F', 'CPT', 'Dilated retinal exam documented (quality code)', 0),
  // outpatient surgery / endoscopy
  p('66984', 'CPT', 'Cataract removal with lens implant', 5600),
  p('45378', 'CPT', 'Colonoscopy, diagnostic', 3600),
  p('45380', 'CPT', 'Colonoscopy with biopsy', 4300),
  p('43239', 'CPT', 'Upper GI endoscopy with biopsy', 3400),
  p('29881', 'CPT', 'Knee arthroscopy with meniscectomy', 14500),
  p('27447', 'CPT', 'Total knee replacement', 32000),
  p('64483', 'CPT', 'Lumbar epidural steroid injection, transforaminal', 2900),
  p('88305', 'CPT', 'Surgical pathology, tissue exam', 160),
  p('42820', 'CPT', 'Tonsillectomy and adenoidectomy, under 12', 4200),
  p('42821', 'CPT', 'Tonsillectomy and adenoidectomy, 12 or older', 4400),
  p('69436', 'CPT', 'Tympanostomy tubes, general anesthesia', 2600),
  p('83655', 'CPT', 'Lead, blood', 30),
  // cancer screening (USPSTF): mammography, cervical cytology, PSA
  p('77067', 'CPT', 'Screening mammography, both breasts', 250),
  p('88175', 'CPT', 'Cervical or vaginal cytology, thin layer, automated screening', 70),
  p('84153', 'CPT', 'Prostate specific antigen, total', 45),
  p('G0103', 'HCPCS', 'Prostate cancer screening, PSA test (Medicare)', 40),
  // anesthesia for the procedures above
  p('00142', 'CPT', 'Anesthesia for lens surgery', 650),
  p('00811', 'CPT', 'Anesthesia for lower GI endoscopy', 700),
  p('00731', 'CPT', 'Anesthesia for upper GI endoscopy', 650),
  p('01400', 'CPT', 'Anesthesia for knee joint surgery', 1300),
  p('01402', 'CPT', 'Anesthesia for total knee replacement', 2400),
  p('00170', 'CPT', 'Anesthesia for intraoral procedures', 900),
  p('00120', 'CPT', 'Anesthesia for external, middle and inner ear procedures', 600),
  // UB-04 revenue codes (institutional lines; fee per unit)
  p('0120', 'REV', 'Room and board, semi-private (per day)', 3200),
  p('0250', 'REV', 'Pharmacy, general', 1800),
  p('0270', 'REV', 'Medical/surgical supplies', 1200),
  p('0300', 'REV', 'Laboratory, general', 1300),
  p('0320', 'REV', 'Diagnostic radiology', 900),
  p('0360', 'REV', 'Operating room services', 9000),
  p('0410', 'REV', 'Respiratory services', 1100),
  p('0450', 'REV', 'Emergency room', 1800),
];

const BY_CODE = new Map(PROCEDURES.map((x) => [x.code, x]));

/** A procedure code by number; throws on an unknown code so generators fail loudly in tests. */
export function procedure(code: string): ProcedureCode {
  const x = BY_CODE.get(code);
  if (!x) throw new Error(`unknown procedure code ${code}`);
  return x;
}

export function isKnownProcedure(code: string): boolean {
  return BY_CODE.has(code);
}
