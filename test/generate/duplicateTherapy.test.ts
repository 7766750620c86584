import { describe, expect, it } from 'vitest';
import { duplicatesTherapy } from '../../src/generate/clinical/duplicateTherapy.js';

describe('therapeutic duplication', () => {
  it('never two statins, never dual RAAS blockade, never two incretin agonists', () => {
    expect(duplicatesTherapy('statin', ['statin'])).toBe(true);
    expect(duplicatesTherapy('angiotensin II receptor blocker', ['ACE inhibitor'])).toBe(true);
    expect(duplicatesTherapy('angiotensin receptor-neprilysin inhibitor', ['angiotensin II receptor blocker'])).toBe(true);
    expect(duplicatesTherapy('GIP/GLP-1 receptor agonist', ['GLP-1 receptor agonist'])).toBe(true);
  });
  it('allows guideline combinations of different classes', () => {
    expect(duplicatesTherapy('SGLT2 inhibitor', ['biguanide', 'GLP-1 receptor agonist'])).toBe(false);
    expect(duplicatesTherapy('long-acting muscarinic antagonist', ['long-acting beta agonist', 'inhaled corticosteroid'])).toBe(false);
    expect(duplicatesTherapy('statin', ['ACE inhibitor', 'beta blocker'])).toBe(false);
    expect(duplicatesTherapy('basal insulin', ['biguanide'])).toBe(false);
  });
});
