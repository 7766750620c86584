/**
 * Therapeutic duplication: a prescriber does not start a second active drug of a class the
 * patient already takes (two statins), nor combine ACE inhibitor, ARB and ARNI (dual RAAS
 * blockade is contraindicated), nor two incretin agonists. Chemotherapy regimens combine
 * classes on purpose and are not grouped here.
 */
const GROUPS: Record<string, string> = {
  'ACE inhibitor': 'raas',
  'angiotensin II receptor blocker': 'raas',
  'angiotensin receptor-neprilysin inhibitor': 'raas',
  'GLP-1 receptor agonist': 'incretin',
  'GIP/GLP-1 receptor agonist': 'incretin',
  'DPP-4 inhibitor': 'incretin', // DPP-4 inhibitors add nothing on top of a GLP-1 agonist
  'thiazide diuretic': 'thiazide',
  'thiazide-like diuretic': 'thiazide',
};

const COMBINABLE = /chemotherapy|inhibitor$|antibiotic|analgesic|corticosteroid|agonist$|antagonist$/;

/** The duplication group of a therapeutic class. */
export function duplicationGroup(therapeuticClass: string): string {
  return GROUPS[therapeuticClass] ?? therapeuticClass;
}

/** True when starting `candidate` would duplicate one of the active classes. */
export function duplicatesTherapy(candidateClass: string, activeClasses: readonly string[]): boolean {
  const g = duplicationGroup(candidateClass);
  if (GROUPS[candidateClass] === undefined && COMBINABLE.test(candidateClass) && !/statin/.test(candidateClass)) {
    // classes outside the explicit groups that are routinely combined within class families
    // (e.g. LABA + LAMA) only clash with the very same class
    return activeClasses.includes(candidateClass);
  }
  return activeClasses.some((c) => duplicationGroup(c) === g);
}
