import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEFAULT_BATCH_SIZE } from '../../src/spec/profile-defaults.js';
import { loadProject } from '../../src/pipeline/project.js';
import { analyzeProject, findGraphCycles } from '../../src/spec/project.js';
import { messages, value, yaml } from './helpers.js';

const F = 'healthsim.config.yaml';
const profile = (id: string, extra: string[] = []) => yaml('profile:', `  id: ${id}`, ...extra);

describe('analyzeProject (pure cross-file checks)', () => {
  test('all errors of a project in one run', () => {
    const configText = yaml(
      'version: 1',
      'datasets:',
      '  a: {profile: profiles/a.yaml, journey: journeys/missing.yaml}',
      '  b: {profile: profiles/broken.yaml}',
      '  c: {merge: [a, d, x]}',
      '  d: {merge: [c]}',
      '  e: {clone: e}',
      '  f: {clone: nope}',
      'exports:',
      '  out: {dataset: combined, format: csv}',
      '  link: {dataset: a, format: csv}',
    );
    const files = new Map([
      ['profiles/a.yaml', profile('a')],
      ['profiles/broken.yaml', profile('b', ['  demographics: {age: {type: normal, mean: seventy, std_dev: 1}}'])],
    ]);
    expect(messages(analyzeProject({ configFile: F, configText, files }))).toEqual([
      'healthsim.config.yaml:3:42 datasets.a.journey "journeys/missing.yaml" does not exist (create it or fix the path)',
      'healthsim.config.yaml:5:7 datasets.c.merge datasets depend on each other in a cycle: c → d → c (a dataset cannot be built from itself)',
      'healthsim.config.yaml:5:21 datasets.c.merge[2] names an unknown dataset "x" (known datasets: a, b, c, d, e, f)',
      'healthsim.config.yaml:7:7 datasets.e.clone datasets depend on each other in a cycle: e → e (a dataset cannot be built from itself)',
      'healthsim.config.yaml:8:14 datasets.f.clone names an unknown dataset "nope" (known datasets: a, b, c, d, e, f)',
      'healthsim.config.yaml:10:18 exports.out.dataset names an unknown dataset "combined" (known datasets: a, b, c, d, e, f)',
      'profiles/broken.yaml:3:44 demographics.age.mean must be a number (got "seventy")',
    ]);
  });

  test('unreadable files are reported at the config line that names them', () => {
    const configText = yaml('version: 1', 'datasets:', '  a: {profile: profiles/link.yaml}');
    const unreadable = new Map([['profiles/link.yaml', { code: 'project.symlink-escape', message: 'is a symlink that resolves outside the project' }]]);
    expect(messages(analyzeProject({ configFile: F, configText, files: new Map(), unreadable }))).toEqual([
      'healthsim.config.yaml:3:16 datasets.a.profile "profiles/link.yaml" is a symlink that resolves outside the project',
    ]);
  });

  test('codes are checked through the injected hook (undefined = unknown system, skipped)', () => {
    const configText = yaml('version: 1', 'datasets:', '  a: {profile: p.yaml, journey: j.yaml}');
    const files = new Map([
      ['p.yaml', profile('a', ['  clinical:', '    primary_condition: {code: E11}', '    comorbidities: [{code: Z99.99}]'])],
      ['j.yaml', yaml('journey:', '  id: j', '  events:', '    - {id: x, event_type: lab_order, loinc: 9999-9, cpt: "99213"}')],
    ]);
    const seen: string[] = [];
    const codeExists = (system: string, code: string) => {
      seen.push(`${system}:${code}`);
      if (system === 'icd10cm') return code === 'E11';
      if (system === 'loinc') return false;
      return undefined;
    };
    expect(messages(analyzeProject({ configFile: F, configText, files, codeExists }))).toEqual([
      'j.yaml:4:45 events[0].loinc "9999-9" is not a known LOINC code',
      'p.yaml:5:28 clinical.comorbidities[0].code "Z99.99" is not a known ICD-10-CM code',
    ]);
    expect(seen.sort()).toEqual(['cpt:99213', 'icd10cm:E11', 'icd10cm:Z99.99', 'loinc:9999-9']);
  });

  test('skills: journey conditions resolve by alias; unknown skills fail only when the hook says so', () => {
    const configText = yaml('version: 1', 'datasets:', '  a: {profile: p.yaml, journey: j.yaml}');
    const journey = yaml(
      'journey:',
      '  id: j',
      '  events:',
      '    - {id: v, event_type: encounter, condition: type2_diabetes}',
      '    - {id: w, event_type: encounter, condition: diabetis}',
      '    - {id: l, event_type: lab_order, parameters: {skill_ref: {skill: diabetes-mgmt, lookup: labs.hba1c}}}',
    );
    const skill = yaml('id: diabetes-management', 'aliases: [diabetes, type2_diabetes]', 'codes: {category: E11}');
    const files = new Map([
      ['p.yaml', profile('a')],
      ['j.yaml', journey],
    ]);
    const skillFiles = new Map([['skills/dm.yaml', skill]]);
    expect(value(analyzeProject({ configFile: F, configText, files, skillFiles })).skills.has('diabetes-management')).toBe(true);
    expect(messages(analyzeProject({ configFile: F, configText, files, skillFiles, skillExists: () => false }))).toEqual([
      'j.yaml:5:49 events[1].condition names an unknown skill "diabetis" (did you mean diabetes?)',
      'j.yaml:6:70 events[2].parameters.skill_ref.skill names an unknown skill "diabetes-mgmt" (known skills: diabetes-management; or define skills/diabetes-mgmt.yaml)',
    ]);
  });

  test('duplicate skill ids across files', () => {
    const configText = yaml('version: 1');
    const skillFiles = new Map([
      ['skills/a.yaml', yaml('id: copd', 'codes: {category: J44}')],
      ['skills/b.yaml', yaml('id: copd', 'codes: {category: J44}')],
    ]);
    expect(messages(analyzeProject({ configFile: F, configText, files: new Map(), skillFiles }))).toEqual([
      'skills/b.yaml:1:5 id "copd" is also defined in skills/a.yaml',
    ]);
  });

  test('graph cycles are found once each, rotated to their smallest node', () => {
    const edges = new Map([
      ['d', ['b']],
      ['b', ['c']],
      ['c', ['d', 'b']],
      ['a', []],
    ]);
    expect(findGraphCycles(edges)).toEqual([
      ['b', 'c'],
      ['b', 'c', 'd'],
    ]);
  });
});

describe('loadProject (reads files)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'healthsim-spec-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('the example fixture project loads with every spec normalized', async () => {
    const p = value(await loadProject('test/fixtures/spec/project'));
    expect(p.configFile).toBe('healthsim.config.yaml');
    expect(p.config.datasets.map((d) => d.name)).toEqual(['combined-training', 'diabetes-clone', 'diabetes-cohort', 'harris-diabetic', 'medicare-ca', 'nsclc-trial']);
    expect([...p.profiles.keys()]).toEqual([
      'profiles/elderly-diabetic.yaml',
      'profiles/harris-diabetic.yaml',
      'profiles/medicare-advantage-ca.yaml',
      'profiles/nsclc-phase3.yaml',
    ]);
    expect([...p.journeys.keys()]).toEqual(['journeys/diabetic-year-one.yaml', 'journeys/oncology-treatment.yaml']);
    expect([...p.skills.keys()]).toEqual(['diabetes-management']);
    expect(p.config.skills_dir).toBe('skills');
    expect(p.config.exports.map((e) => e.path)).toEqual(['outputs/exports/combined-training'.replace('combined-training', 'training-csv'), 'outputs/exports/sdtm']);
    expect(p.sources.get('healthsim.config.yaml')).toContain('version: 1');
    expect(p.profiles.get('profiles/elderly-diabetic.yaml')!.canonicalJson.startsWith('{"clinical":{"allergies_rate":0.1,')).toBe(true);
  });

  test('a missing config file', async () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    expect(messages(await loadProject(dir))).toEqual([`healthsim.config.yaml:1:1 no healthsim.config.yaml in ${dir} (run \`healthsim init\` to create one)`]);
  });

  test('symlinks resolving outside the project are errors; missing files point at the config line', async () => {
    const dir = join(tmp, 'proj');
    mkdirSync(join(dir, 'profiles'), { recursive: true });
    writeFileSync(join(tmp, 'secret.yaml'), profile('secret'));
    symlinkSync(join(tmp, 'secret.yaml'), join(dir, 'profiles', 'link.yaml'));
    writeFileSync(join(dir, 'profiles', 'bad.yaml'), Buffer.from([0x70, 0x72, 0x6f, 0x66, 0x69, 0x6c, 0x65, 0x3a, 0xff, 0x0a]));
    writeFileSync(
      join(dir, F),
      yaml('version: 1', 'datasets:', '  a: {profile: profiles/link.yaml}', '  b: {profile: profiles/gone.yaml}', '  c: {profile: profiles/bad.yaml}'),
    );
    expect(messages(await loadProject(dir))).toEqual([
      'healthsim.config.yaml:3:16 datasets.a.profile "profiles/link.yaml" is a symlink that resolves outside the project',
      'healthsim.config.yaml:4:16 datasets.b.profile "profiles/gone.yaml" does not exist (create it or fix the path)',
      'healthsim.config.yaml:5:16 datasets.c.profile "profiles/bad.yaml" is not valid UTF-8',
      'profiles/bad.yaml:1:9 file is not valid UTF-8 (save the file as UTF-8)',
    ]);
  });

  test('a symlink inside the project is fine; a custom config path works', async () => {
    const dir = join(tmp, 'proj2');
    mkdirSync(join(dir, 'real'), { recursive: true });
    writeFileSync(join(dir, 'real', 'p.yaml'), profile('p'));
    symlinkSync(join(dir, 'real'), join(dir, 'profiles'));
    writeFileSync(join(dir, 'other.yaml'), yaml('version: 1', 'datasets:', '  a: {profile: profiles/p.yaml}'));
    const p = value(await loadProject(dir, { configFile: 'other.yaml' }));
    expect(p.configFile).toBe('other.yaml');
    expect([...p.profiles.keys()]).toEqual(['profiles/p.yaml']);
    expect(p.config.skills_dir).toBeUndefined();
  });

  test('a copy of the fixture with reordered keys, comments and explicit defaults gives identical canonical JSON', async () => {
    const dir = join(tmp, 'copy');
    cpSync('test/fixtures/spec/project', dir, { recursive: true });
    writeFileSync(
      join(dir, 'profiles', 'harris-diabetic.yaml'),
      yaml(
        '# same meaning, different text',
        'profile:',
        '  providers: {reference: {specialty: endocrinology, state: TX}, source: networksim}',
        '  clinical:',
        '    primary_condition: {prevalence: 1, code: E11}   # prevalence written explicitly',
        '    comorbidities: []',
        '    derived_conditions: false',
        '    allergies_rate: 0.1',
        '  product: patientsim',
        `  generation: {count: 100, batch_size: ${DEFAULT_BATCH_SIZE}}`,
        '  demographics:',
        '    reference: {fips: "48201", type: county}',
        '    source: populationsim',
        '    age: {type: uniform, max: 90, min: 18}',
        '    gender: {female: 0.51, male: 0.49}',
        '  id: harris-diabetic',
      ),
    );
    const a = value(await loadProject('test/fixtures/spec/project'));
    const b = value(await loadProject(dir));
    for (const [path, spec] of a.profiles) expect(b.profiles.get(path)!.canonicalJson, path).toBe(spec.canonicalJson);
    for (const [path, spec] of a.journeys) expect(b.journeys.get(path)!.canonicalJson, path).toBe(spec.canonicalJson);
  });
});
