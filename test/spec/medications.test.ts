import { describe, expect, test } from 'vitest';
import { analyzeProject } from '../../src/spec/project.js';
import { codeExists } from '../../src/reference/codes.js';
import { drugsInClass } from '../../src/reference/rxnorm.js';
import { messages, value, yaml } from './helpers.js';

const F = 'healthsim.config.yaml';
const run = (profile: string[], journey?: string[]) =>
  analyzeProject({
    configFile: F,
    configText: yaml('version: 1', 'datasets:', `  a: {profile: p.yaml${journey ? ', journey: j.yaml' : ''}}`),
    files: new Map([['p.yaml', yaml('profile:', '  id: a', ...profile)], ...(journey ? [['j.yaml', yaml('journey:', '  id: j', ...journey)] as [string, string]] : [])]),
    codeExists,
  });

describe('medications a profile or journey names must be known (they were silently dropped)', () => {
  test('a misspelled drug is an error at its line, with the closest name', () => {
    expect(messages(run(['  clinical:', '    medications:', '      - {name: metformn, prevalence: 0.5}']))).toEqual([
      'p.yaml:5:16 clinical.medications[0].name "metformn" is not a known medication (did you mean metformin?)',
    ]);
  });

  test('an unknown drug lists what is shipped', () => {
    const [m] = messages(run(['  clinical:', '    medications:', '      - {name: leuprolide}']));
    expect(m).toMatch(/^p\.yaml:5:16 clinical\.medications\[0\]\.name "leuprolide" is not a known medication \(a medication is a drug, brand \(Ozempic\), RxCUI \(6809\) or drug class/);
    expect(m).toContain('albuterol, amlodipine');
  });

  test('drug keys, ingredients, brands, RxCUIs and classes are accepted, including a family of classes ("insulin")', () => {
    value(run(['  clinical:', '    medications:', '      - {name: insulin_glargine}', '      - {name: Ozempic}', '      - {name: "6809"}', '      - {name: statin}', '      - {name: insulin}', '      - {name: beta_blocker}', '      - {name: montelukast}']));
    expect(drugsInClass('insulin').map((d) => d.key)).toEqual(['insulin_glargine', 'insulin_lispro', 'insulin_aspart']);
    expect(drugsInClass('statin')).toHaveLength(4); // the exact class, not every class ending in "statin"
    expect(drugsInClass('')).toEqual([]);
  });

  test('pharmacy drugs and a journey’s medication event are checked too', () => {
    expect(messages(run(['  product: rxmembersim', '  pharmacy:', '    drugs:', '      - {name: atorvastatinn}']))).toEqual([
      'p.yaml:6:16 pharmacy.drugs[0].name "atorvastatinn" is not a known medication (did you mean atorvastatin?)',
    ]);
    expect(messages(run([], ['  events:', '    - {id: rx, event_type: medication, parameters: {drug: lisinoprill}}']))).toEqual([
      'j.yaml:4:59 events[0].parameters.drug "lisinoprill" is not a known medication (did you mean lisinopril?)',
    ]);
  });
});
