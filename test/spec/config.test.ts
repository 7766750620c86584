import { describe, expect, test } from 'vitest';
import { cleanPath, isCalendarDate, parseConfig } from '../../src/spec/config.js';
import { messages, value, yaml } from './helpers.js';

const F = 'healthsim.config.yaml';

describe('config diagnostics', () => {
  test('names, kinds, paths, formats and tables in one run', () => {
    const text = yaml(
      'version: 1',
      'reference_date: 2025-02-30',
      'datasets:',
      '  Diabetes_Cohort: {profile: profiles/a.yaml}',
      '  a: {merge: [b], count: 3}',
      '  b: {merge: [a, c]}',
      '  d: {profile: ../outside.yaml, clone: a}',
      '  e: {}',
      'exports:',
      '  out: {dataset: a, format: xlsx, tables: [patient]}',
    );
    expect(messages(parseConfig(text, F))).toEqual([
      'healthsim.config.yaml:2:17 reference_date "2025-02-30" is not a real calendar date',
      'healthsim.config.yaml:4:3 dataset name "Diabetes_Cohort" must be lowercase letters, digits, - or _, start with a letter and be at most 63 characters (did you mean diabetes_cohort?)',
      'healthsim.config.yaml:5:19 datasets.a.count only applies to generated datasets, not to a merge',
      'healthsim.config.yaml:7:16 datasets.d.profile "../outside.yaml" leaves the project directory (keep referenced files inside the project)',
      'healthsim.config.yaml:7:33 datasets.d.clone cannot combine profile and clone; a dataset is generated from profiles, merged, or cloned',
      'healthsim.config.yaml:8:3 datasets.e needs one of profile, profiles, merge or clone',
      'healthsim.config.yaml:10:29 exports.out.format must be one of csv, parquet, ndjson, fhir, sdtm, x12, ncpdp (got "xlsx")',
      'healthsim.config.yaml:10:44 exports.out.tables[0] "patient" is not a table (did you mean patients?)',
    ]);
  });

  test('duplicate dataset names', () => {
    expect(messages(parseConfig(yaml('version: 1', 'datasets:', '  a: {profile: p.yaml}', '  a: {profile: q.yaml}'), F))).toEqual([
      'healthsim.config.yaml:4:3 duplicate dataset name "a" (each dataset name may be used once)',
    ]);
  });

  test('version, seed and absolute paths', () => {
    const text = yaml('version: 2', 'seed: -1', 'output_dir: /tmp/out', 'datasets:', '  x: {profile: /etc/passwd}');
    expect(messages(parseConfig(text, F))).toEqual([
      'healthsim.config.yaml:1:10 version must be 1 (got 2)',
      'healthsim.config.yaml:2:7 seed must be >= 0 (got -1)',
      'healthsim.config.yaml:3:13 output_dir "/tmp/out" is an absolute path; paths must be relative to the project root',
      'healthsim.config.yaml:5:16 datasets.x.profile "/etc/passwd" is an absolute path; paths must be relative to the project root',
    ]);
  });

  test('unknown keys in a dataset suggest the right one', () => {
    expect(messages(parseConfig(yaml('version: 1', 'datasets:', '  x: {profile: p.yaml, jouney: j.yaml}'), F))).toEqual([
      'healthsim.config.yaml:3:24 datasets.x has unknown key "jouney" (did you mean journey?)',
    ]);
  });

  test('a count above what one build holds', () => {
    expect(messages(parseConfig(yaml('version: 1', 'datasets:', '  x: {profile: p.yaml, count: 20000000}'), F))).toEqual([
      'healthsim.config.yaml:3:31 count 20000000 is beyond what one build can hold; use --shard or a smaller count (at most 10,000,000 per build)',
    ]);
  });
});

describe('config normalization', () => {
  test('defaults: seed 42, reference_date 2025-01-01, output_dir outputs; datasets sorted; export path default', () => {
    const text = yaml(
      'version: 1',
      'datasets:',
      '  zeta: {profile: ./profiles//z.yaml, tags: [b, a]}',
      '  alpha: {profiles: [profiles/a.yaml, profiles/b.yaml], journey: journeys/j.yaml, count: 150, seed: 7, namespace: alpha-ns}',
      '  both: {merge: [zeta, alpha], tags: [training]}',
      '  copy: {clone: alpha}',
      'exports:',
      '  csv-out: {dataset: both, format: csv}',
      '  fhir-out: {dataset: alpha, format: fhir, path: exports/fhir, tables: [patients, encounters]}',
    );
    expect(value(parseConfig(text, F)).normalized).toEqual({
      version: 1,
      seed: 42,
      reference_date: '2025-01-01',
      output_dir: 'outputs',
      storage: 'views',
      datasets: [
        { name: 'alpha', kind: 'generate', profiles: ['profiles/a.yaml', 'profiles/b.yaml'], journey: 'journeys/j.yaml', count: 150, seed: 7, namespace: 'alpha-ns', tags: [] },
        { name: 'both', kind: 'merge', profiles: [], merge: ['zeta', 'alpha'], tags: ['training'] },
        { name: 'copy', kind: 'clone', profiles: [], clone: 'alpha', tags: [] },
        { name: 'zeta', kind: 'generate', profiles: ['profiles/z.yaml'], tags: ['a', 'b'] },
      ],
      exports: [
        { name: 'csv-out', dataset: 'both', format: 'csv', path: 'outputs/exports/csv-out' },
        { name: 'fhir-out', dataset: 'alpha', format: 'fhir', path: 'exports/fhir', tables: ['encounters', 'patients'] },
      ],
    });
  });

  test('helpers', () => {
    expect(['2024-02-29', '2023-02-29', '2025-13-01', '2025-04-31', '2025-01-01'].map(isCalendarDate)).toEqual([true, false, false, false, true]);
    expect(['./a//b/../c', 'a/../../x', '../y', 'a\\b', '.'].map(cleanPath)).toEqual(['a/c', '../x', '../y', 'a/b', '.']);
  });
});
