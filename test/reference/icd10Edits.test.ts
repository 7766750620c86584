import { describe, expect, it } from 'vitest';
import { appliesTo, codeEdit, describeEdit } from '../../src/reference/icd10Edits.js';
import { icd10 } from '../../src/reference/icd10.js';
import { applicability } from '../../src/reference/codes.js';
import { parseCsv, readDataText } from '../../src/reference/dataFiles.js';

describe('ICD-10-CM sex and age edits', () => {
  it('billable codes: sex-specific, maternity, newborn, pediatric and adult codes', () => {
    expect(codeEdit('C61')).toEqual({ sex: 'M', minAge: 0, maxAge: 124, kinds: ['male'] });
    expect(codeEdit('N40.1')?.sex).toBe('M');
    expect(codeEdit('C50.911')?.sex).toBe('F'); // female breast
    expect(codeEdit('C50.921')?.sex).toBe('M'); // male breast
    expect(codeEdit('N95.1')?.sex).toBe('F');
    expect(codeEdit('O24.410')).toEqual({ sex: 'F', minAge: 12, maxAge: 55, kinds: ['female', 'maternity'] });
    expect(codeEdit('Z34.90')).toMatchObject({ sex: 'F', minAge: 12, maxAge: 55 });
    expect(codeEdit('Z00.110')).toMatchObject({ minAge: 0, maxAge: 0 });
    expect(codeEdit('Z00.110')?.sex).toBeUndefined();
    expect(codeEdit('P07.30')).toMatchObject({ minAge: 0, maxAge: 0 });
    expect(codeEdit('Z00.129')).toMatchObject({ minAge: 0, maxAge: 17 });
    expect(codeEdit('Z00.00')).toMatchObject({ minAge: 15, maxAge: 124 });
    expect(codeEdit('z0000')).toMatchObject({ minAge: 15, maxAge: 124 }); // undotted, lower case
  });

  it('codes anyone can have, and codes that do not exist, have no edit', () => {
    for (const c of ['E11.9', 'I10', 'J45.909', 'N39.0', 'N99.0', 'C34.90', 'Z00.01x', 'X99']) expect(codeEdit(c), c).toBeUndefined();
    expect(appliesTo('E11.9', 'F', 3)).toBe(true);
  });

  it('a category answers for the union of its billable codes', () => {
    expect(codeEdit('C50')).toBeUndefined(); // female and male breast codes
    expect(codeEdit('C50.91')?.sex).toBe('F');
    expect(codeEdit('Z00.1')).toEqual({ minAge: 0, maxAge: 17, kinds: ['newborn', 'pediatric'] });
    expect(codeEdit('O24.4')).toMatchObject({ sex: 'F', minAge: 12, maxAge: 55 });
    expect(codeEdit('N40')).toMatchObject({ sex: 'M' });
    expect(codeEdit('Z00')).toBeUndefined(); // adult and child examinations
  });

  it('appliesTo checks sex and both ends of the age range', () => {
    expect(appliesTo('C61', 'M', 70)).toBe(true);
    expect(appliesTo('C61', 'F', 70)).toBe(false);
    expect(appliesTo('O24.4', 'F', 12)).toBe(true);
    expect(appliesTo('O24.4', 'F', 55)).toBe(true);
    expect(appliesTo('O24.4', 'F', 11)).toBe(false);
    expect(appliesTo('O24.4', 'F', 56)).toBe(false);
    expect(appliesTo('O24.4', 'M', 30)).toBe(false);
    expect(appliesTo('Z00.111', 'M', 0)).toBe(true);
    expect(appliesTo('Z00.111', 'M', 1)).toBe(false);
  });

  it('describes whom a code applies to, for diagnostics', () => {
    expect(describeEdit(codeEdit('C61')!)).toBe('males only');
    expect(describeEdit(codeEdit('O24.4')!)).toBe('females aged 12–55');
    expect(describeEdit(codeEdit('Z00.110')!)).toBe('persons aged 0');
    expect(applicability('Z00.1')).toEqual({ minAge: 0, maxAge: 17, who: 'persons aged 0–17' });
    expect(applicability('I10')).toBeUndefined();
  });

  it('every range in data/icd10cm_edits.csv starts and ends at real ICD-10-CM codes, in order', () => {
    const rows = parseCsv(readDataText('icd10cm_edits.csv'));
    expect(rows.length).toBeGreaterThan(50);
    const dotted = (c: string) => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c);
    for (const r of rows) {
      expect(icd10.exists(dotted(r.first!)), `${r.first}`).toBe(true);
      expect(icd10.exists(dotted(r.last!)), `${r.last}`).toBe(true);
      expect(r.first! <= r.last!, `${r.first}–${r.last}`).toBe(true);
      expect(['male', 'female', 'newborn', 'pediatric', 'maternity', 'adult']).toContain(r.edit);
    }
  });
});
