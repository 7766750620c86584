/**
 * Dispensable products for pharmacy claims: NDC-11 (5-4-2, no dashes) ↔ RxNorm ingredient
 * RXCUI for common chronic-disease drugs.
 *
 * NDC policy: better fewer, real. An `ndc` is given only where the package code was checked
 * against a DailyMed / FDA label listing (`ndcSource: 'dailymed'`) or is a long-standing,
 * widely published brand package code we are confident of (`ndcSource: 'published'`). Where we
 * could not confirm a package code the product has `ndc: null` (`ndcSource: 'unverified'`) and
 * the pharmacy claim carries no NDC rather than an invented one.
 *
 * RXCUIs are ingredient (TTY IN) concepts and agree with src/reference/rxnorm.ts.
 * `unitCost` is a synthetic per-unit ingredient cost (USD), in the range of public list prices;
 * it is not any pharmacy's price.
 */
export type NdcSource = 'dailymed' | 'published' | 'unverified';

export interface DispensableProduct {
  /** our product key */
  key: string;
  /** ingredient key in src/reference/rxnorm.ts */
  ingredient: string;
  rxcui: string;
  drugName: string;
  ndc: string | null;
  ndcSource: NdcSource;
  therapeuticClass: string;
  brand: boolean;
  /** quantity dispensed for one standard supply (`standardDays` days) */
  quantity: number;
  quantityUnit: 'EA' | 'ML';
  /** 30 for tablets, 28 for weekly pens */
  standardDays: number;
  unitCost: number;
  tier: number;
}

const x = (
  key: string, ingredient: string, rxcui: string, drugName: string, ndc: string | null, ndcSource: NdcSource,
  therapeuticClass: string, brand: boolean, quantity: number, quantityUnit: 'EA' | 'ML', standardDays: number,
  unitCost: number, tier: number,
): DispensableProduct => ({
  key, ingredient, rxcui, drugName, ndc, ndcSource, therapeuticClass, brand, quantity, quantityUnit, standardDays, unitCost, tier,
});

export const DISPENSABLE_PRODUCTS: readonly DispensableProduct[] = [
  // diabetes
  x('metformin_500', 'metformin', '6809', 'metformin 500 mg tablet', '65841080901', 'dailymed', 'Biguanides', false, 60, 'EA', 30, 0.06, 1),
  x('metformin_1000', 'metformin', '6809', 'metformin 1000 mg tablet', '65841081101', 'dailymed', 'Biguanides', false, 60, 'EA', 30, 0.09, 1),
  x('glipizide_5', 'glipizide', '4821', 'glipizide 5 mg tablet', null, 'unverified', 'Sulfonylureas', false, 30, 'EA', 30, 0.08, 1),
  x('sitagliptin_100', 'sitagliptin', '593411', 'Januvia (sitagliptin) 100 mg tablet', '00006027731', 'published', 'DPP-4 Inhibitors', true, 30, 'EA', 30, 18.2, 3),
  x('empagliflozin_10', 'empagliflozin', '1545653', 'Jardiance (empagliflozin) 10 mg tablet', '00597015230', 'dailymed', 'SGLT2 Inhibitors', true, 30, 'EA', 30, 19.8, 3),
  x('empagliflozin_25', 'empagliflozin', '1545653', 'Jardiance (empagliflozin) 25 mg tablet', '00597015330', 'dailymed', 'SGLT2 Inhibitors', true, 30, 'EA', 30, 19.8, 3),
  x('dapagliflozin_10', 'dapagliflozin', '1488564', 'Farxiga (dapagliflozin) 10 mg tablet', '00310621030', 'published', 'SGLT2 Inhibitors', true, 30, 'EA', 30, 19.2, 3),
  x('semaglutide_2mg_3ml', 'semaglutide', '1991302', 'Ozempic (semaglutide) 2 mg/3 mL pen (0.25 or 0.5 mg dose)', '00169413212', 'dailymed', 'GLP-1 Receptor Agonists', true, 3, 'ML', 28, 333.0, 3),
  x('semaglutide_4mg_3ml', 'semaglutide', '1991302', 'Ozempic (semaglutide) 4 mg/3 mL pen (1 mg dose)', '00169413013', 'dailymed', 'GLP-1 Receptor Agonists', true, 3, 'ML', 28, 333.0, 3),
  x('dulaglutide_075', 'dulaglutide', '1551291', 'Trulicity (dulaglutide) 0.75 mg/0.5 mL pen', '00002143380', 'dailymed', 'GLP-1 Receptor Agonists', true, 2, 'ML', 28, 490.0, 3),
  x('tirzepatide_25', 'tirzepatide', '2601723', 'Mounjaro (tirzepatide) 2.5 mg/0.5 mL pen', '00002150680', 'published', 'GIP/GLP-1 Receptor Agonists', true, 2, 'ML', 28, 540.0, 4),
  x('insulin_glargine_pen', 'insulin_glargine', '274783', 'Lantus SoloStar (insulin glargine) 100 units/mL, 5 x 3 mL pens', '00088221905', 'published', 'Insulins', true, 15, 'ML', 30, 28.0, 3),
  // cardiovascular
  x('atorvastatin_10', 'atorvastatin', '83367', 'atorvastatin 10 mg tablet', '67877051190', 'published', 'HMG-CoA Reductase Inhibitors', false, 30, 'EA', 30, 0.1, 1),
  x('atorvastatin_20', 'atorvastatin', '83367', 'atorvastatin 20 mg tablet', '67877051290', 'published', 'HMG-CoA Reductase Inhibitors', false, 30, 'EA', 30, 0.12, 1),
  x('rosuvastatin_10', 'rosuvastatin', '301542', 'rosuvastatin 10 mg tablet', null, 'unverified', 'HMG-CoA Reductase Inhibitors', false, 30, 'EA', 30, 0.15, 1),
  x('lisinopril_10', 'lisinopril', '29046', 'lisinopril 10 mg tablet', null, 'unverified', 'ACE Inhibitors', false, 30, 'EA', 30, 0.05, 1),
  x('losartan_50', 'losartan', '52175', 'losartan 50 mg tablet', null, 'unverified', 'Angiotensin II Receptor Blockers', false, 30, 'EA', 30, 0.09, 1),
  x('amlodipine_5', 'amlodipine', '17767', 'amlodipine 5 mg tablet', null, 'unverified', 'Calcium Channel Blockers', false, 30, 'EA', 30, 0.05, 1),
  x('metoprolol_succ_50', 'metoprolol', '6918', 'metoprolol succinate ER 50 mg tablet', null, 'unverified', 'Beta Blockers', false, 30, 'EA', 30, 0.2, 1),
  x('carvedilol_125', 'carvedilol', '20352', 'carvedilol 12.5 mg tablet', null, 'unverified', 'Beta Blockers', false, 60, 'EA', 30, 0.06, 1),
  x('furosemide_40', 'furosemide', '4603', 'furosemide 40 mg tablet', null, 'unverified', 'Loop Diuretics', false, 30, 'EA', 30, 0.05, 1),
  x('apixaban_5', 'apixaban', '1364430', 'Eliquis (apixaban) 5 mg tablet', '00003089421', 'published', 'Factor Xa Inhibitors', true, 60, 'EA', 30, 9.8, 3),
  // respiratory
  x('tiotropium_18', 'tiotropium', '69120', 'tiotropium 18 mcg inhalation capsule', null, 'unverified', 'Anticholinergics, Inhaled', true, 30, 'EA', 30, 17.5, 3),
  x('albuterol_hfa', 'albuterol', '435', 'albuterol HFA 90 mcg/actuation inhaler', null, 'unverified', 'Beta Agonists, Short-Acting', false, 1, 'EA', 30, 28.0, 2),
];

const BY_KEY = new Map(DISPENSABLE_PRODUCTS.map((p) => [p.key, p]));

export function dispensableProduct(key: string): DispensableProduct | undefined {
  return BY_KEY.get(key);
}

/** Products of an ingredient (our rxnorm key), in table order. */
export function productsForIngredient(ingredient: string): DispensableProduct[] {
  return DISPENSABLE_PRODUCTS.filter((p) => p.ingredient === ingredient);
}
