import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseSkill } from '../../src/spec/skill.js';
import { messages, value, yaml } from './helpers.js';

describe('skills', () => {
  test('the fixture diabetes pack normalizes', () => {
    const s = value(parseSkill(readFileSync('test/fixtures/spec/project/skills/diabetes-management.yaml', 'utf8'), 'skills/dm.yaml'));
    expect(s.normalized.conditions).toEqual(['diabetes', 'diabetes-management', 'type2_diabetes']);
    expect(s.normalized.labs.hba1c).toEqual({
      name: 'hba1c',
      loinc: '4548-4',
      unit: '%',
      description: 'Hemoglobin A1c',
      by_control: {
        controlled: { mean: 6.6, std_dev: 0.4, min: 5.7, max: 7.4 },
        uncontrolled: { mean: 9.2, std_dev: 1.2, min: 7.5, max: 14 },
      },
    });
    expect(s.normalized.medications.lines.map((l) => [l.line, l.drugs.map((d) => d.rxnorm)])).toEqual([
      [1, ['860975']],
      [2, ['274783']],
    ]);
    expect(s.codeRefs.map((r) => `${r.system}:${r.code}`)).toEqual([
      'icd10cm:E11',
      'icd10cm:E11.9',
      'icd10cm:E11.65',
      'loinc:4548-4',
      'rxnorm:860975',
      'rxnorm:274783',
      'icd10cm:E11.319',
      'icd10cm:N18.3',
    ]);
  });

  test('extension keys and free-form data are kept; unknown keys are not', () => {
    const ok = value(parseSkill(yaml('skill:', '  id: copd', '  x_engine: {spirometry: true}', '  data: {anything: [1, 2]}'), 's.yaml'));
    expect(ok.normalized.extensions).toEqual({ x_engine: { spirometry: true } });
    expect(ok.normalized.data).toEqual({ anything: [1, 2] });
    expect(messages(parseSkill(yaml('skill:', '  id: copd', '  lab: {}'), 's.yaml'))).toEqual(['s.yaml:3:3 skill has unknown key "lab" (did you mean labs?)']);
  });

  test('lab ranges: min > max, bad LOINC', () => {
    const text = yaml('skill:', '  id: ckd', '  labs:', '    egfr:', '      loinc: "33914"', '      unit: mL/min', '      by_control: {stage3: {mean: 45, std_dev: 8, min: 59, max: 30}}');
    // the semantic check still runs next to the schema error (it is about another value)
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:5:14 labs.egfr.loinc must be a LOINC code like 4548-4 (got "33914")',
      's.yaml:7:56 labs.egfr.by_control.stage3.min is greater than max (59 > 30) (swap min and max)',
    ]);
  });
});
