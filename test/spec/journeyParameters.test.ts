import { describe, expect, test } from 'vitest';
import { analyzeProject } from '../../src/spec/project.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';
import { codeExists } from '../../src/reference/codes.js';
import { skillExists } from '../../src/reference/skills.js';
import { messages, value, yaml } from './helpers.js';

const F = 'healthsim.config.yaml';
const run = (...events: string[]) =>
  analyzeProject({
    configFile: F,
    configText: yaml('version: 1', 'datasets:', '  a: {profile: p.yaml, journey: j.yaml}'),
    files: new Map([
      ['p.yaml', yaml('profile:', '  id: a', '  clinical:', '    primary_condition: {code: E11}')],
      ['j.yaml', yaml('journey:', '  id: j', '  events:', ...events.map((e) => `    - ${e}`))],
    ]),
    codeExists,
    skillExists,
  });

describe("a journey event's parameters are checked (unknown ones used to be dropped without a word)", () => {
  test('lab panels and tests, a visit or procedure code, a skill lookup path: errors at their line with the closest name', () => {
    expect(
      messages(
        run(
          '{id: l, event_type: lab_order, parameters: {panels: [cmpp, lipid]}}',
          '{id: t, event_type: lab_order, parameters: {tests: [hba1cc, "4548-4"]}}',
          '{id: p, event_type: procedure, parameters: {code: "99999"}}',
          '{id: s, event_type: lab_order, parameters: {skill_ref: {skill: diabetes-management, lookup: monitoring.labs.nope}}}',
        ),
      ),
    ).toEqual([
      'j.yaml:4:60 events[0].parameters.panels[0] "cmpp" is not a known lab panel, test or LOINC code (did you mean cmp?)',
      'j.yaml:5:59 events[1].parameters.tests[0] "hba1cc" is not a known lab panel, test or LOINC code (did you mean hba1c?)',
      'j.yaml:6:57 events[2].parameters.code "99999" is not a known CPT/HCPCS code',
      'j.yaml:7:99 events[3].parameters.skill_ref.lookup "monitoring.labs.nope" is not in skill diabetes-management (at monitoring.labs the skill has monitoring.labs.hba1c, monitoring.labs.fasting_glucose, monitoring.labs.glucose, monitoring.labs.uacr)',
    ]);
  });

  test('a negative dose or length is an error; a code of another system is not checked as CPT', () => {
    expect(messages(run('{id: m, event_type: medication, parameters: {drug: metformin, dose: -5}}'))).toEqual(['j.yaml:4:75 events[0].parameters.dose must be > 0 (got -5)']);
    expect(messages(run('{id: v, event_type: encounter, parameters: {length_days: 0}}'))[0]).toMatch(/^j\.yaml:4:\d+ events\[0\]\.parameters\.length_days must be >= 1/);
    value(run('{id: p, event_type: procedure, parameters: {code: "0DTJ4ZZ", code_system: ICD-10-PCS}}'));
  });

  test('a key no generator reads is a warning naming the one meant; valid parameters pass', () => {
    const r = value(
      run(
        '{id: v, event_type: encounter, parameters: {class_code: AMB, code: "99214", panel: [cmp]}}',
        '{id: l, event_type: lab_order, parameters: {panels: [cmp, hba1c, "4548-4"], tests: [ldl]}}',
        '{id: s, event_type: lab_order, parameters: {skill_ref: {skill: diabetes-management, lookup: monitoring.labs.hba1c}}}',
        '{id: m, event_type: medication, parameters: {drug: insulin, dose: 10, frequency: qHS}}',
      ),
    );
    expect(r.warnings.map(formatDiagnostic)).toEqual([
      'j.yaml:4:83 warning: events[0].parameters.panel is not a parameter healthsim reads; it is ignored (did you mean panels?)',
    ]);
  });
});
