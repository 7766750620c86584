/**
 * Curated RxNorm table: ingredient (TTY IN) and multiple-ingredient (TTY MIN) concepts used by
 * the generators, with therapeutic class, route and usual adult doses.
 *
 * Source/version: RXCUIs written by hand from the NLM RxNorm vocabulary
 * (https://www.nlm.nih.gov/research/umls/rxnorm/). They were NOT verified against an RxNorm
 * release here (none ships in this repository); only codes we are confident are real are
 * listed. Dose options are common adult maintenance doses, for realism only — not guidance.
 */
export interface RxDrug {
  key: string; // our stable key: metformin, insulin_glargine …
  rxcui: string;
  tty: 'IN' | 'MIN';
  name: string; // ingredient name
  brand?: string;
  therapeuticClass: string;
  route: 'oral' | 'subcutaneous' | 'inhalation' | 'intravenous';
  doseUnit: string;
  /** usual dose options per administration */
  doses: readonly number[];
  frequency: string; // daily, BID, qHS, weekly, q3w, PRN …
}

export const RXNORM_VERSION = 'curated by hand from RxNorm ingredient concepts; not verified against an RxNorm release';

const d = (
  key: string, rxcui: string, name: string, therapeuticClass: string, route: RxDrug['route'],
  doseUnit: string, doses: number[], frequency: string, brand?: string, tty: RxDrug['tty'] = 'IN',
): RxDrug => ({ key, rxcui, tty, name, brand, therapeuticClass, route, doseUnit, doses, frequency });

export const RX_DRUGS: readonly RxDrug[] = [
  // diabetes
  d('metformin', '6809', 'metformin', 'biguanide', 'oral', 'mg', [500, 850, 1000], 'BID', 'Glucophage'),
  d('glipizide', '4821', 'glipizide', 'sulfonylurea', 'oral', 'mg', [5, 10], 'daily', 'Glucotrol'),
  d('glimepiride', '25789', 'glimepiride', 'sulfonylurea', 'oral', 'mg', [1, 2, 4], 'daily', 'Amaryl'),
  d('pioglitazone', '33738', 'pioglitazone', 'thiazolidinedione', 'oral', 'mg', [15, 30, 45], 'daily', 'Actos'),
  d('sitagliptin', '593411', 'sitagliptin', 'DPP-4 inhibitor', 'oral', 'mg', [100], 'daily', 'Januvia'),
  d('empagliflozin', '1545653', 'empagliflozin', 'SGLT2 inhibitor', 'oral', 'mg', [10, 25], 'daily', 'Jardiance'),
  d('dapagliflozin', '1488564', 'dapagliflozin', 'SGLT2 inhibitor', 'oral', 'mg', [5, 10], 'daily', 'Farxiga'),
  d('canagliflozin', '1373458', 'canagliflozin', 'SGLT2 inhibitor', 'oral', 'mg', [100, 300], 'daily', 'Invokana'),
  d('semaglutide', '1991302', 'semaglutide', 'GLP-1 receptor agonist', 'subcutaneous', 'mg', [0.25, 0.5, 1, 2], 'weekly', 'Ozempic'),
  d('dulaglutide', '1551291', 'dulaglutide', 'GLP-1 receptor agonist', 'subcutaneous', 'mg', [0.75, 1.5, 3, 4.5], 'weekly', 'Trulicity'),
  d('liraglutide', '475968', 'liraglutide', 'GLP-1 receptor agonist', 'subcutaneous', 'mg', [0.6, 1.2, 1.8], 'daily', 'Victoza'),
  d('tirzepatide', '2601723', 'tirzepatide', 'GIP/GLP-1 receptor agonist', 'subcutaneous', 'mg', [2.5, 5, 7.5, 10, 12.5, 15], 'weekly', 'Mounjaro'),
  d('insulin_glargine', '274783', 'insulin glargine', 'basal insulin', 'subcutaneous', '[iU]', [10, 14, 18, 20, 24, 30, 36, 40], 'qHS', 'Lantus'),
  d('insulin_lispro', '86009', 'insulin lispro', 'rapid-acting insulin', 'subcutaneous', '[iU]', [4, 6, 8, 10], 'TID with meals', 'Humalog'),
  d('insulin_aspart', '51428', 'insulin aspart', 'rapid-acting insulin', 'subcutaneous', '[iU]', [4, 6, 8, 10], 'TID with meals', 'NovoLog'),
  // hypertension / cardiovascular
  d('lisinopril', '29046', 'lisinopril', 'ACE inhibitor', 'oral', 'mg', [5, 10, 20, 40], 'daily', 'Zestril'),
  d('losartan', '52175', 'losartan', 'angiotensin II receptor blocker', 'oral', 'mg', [25, 50, 100], 'daily', 'Cozaar'),
  d('valsartan', '69749', 'valsartan', 'angiotensin II receptor blocker', 'oral', 'mg', [80, 160, 320], 'daily', 'Diovan'),
  d('amlodipine', '17767', 'amlodipine', 'calcium channel blocker', 'oral', 'mg', [2.5, 5, 10], 'daily', 'Norvasc'),
  d('hydrochlorothiazide', '5487', 'hydrochlorothiazide', 'thiazide diuretic', 'oral', 'mg', [12.5, 25], 'daily'),
  d('chlorthalidone', '2409', 'chlorthalidone', 'thiazide-like diuretic', 'oral', 'mg', [12.5, 25], 'daily'),
  d('metoprolol', '6918', 'metoprolol succinate', 'beta blocker', 'oral', 'mg', [25, 50, 100, 200], 'daily', 'Toprol XL'),
  d('carvedilol', '20352', 'carvedilol', 'beta blocker', 'oral', 'mg', [3.125, 6.25, 12.5, 25], 'BID', 'Coreg'),
  d('bisoprolol', '19484', 'bisoprolol', 'beta blocker', 'oral', 'mg', [2.5, 5, 10], 'daily'),
  d('spironolactone', '9997', 'spironolactone', 'mineralocorticoid receptor antagonist', 'oral', 'mg', [12.5, 25, 50], 'daily', 'Aldactone'),
  d('eplerenone', '298869', 'eplerenone', 'mineralocorticoid receptor antagonist', 'oral', 'mg', [25, 50], 'daily', 'Inspra'),
  d('furosemide', '4603', 'furosemide', 'loop diuretic', 'oral', 'mg', [20, 40, 80], 'daily', 'Lasix'),
  d('torsemide', '38413', 'torsemide', 'loop diuretic', 'oral', 'mg', [10, 20, 40], 'daily'),
  d('sacubitril_valsartan', '1656339', 'sacubitril / valsartan', 'angiotensin receptor-neprilysin inhibitor', 'oral', 'mg', [50, 100, 200], 'BID', 'Entresto', 'MIN'),
  d('digoxin', '3407', 'digoxin', 'cardiac glycoside', 'oral', 'mg', [0.125, 0.25], 'daily'),
  d('aspirin', '1191', 'aspirin', 'antiplatelet', 'oral', 'mg', [81], 'daily'),
  // lipids
  d('atorvastatin', '83367', 'atorvastatin', 'statin', 'oral', 'mg', [10, 20, 40, 80], 'daily', 'Lipitor'),
  d('rosuvastatin', '301542', 'rosuvastatin', 'statin', 'oral', 'mg', [5, 10, 20, 40], 'daily', 'Crestor'),
  d('simvastatin', '36567', 'simvastatin', 'statin', 'oral', 'mg', [20, 40], 'qHS', 'Zocor'),
  d('pravastatin', '42463', 'pravastatin', 'statin', 'oral', 'mg', [20, 40, 80], 'daily'),
  d('ezetimibe', '341248', 'ezetimibe', 'cholesterol absorption inhibitor', 'oral', 'mg', [10], 'daily', 'Zetia'),
  // respiratory
  d('albuterol', '435', 'albuterol', 'short-acting beta agonist', 'inhalation', 'ug', [180], 'q4-6h PRN', 'ProAir HFA'),
  d('ipratropium', '7213', 'ipratropium', 'short-acting muscarinic antagonist', 'inhalation', 'ug', [34], 'QID'),
  d('tiotropium', '69120', 'tiotropium', 'long-acting muscarinic antagonist', 'inhalation', 'ug', [18, 2.5], 'daily', 'Spiriva'),
  d('salmeterol', '36117', 'salmeterol', 'long-acting beta agonist', 'inhalation', 'ug', [50], 'BID'),
  d('formoterol', '25255', 'formoterol', 'long-acting beta agonist', 'inhalation', 'ug', [12], 'BID'),
  d('fluticasone', '41126', 'fluticasone', 'inhaled corticosteroid', 'inhalation', 'ug', [100, 250, 500], 'BID'),
  d('budesonide', '19831', 'budesonide', 'inhaled corticosteroid', 'inhalation', 'ug', [160, 320], 'BID'),
  d('montelukast', '88249', 'montelukast', 'leukotriene receptor antagonist', 'oral', 'mg', [10], 'qPM', 'Singulair'),
  d('cetirizine', '20610', 'cetirizine', 'antihistamine', 'oral', 'mg', [10], 'daily', 'Zyrtec'),
  d('prednisone', '8640', 'prednisone', 'systemic corticosteroid', 'oral', 'mg', [40], 'daily x5 days'),
  d('azithromycin', '18631', 'azithromycin', 'macrolide antibiotic', 'oral', 'mg', [250, 500], 'daily'),
  // oncology (NSCLC)
  d('carboplatin', '40048', 'carboplatin', 'platinum chemotherapy', 'intravenous', 'mg', [450, 600, 750], 'q3w'),
  d('cisplatin', '2555', 'cisplatin', 'platinum chemotherapy', 'intravenous', 'mg', [120, 140], 'q3w'),
  d('pemetrexed', '68446', 'pemetrexed', 'antifolate chemotherapy', 'intravenous', 'mg', [900, 1000], 'q3w', 'Alimta'),
  d('paclitaxel', '56946', 'paclitaxel', 'taxane chemotherapy', 'intravenous', 'mg', [300, 350], 'q3w'),
  d('docetaxel', '72962', 'docetaxel', 'taxane chemotherapy', 'intravenous', 'mg', [130, 150], 'q3w'),
  d('pembrolizumab', '1547545', 'pembrolizumab', 'PD-1 inhibitor', 'intravenous', 'mg', [200], 'q3w', 'Keytruda'),
  d('nivolumab', '1597876', 'nivolumab', 'PD-1 inhibitor', 'intravenous', 'mg', [240], 'q2w', 'Opdivo'),
  d('osimertinib', '1721560', 'osimertinib', 'EGFR tyrosine kinase inhibitor', 'oral', 'mg', [80], 'daily', 'Tagrisso'),
  // analgesics and antipyretics
  d('acetaminophen', '161', 'acetaminophen', 'analgesic and antipyretic', 'oral', 'mg', [500, 650], 'q6h PRN', 'Tylenol'),
  d('ibuprofen', '5640', 'ibuprofen', 'nonsteroidal anti-inflammatory', 'oral', 'mg', [400], 'q6-8h PRN', 'Advil'),
  // common allergens (drug)
  d('amoxicillin', '723', 'amoxicillin', 'penicillin antibiotic', 'oral', 'mg', [500], 'TID'),
  d('sulfamethoxazole', '10180', 'sulfamethoxazole', 'sulfonamide antibiotic', 'oral', 'mg', [800], 'BID'),
  d('codeine', '2670', 'codeine', 'opioid analgesic', 'oral', 'mg', [30], 'q6h PRN'),
];

const BY_KEY = new Map(RX_DRUGS.map((x) => [x.key, x]));
const BY_RXCUI = new Map(RX_DRUGS.map((x) => [x.rxcui, x]));
const BY_NAME = new Map<string, RxDrug>();
for (const x of RX_DRUGS) {
  BY_NAME.set(x.name.toLowerCase(), x);
  if (x.brand) BY_NAME.set(x.brand.toLowerCase(), x);
}

/** A drug by our key (insulin_glargine), ingredient name (insulin glargine), brand (Ozempic) or RXCUI. */
export function findDrug(nameOrCode: string): RxDrug | undefined {
  const k = nameOrCode.trim();
  return BY_KEY.get(k) ?? BY_RXCUI.get(k) ?? BY_NAME.get(k.toLowerCase()) ?? BY_KEY.get(k.toLowerCase().replace(/[\s/-]+/g, '_'));
}

/**
 * The drugs of a therapeutic class ("statin"), or, when no class has that exact name, of every
 * class it ends ("insulin": basal and rapid-acting insulins; "antibiotic", "diuretic").
 */
export function drugsInClass(therapeuticClass: string): RxDrug[] {
  const c = therapeuticClass.trim().toLowerCase();
  if (c === '') return [];
  const exact = RX_DRUGS.filter((x) => x.therapeuticClass.toLowerCase() === c);
  return exact.length > 0 ? exact : RX_DRUGS.filter((x) => x.therapeuticClass.toLowerCase().endsWith(` ${c}`));
}

export const rxnorm = { find: findDrug, byRxcui: (c: string) => BY_RXCUI.get(c), inClass: drugsInClass, drugs: RX_DRUGS, version: RXNORM_VERSION };
