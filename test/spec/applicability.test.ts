import { describe, expect, test } from 'vitest';
import { analyzeProject } from '../../src/spec/project.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';
import { codeExists } from '../../src/reference/codes.js';
import { messages, value, yaml } from './helpers.js';

const F = 'healthsim.config.yaml';
const configText = yaml('version: 1', 'datasets:', '  a: {profile: p.yaml}');
const analyze = (...lines: string[]) => analyzeProject({ configFile: F, configText, files: new Map([['p.yaml', yaml('profile:', '  id: a', ...lines)]]), codeExists });
const profileOf = (...lines: string[]) => value(analyze(...lines)).profiles.get('p.yaml')!.normalized;

describe('a profile against the sex and ages its conditions apply to', () => {
  test('unwritten gender and age follow a sex- or age-specific primary condition', () => {
    expect(profileOf('  clinical:', '    primary_condition: {code: C61}').demographics.gender).toEqual({ male: 1, female: 0 });
    const pregnancy = profileOf('  clinical:', '    primary_condition: {code: O24.4, prevalence: 0.4}').demographics;
    expect(pregnancy.gender).toEqual({ male: 0, female: 1 });
    expect(pregnancy.age).toEqual({ type: 'uniform', min: 18, max: 55 }); // the default 18–90, narrowed
    expect(profileOf('  clinical:', '    primary_condition: {code: Z00.1}').demographics.age).toEqual({ type: 'uniform', min: 0, max: 17 });
    // a normal distribution's unwritten bounds narrow; written ones stay
    const normal = profileOf('  demographics:', '    age: {type: normal, mean: 30, std_dev: 8, min: 16}', '  clinical:', '    primary_condition: {code: Z34}').demographics.age;
    expect(normal).toEqual({ type: 'normal', mean: 30, std_dev: 8, min: 16, max: 55 });
  });

  test('codes anyone can have change nothing', () => {
    const d = profileOf('  clinical:', '    primary_condition: {code: E11}', '    comorbidities: [{code: I10}]').demographics;
    expect(d.gender).toEqual({ female: 0.51, male: 0.49 });
    expect(d.age).toEqual({ type: 'uniform', min: 18, max: 90 });
  });

  test('a written cohort the primary condition cannot all apply to is an error at the line that says so', () => {
    expect(messages(analyze('  demographics:', '    gender: {male: 0.5, female: 0.5}', '  clinical:', '    primary_condition: {code: C61, description: Prostate cancer}'))).toEqual([
      'p.yaml:4:13 demographics.gender gives female 0.5, but the primary condition C61 (Prostate cancer) applies to males only (ICD-10-CM sex edit) and has prevalence 1 (set gender: { male: 1, female: 0 }, leave gender out (a sex-specific primary condition sets it), or give the condition a prevalence below 1 (it is then the prevalence among males))',
    ]);
    expect(messages(analyze('  demographics:', '    age: {type: uniform, min: 10, max: 60}', '  clinical:', '    primary_condition: {code: O24.4}'))).toEqual([
      'p.yaml:4:31 demographics.age.min 10 is below 12, the youngest age the primary condition O24.4 applies to (females aged 12–55, ICD-10-CM age edit), and its prevalence is 1 (set min: 12, or give the condition a prevalence below 1 (it is then the prevalence among those it applies to))',
      'p.yaml:4:40 demographics.age.max 60 is above 55, the oldest age the primary condition O24.4 applies to (females aged 12–55, ICD-10-CM age edit), and its prevalence is 1 (set max: 55, or give the condition a prevalence below 1 (it is then the prevalence among those it applies to))',
    ]);
    const normal = messages(analyze('  demographics:', '    age: {type: normal, mean: 30, std_dev: 8, max: 70}', '  clinical:', '    primary_condition: {code: O24.4}'));
    expect(normal).toHaveLength(1);
    expect(normal[0]).toContain('demographics.age.max 70 is above 55');
    expect(normal[0]).toContain('leave max out (it then follows the condition)');
  });

  test('a primary condition no one in the cohort can have is an error whatever its prevalence', () => {
    expect(messages(analyze('  demographics:', '    gender: {male: 0, female: 1}', '  clinical:', '    primary_condition: {code: N40, prevalence: 0.3}'))[0]).toMatch(
      /^p\.yaml:4:13 demographics\.gender gives no males, but the primary condition N40 applies to males only .*: no one could have it/,
    );
    expect(messages(analyze('  demographics:', '    age: {type: constant, value: 3}', '  clinical:', '    primary_condition: {code: O24.4, prevalence: 0.5}'))).toEqual([
      'p.yaml:4:10 demographics.age gives age 3, but the primary condition O24.4 applies to females aged 12–55 (ICD-10-CM age edit): no one could have it (ages within 12–55)',
    ]);
  });

  test('below prevalence 1 a mixed cohort is fine: the prevalence is among those the condition applies to', () => {
    const d = profileOf('  demographics:', '    gender: {male: 0.5, female: 0.5}', '    age: {type: uniform, min: 5, max: 80}', '  clinical:', '    primary_condition: {code: O24.4, prevalence: 0.2}').demographics;
    expect(d.gender).toEqual({ male: 0.5, female: 0.5 });
    expect(d.age).toEqual({ type: 'uniform', min: 5, max: 80 });
  });

  test('a comorbidity no one in the cohort can have is a warning', () => {
    const r = value(analyze('  demographics:', '    gender: {male: 1, female: 0}', '    age: {type: uniform, min: 40, max: 70}', '  clinical:', '    primary_condition: {code: I10}', '    comorbidities:', '      - {code: N95.1, prevalence: 0.3}', '      - {code: Z00.121}', '      - {code: N40.0}'));
    expect(r.warnings.map(formatDiagnostic)).toEqual([
      'p.yaml:9:16 warning: clinical.comorbidities[0].code N95.1 applies to females only (ICD-10-CM sex edit), and this profile has no females: no one will have it',
      'p.yaml:10:16 warning: clinical.comorbidities[1].code Z00.121 applies to persons aged 0–17 (ICD-10-CM age edit), and this profile gives ages 40–70: no one will have it',
    ]);
  });
});
