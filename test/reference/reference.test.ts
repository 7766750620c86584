import { describe, expect, it } from 'vitest';
import { icd10 } from '../../src/reference/icd10.js';
import { geography } from '../../src/reference/geography.js';
import { firstNamesFor, pickWeighted, surnameTable } from '../../src/reference/names.js';
import { codeExists } from '../../src/reference/codes.js';
import { LAB_PANELS, loincByKey, LOINC_TESTS } from '../../src/reference/loinc.js';
import { findDrug, RX_DRUGS } from '../../src/reference/rxnorm.js';
import { lookupSkill, resolveSkill, shippedSkills } from '../../src/reference/skills.js';
import { isValidNpi, npiCheckDigit } from '../../src/generate/network/npi.js';

describe('ICD-10-CM', () => {
  it('looks codes up dotted or undotted; categories are valid, non-billable headers', () => {
    expect(icd10.lookup('E11.65')).toEqual({ code: 'E11.65', billable: true, description: 'Type 2 diabetes mellitus with hyperglycemia' });
    expect(icd10.lookup('e1165')?.code).toBe('E11.65');
    expect(icd10.lookup('E11')).toEqual({ code: 'E11', billable: false, description: 'Type 2 diabetes mellitus' });
    expect(icd10.exists('I10')).toBe(true);
    expect(icd10.isBillable('I10')).toBe(true);
    expect(icd10.exists('E11.A')).toBe(false); // FY2023 code, not in FY2022
    expect(icd10.exists('X99.999')).toBe(false);
  });

  it('normalizes to the dotted upper-case form; a code already in it is returned as it is', () => {
    const cases: [string, string][] = [
      ['E11.65', 'E11.65'], ['I10', 'I10'], ['E11', 'E11'], ['C61', 'C61'], ['J45.909', 'J45.909'], ['F32.A', 'F32.A'],
      ['e1165', 'E11.65'], [' E11.65 ', 'E11.65'], ['e11.65', 'E11.65'], ['E1165', 'E11.65'], ['E11.', 'E11'],
      ['E1.15', 'E11.5'], ['E.11', 'E11'], ['E11..6', 'E11..6'], ['S93.401a', 'S93.401A'], ['', ''], ['z0000', 'Z00.00'],
    ];
    for (const [input, out] of cases) expect(icd10.normalize(input), input).toBe(out);
  });

  it('lists billable descendants of a prefix', () => {
    const kids = icd10.descendants('E11').map((c) => c.code);
    expect(kids).toContain('E11.9');
    expect(kids).toContain('E11.65');
    expect(kids).not.toContain('E11');
    expect(kids.every((c) => c.startsWith('E11.'))).toBe(true);
    expect(icd10.descendants('E78.0').map((c) => c.code)).toEqual(['E78.00', 'E78.01']);
    expect(icd10.descendants('I10').map((c) => c.code)).toEqual(['I10']);
  });
});

describe('geography and names', () => {
  it('has Harris County with its 2023 population and Houston ZIPs', () => {
    const harris = geography.county('48201')!;
    expect(harris).toMatchObject({ state: 'TX', name: 'Harris County' });
    expect(harris.population).toBeGreaterThan(4_800_000);
    const zips = geography.zipsInCounty('48201');
    expect(zips.some((z) => z.city === 'Houston')).toBe(true);
    expect(zips.every((z) => z.state === 'TX')).toBe(true);
  });

  it('national weights sum to the Vintage 2023 US total; every county has ZIPs', () => {
    const { weights } = geography.nationalCountyWeights();
    expect(weights.reduce((a, b) => a + b, 0)).toBe(334_914_895);
    for (const c of geography.allCounties()) expect(geography.zipsInCounty(c.fips).length, c.fips).toBeGreaterThan(0);
    expect(geography.stateCodes()).toHaveLength(51);
  });

  it('picks names by census frequency', () => {
    expect(pickWeighted(firstNamesFor('F'), 0)).toBe('Mary');
    expect(pickWeighted(firstNamesFor('M'), 0)).toBe('James');
    expect(pickWeighted(surnameTable(), 0)).toBe('Smith');
    expect(surnameTable().names).toHaveLength(10_000);
  });
});

describe('code tables', () => {
  it('codeExists answers for icd10cm, loinc and rxnorm; unknown systems are undefined', () => {
    expect(codeExists('icd10cm', 'E11.9')).toBe(true);
    expect(codeExists('ICD-10-CM', 'E119')).toBe(true);
    expect(codeExists('icd10cm', 'E11.A')).toBe(false);
    expect(codeExists('loinc', '4548-4')).toBe(true);
    expect(codeExists('loinc', '9999-9')).toBe(false);
    expect(codeExists('rxnorm', '6809')).toBe(true);
    expect(codeExists('rxnorm', 'metformin')).toBe(false);
    expect(codeExists('snomed', '123')).toBeUndefined();
  });

  it('keeps the requested LOINC and RxNorm codes', () => {
    const loinc: Record<string, string> = { hba1c: '4548-4', fasting_glucose: '1558-6', cholesterol_total: '2093-3', hdl: '2085-9', ldl: '13457-7', triglycerides: '2571-8', creatinine: '2160-0', egfr: '98979-8', bun: '3094-0', alt: '1742-6', ast: '1920-8', bmi: '39156-5', systolic_bp: '8480-6', diastolic_bp: '8462-4', weight: '29463-7', height: '8302-2', uacr: '9318-7' };
    for (const [k, code] of Object.entries(loinc)) expect(loincByKey(k)?.code, k).toBe(code);
    const rx: Record<string, string> = { metformin: '6809', insulin_glargine: '274783', semaglutide: '1991302', dulaglutide: '1551291', liraglutide: '475968', tirzepatide: '2601723', empagliflozin: '1545653', dapagliflozin: '1488564', canagliflozin: '1373458', glipizide: '4821', sitagliptin: '593411', lisinopril: '29046', losartan: '52175', amlodipine: '17767', hydrochlorothiazide: '5487', atorvastatin: '83367', rosuvastatin: '301542', furosemide: '4603', carvedilol: '20352', metoprolol: '6918', spironolactone: '9997', albuterol: '435', tiotropium: '69120' };
    for (const [k, code] of Object.entries(rx)) expect(findDrug(k)?.rxcui, k).toBe(code);
    expect(findDrug('Ozempic')?.key).toBe('semaglutide');
    expect(new Set(RX_DRUGS.map((d) => d.rxcui)).size).toBe(RX_DRUGS.length);
    expect(new Set(LOINC_TESTS.map((t) => t.code)).size).toBe(LOINC_TESTS.length);
    for (const keys of Object.values(LAB_PANELS)) for (const k of keys) expect(loincByKey(k), k).toBeDefined();
    // orderLabs relies on it: an order of one panel skips the duplicate check
    for (const [name, keys] of Object.entries(LAB_PANELS)) expect(new Set(keys).size, name).toBe(keys.length);
  });
});

describe('skills', () => {
  it('ships the condition packs, resolvable by alias and code', () => {
    expect(shippedSkills().map((s) => s.id)).toEqual(['chronic-kidney-disease', 'copd', 'diabetes-management', 'diabetes-type1', 'heart-failure', 'hyperlipidemia', 'hypertension', 'oncology-nsclc']);
    expect(resolveSkill('diabetes')?.id).toBe('diabetes-management');
    expect(resolveSkill('E10')?.id).toBe('diabetes-type1');
    expect(resolveSkill('type1_diabetes')?.id).toBe('diabetes-type1');
    expect(resolveSkill('Type2 Diabetes')?.id).toBe('diabetes-management');
    expect(resolveSkill('migraine')).toBeUndefined();
    expect(resolveSkill('type2_diabetes')?.id).toBe('diabetes-management');
    expect(resolveSkill('CHF')?.id).toBe('heart-failure');
    expect(resolveSkill('htn')?.id).toBe('hypertension');
    expect(resolveSkill('ckd')?.id).toBe('chronic-kidney-disease');
    expect(resolveSkill('nsclc')?.id).toBe('oncology-nsclc');
    expect(resolveSkill('E11.65')?.id).toBe('diabetes-management');
    expect(lookupSkill('diabetes-management', 'monitoring.labs.hba1c')).toMatchObject({ loinc: '4548-4', frequency_days: 90 });
    expect(lookupSkill('diabetes-management', 'monitoring.nothing')).toBeUndefined();
  });

  it('uses only real codes: billable ICD-10-CM, shipped LOINC keys/codes, shipped drugs', () => {
    for (const s of shippedSkills()) {
      for (const c of s.codes.category) expect(icd10.exists(c), `${s.id} ${c}`).toBe(true);
      for (const c of Object.keys(s.codes.billable)) expect(icd10.isBillable(c), `${s.id} ${c}`).toBe(true);
      for (const w of Object.values(s.severity_codes ?? {})) for (const c of Object.keys(w)) expect(icd10.isBillable(c), `${s.id} ${c}`).toBe(true);
      for (const c of s.complications) {
        expect(icd10.isBillable(c.code), `${s.id} ${c.code}`).toBe(true);
        if (c.also) expect(icd10.isBillable(c.also), `${s.id} ${c.also}`).toBe(true);
      }
      for (const [key, lab] of Object.entries(s.monitoring.labs)) {
        expect(loincByKey(key), `${s.id} ${key}`).toBeDefined();
        if (lab.loinc) expect(loincByKey(key)!.code, `${s.id} ${key}`).toBe(lab.loinc);
        for (const sev of Object.keys(lab.by_severity ?? {})) expect(Object.keys(s.severity), `${s.id} ${key}`).toContain(sev);
      }
      for (const p of s.monitoring.panels) expect(LAB_PANELS[p], `${s.id} ${p}`).toBeDefined();
      for (const line of s.medications.lines) for (const o of line.options) {
        expect(findDrug(o.drug), `${s.id} ${o.drug}`).toBeDefined();
        for (const a of o.also ?? []) expect(findDrug(a.drug), `${s.id} ${a.drug}`).toBeDefined();
      }
    }
  });
});

describe('NPI', () => {
  it('computes the Luhn check digit with the 80840 prefix', () => {
    expect(npiCheckDigit('123456789')).toBe(3); // CMS's published example NPI 1234567893
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
  });
});

describe('suggestions for unknown ICD-10-CM codes', () => {
  it('names the nearest real code, or the billable codes under an existing header', async () => {
    const { suggestCode } = await import('../../src/reference/codes.js');
    expect(suggestCode('icd10cm', 'E11.999')).toBe('did you mean E11.9 (Type 2 diabetes mellitus without complications)?');
    expect(suggestCode('icd10cm', 'Z99.99')).toBe('Z99 (Dependence on enabling machines and devices, NEC) exists; billable codes under it include Z99.0, Z99.11, Z99.12');
    expect(suggestCode('loinc', '1234-5')).toBeUndefined();
  });
});
