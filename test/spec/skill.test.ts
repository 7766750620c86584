import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { codeExists } from '../../src/reference/codes.js';
import { normalizeSkill as engineNormalize, type Skill } from '../../src/reference/skills.js';
import { analyzeProject } from '../../src/spec/project.js';
import { parseSkill } from '../../src/spec/skill.js';
import type { NormalizedSkill } from '../../src/spec/types.js';
import { messages, value, yaml } from './helpers.js';

const SHIPPED = readdirSync('skills')
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const shipped = (f: string) => readFileSync(`skills/${f}`, 'utf8');
const withoutRaw = ({ raw: _raw, ...rest }: Skill): Omit<Skill, 'raw'> => rest;

// The engine's Skill is the normalized spec skill plus `raw`: each must be assignable to the other.
const _toEngine = (s: NormalizedSkill): Omit<Skill, 'raw'> => s;
const _toSpec = (s: Omit<Skill, 'raw'>): NormalizedSkill => s;
void _toEngine;
void _toSpec;

describe('the shipped packs are valid project skills', () => {
  test('the eight shipped packs are all checked', () => {
    expect(SHIPPED).toEqual([
      'chronic-kidney-disease.yaml',
      'copd.yaml',
      'diabetes-management.yaml',
      'diabetes-type1.yaml',
      'heart-failure.yaml',
      'hyperlipidemia.yaml',
      'hypertension.yaml',
      'oncology-nsclc.yaml',
    ]);
  });

  for (const f of SHIPPED) {
    test(`${f}: no diagnostics; every code it names exists; same normalization as the engine`, () => {
      const r = parseSkill(shipped(f), `skills/${f}`);
      const s = value(r);
      expect(s.normalized.id).toBe(f.replace('.yaml', ''));
      expect(s.codeRefs.length).toBeGreaterThan(5);
      expect(s.codeRefs.filter((c) => codeExists(c.system, c.code) !== true).map((c) => `${c.path} ${c.code}`)).toEqual([]);
      // the spec layer fills exactly the defaults the engine's loader assumes …
      expect(s.normalized).toEqual(withoutRaw(engineNormalize(parse(shipped(f)))));
      // … and the engine takes the normalized skill as it is
      expect(withoutRaw(engineNormalize(s.normalized))).toEqual(s.normalized);
    });
  }

  test('severity levels keep their file order (best to worst)', () => {
    const s = value(parseSkill(shipped('chronic-kidney-disease.yaml'), 'ckd.yaml')).normalized;
    expect(Object.keys(s.severity)).toEqual(['stage_2', 'stage_3a', 'stage_3b', 'stage_4', 'stage_5']);
  });
});

describe('normalization', () => {
  test('a minimal skill gets the engine defaults', () => {
    const s = value(parseSkill(yaml('id: gout', 'codes: {category: M10}'), 'skills/gout.yaml'));
    expect(s.normalized).toEqual({
      id: 'gout',
      name: 'gout',
      version: 1,
      aliases: [],
      codes: { category: ['M10'], billable: {} },
      severity: {},
      monitoring: { panels: [], labs: {} },
      medications: { lines: [], add_on: false, outcomes: { 'inadequate response': 1 } },
      complications: [],
      visits: { cadence_days: 365, encounter: { code: '99213', code_system: 'CPT', class: 'AMB', description: 'Office visit, established patient' } },
      procedures: [],
    });
    expect(s.codeRefs.map((c) => `${c.system}:${c.code}@${c.line}:${c.col}`)).toEqual(['icd10cm:M10@2:19']);
  });

  test('line numbers, option weights, also (one or a list) and bare-number distributions', () => {
    const text = yaml(
      'id: gout',
      'codes: {category: [M10, M1A]}',
      'severity: {flare: 0.3, quiet: 0.7}',
      'monitoring:',
      '  labs:',
      '    wbc: {by_severity: {flare: 12.5, quiet: {type: uniform, min: 5, max: 9}}}',
      'medications:',
      '  lines:',
      '    - options: [{drug: prednisone, also: {drug: aspirin}}]',
      '    - probability: 0.5',
      '      options: [{drug: metformin, weight: 0.5, also: [{drug: lisinopril, doses: [10]}]}]',
      'procedures:',
      '  - {code: "94010", annual_probability: 0.2}',
    );
    const s = value(parseSkill(text, 'g.yaml')).normalized;
    expect(s.codes.category).toEqual(['M10', 'M1A']);
    expect(s.monitoring.labs.wbc).toEqual({ by_severity: { flare: { type: 'constant', value: 12.5 }, quiet: { type: 'uniform', min: 5, max: 9 } } });
    expect(s.medications.lines).toEqual([
      { line: 1, probability: 1, options: [{ drug: 'prednisone', weight: 1, also: [{ drug: 'aspirin' }] }] },
      { line: 2, probability: 0.5, options: [{ drug: 'metformin', weight: 0.5, also: [{ drug: 'lisinopril', doses: [10] }] }] },
    ]);
    expect(s.procedures).toEqual([{ code: '94010', code_system: 'CPT', description: '', annual_probability: 0.2 }]);
  });
});

describe('broken skill files', () => {
  test('unknown keys get a did-you-mean', () => {
    const text = yaml('id: gout', 'procedure: []', 'codes: {category: M10}', 'monitoring:', '  lab: {}');
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:2:1 unknown top-level key "procedure" (did you mean procedures?)',
      's.yaml:5:3 monitoring has unknown key "lab" (did you mean labs?)',
    ]);
  });

  test('an unquoted comma inside a flow mapping shows up as an unknown key', () => {
    const text = yaml('id: gout', 'codes: {category: M10}', 'visits:', '  encounter: {code: "99213", description: Office visit, established patient}');
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:4:57 visits.encounter has unknown key "established patient" (expected one of code, code_system, class, description)',
    ]);
  });

  test('wrong types and missing keys', () => {
    const text = yaml(
      'id: Gout Pack',
      'version: "1"',
      'codes: {billable: {M10.9: 1}}',
      'visits: {cadence_days: "90"}',
      'complications:',
      '  - {code: M10.9}',
    );
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:1:5 id must be a lowercase id like diabetes-management (got "Gout Pack")',
      's.yaml:2:10 version must be a whole number (got "1")',
      's.yaml:3:1 codes is missing required key "category"',
      's.yaml:4:24 visits.cadence_days must be a number (got "90")',
      's.yaml:6:5 complications[0] is missing required key "prevalence"',
    ]);
  });

  test('a lab with min > max, a severity level that does not exist, weights that do not sum to 1', () => {
    const text = yaml(
      'id: gout',
      'codes: {category: M10}',
      'severity: {flare: 0.3, quiet: 0.6}',
      'monitoring:',
      '  labs:',
      '    wbc:',
      '      by_severity:',
      '        flare: {type: uniform, min: 14, max: 11}',
      '        quit: {type: normal, mean: 7, std_dev: 1, min: 9, max: 4}',
    );
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:3:11 severity weights sum to 0.9; they must sum to 1 (weights are fractions of the population, e.g. 0.48 and 0.52)',
      's.yaml:8:37 monitoring.labs.wbc.by_severity.flare.min is greater than max (14 > 11) (swap min and max)',
      's.yaml:9:9 monitoring.labs.wbc.by_severity.quit names an unknown severity level "quit" (did you mean quiet?)',
      's.yaml:9:56 monitoring.labs.wbc.by_severity.quit.min is greater than max (9 > 4) (swap min and max)',
    ]);
  });

  test('billable keys must be ICD-10-CM codes; severity_codes name severity levels; lines go up', () => {
    const text = yaml(
      'id: gout',
      'codes:',
      '  category: M10',
      '  billable: {M10.9: 0.5, gout: 0.5}',
      'severity: {flare: 1}',
      'severity_codes: {flares: {M10.9: 1}, acute: {M10.9: 1}}',
      'medications:',
      '  lines:',
      '    - {line: 2, options: [{drug: prednisone}]}',
      '    - {line: 1, options: [{drug: prednisone}]}',
    );
    expect(messages(parseSkill(text, 's.yaml'))).toEqual([
      's.yaml:4:26 codes.billable.gout must be an ICD-10-CM code like E11 or E11.65 (got "gout")',
      's.yaml:6:18 severity_codes.flares names an unknown severity level "flares" (did you mean flare?)',
      's.yaml:6:38 severity_codes.acute names an unknown severity level "acute" (levels: flare)',
      's.yaml:10:14 medications.lines[1].line is line 1, not after line 2 (list lines of therapy in increasing order: 1, 2, 3)',
    ]);
  });

  test('the old wrapped format gets one clear message', () => {
    expect(messages(parseSkill(yaml('skill:', '  id: copd', '  conditions: [copd]'), 's.yaml'))).toEqual([
      's.yaml:1:1 unknown top-level key "skill" (skill files have no "skill:" wrapper: move its keys to the top level (see skills/README.md))',
    ]);
    expect(messages(parseSkill('# nothing\n', 's.yaml'))).toEqual(['s.yaml:1:1 file is empty; expected a mapping with "id:"']);
  });

  test('codes a skill names are checked by the project codeExists hook', () => {
    const skill = yaml(
      'id: gout',
      'codes: {category: M10, billable: {M10.9: 0.5, M10.99: 0.5}}',
      'monitoring: {labs: {wbc: {loinc: 6690-2}, crp: {loinc: 1988-6}}}',
      'complications: [{code: N20.0, prevalence: 0.1, also: Z99.99}]',
      'procedures: [{code: "20610", annual_probability: 0.2}, {code: "X1", code_system: LOCAL, annual_probability: 0.1}]',
    );
    const r = analyzeProject({ configFile: 'c.yaml', configText: yaml('version: 1'), files: new Map(), skillFiles: new Map([['skills/gout.yaml', skill]]), codeExists });
    expect(messages(r)).toEqual([
      'skills/gout.yaml:2:47 codes.billable.M10.99 "M10.99" is not a known ICD-10-CM code (did you mean M10.9 (Gout, unspecified)?)',
      'skills/gout.yaml:3:56 monitoring.labs.crp.loinc "1988-6" is not a known LOINC code',
      'skills/gout.yaml:4:54 complications[0].also "Z99.99" is not a known ICD-10-CM code (Z99 (Dependence on enabling machines and devices, NEC) exists; billable codes under it include Z99.0, Z99.11, Z99.12)',
      'skills/gout.yaml:5:21 procedures[0].code "20610" is not a known CPT/HCPCS code',
    ]);
  });
});
