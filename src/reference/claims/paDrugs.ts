/**
 * Diabetes / obesity drugs of the prior-authorization formulary (seed 002): brand, ingredient,
 * RxNorm ingredient RXCUI (TTY IN; same codes as src/reference/rxnorm.ts), class, route, labeled
 * use (our summary) and a typical quantity limit. Brand names are used to identify the products,
 * as formularies do; nothing here is the manufacturers' text.
 */
export interface PaDrug {
  key: string;
  brand: string;
  generic: string;
  rxcui: string;
  drugClass: string;
  route: 'oral' | 'subcutaneous';
  indication: string;
  /** diabetes drugs are stepped through metformin; weight-management drugs are not */
  use: 'diabetes' | 'weight';
  quantityLimit: string;
}

const d = (
  key: string, brand: string, generic: string, rxcui: string, drugClass: string, route: PaDrug['route'],
  indication: string, use: PaDrug['use'], quantityLimit: string,
): PaDrug => ({ key, brand, generic, rxcui, drugClass, route, indication, use, quantityLimit });

export const PA_DRUGS: readonly PaDrug[] = [
  d('ozempic', 'Ozempic', 'semaglutide', '1991302', 'GLP-1 receptor agonist', 'subcutaneous', 'Type 2 diabetes mellitus (glycemic control; cardiovascular risk reduction)', 'diabetes', '1 pen (3 mL) per 28 days'),
  d('wegovy', 'Wegovy', 'semaglutide', '1991302', 'GLP-1 receptor agonist', 'subcutaneous', 'Chronic weight management', 'weight', '4 single-dose pens per 28 days'),
  d('mounjaro', 'Mounjaro', 'tirzepatide', '2601723', 'GIP/GLP-1 receptor agonist', 'subcutaneous', 'Type 2 diabetes mellitus (glycemic control)', 'diabetes', '4 single-dose pens per 28 days'),
  d('trulicity', 'Trulicity', 'dulaglutide', '1551291', 'GLP-1 receptor agonist', 'subcutaneous', 'Type 2 diabetes mellitus (glycemic control; cardiovascular risk reduction)', 'diabetes', '4 single-dose pens per 28 days'),
  d('victoza', 'Victoza', 'liraglutide', '475968', 'GLP-1 receptor agonist', 'subcutaneous', 'Type 2 diabetes mellitus (glycemic control)', 'diabetes', '3 pens (18 mg/3 mL) per 30 days'),
  d('saxenda', 'Saxenda', 'liraglutide', '475968', 'GLP-1 receptor agonist', 'subcutaneous', 'Chronic weight management', 'weight', '5 pens (18 mg/3 mL) per 30 days'),
  d('jardiance', 'Jardiance', 'empagliflozin', '1545653', 'SGLT2 inhibitor', 'oral', 'Type 2 diabetes mellitus; heart failure; chronic kidney disease', 'diabetes', '30 tablets per 30 days'),
  d('farxiga', 'Farxiga', 'dapagliflozin', '1488564', 'SGLT2 inhibitor', 'oral', 'Type 2 diabetes mellitus; heart failure; chronic kidney disease', 'diabetes', '30 tablets per 30 days'),
  d('invokana', 'Invokana', 'canagliflozin', '1373458', 'SGLT2 inhibitor', 'oral', 'Type 2 diabetes mellitus (glycemic control)', 'diabetes', '30 tablets per 30 days'),
  d('januvia', 'Januvia', 'sitagliptin', '593411', 'DPP-4 inhibitor', 'oral', 'Type 2 diabetes mellitus (glycemic control)', 'diabetes', '30 tablets per 30 days'),
  d('zepbound', 'Zepbound', 'tirzepatide', '2601723', 'GIP/GLP-1 receptor agonist', 'subcutaneous', 'Chronic weight management', 'weight', '4 single-dose pens per 28 days'),
  d('rybelsus', 'Rybelsus', 'semaglutide', '1991302', 'GLP-1 receptor agonist', 'oral', 'Type 2 diabetes mellitus (glycemic control)', 'diabetes', '30 tablets per 30 days'),
];

/** The seed's ten drugs, in its order of interest. */
export const DEFAULT_PA_DRUG_KEYS: readonly string[] = [
  'ozempic', 'wegovy', 'mounjaro', 'trulicity', 'victoza', 'saxenda', 'jardiance', 'farxiga', 'invokana', 'januvia',
];

/** A PA drug by key or brand name (case-insensitive). */
export function paDrug(name: string): PaDrug | undefined {
  const k = name.trim().toLowerCase();
  return PA_DRUGS.find((x) => x.key === k || x.brand.toLowerCase() === k);
}
