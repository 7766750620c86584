import { describe, expect, test } from 'vitest';
import { formatDiagnostic, formatDiagnosticWithSource } from '../../src/spec/diagnostic.js';
import { parseProfile } from '../../src/spec/profile.js';
import { decodeUtf8, locate, parseYaml } from '../../src/spec/yaml.js';
import { messages, value, yaml } from './helpers.js';

describe('YAML parsing never throws and reports positions', () => {
  test('syntax error: unclosed flow sequence', () => {
    const r = parseYaml(yaml('profile:', '  id: x', '  tags: [a, b', 'other: 1'), 'p.yaml');
    const m = messages(r);
    expect(m[0]).toMatch(/^p\.yaml:4:1 /);
    expect(r.ok).toBe(false);
  });

  test('duplicate keys are errors at the second key', () => {
    expect(messages(parseYaml(yaml('profile:', '  id: x', '  id: y'), 'p.yaml'))).toEqual([
      'p.yaml:3:3 duplicate key "id" (each key may appear only once in a mapping)',
    ]);
  });

  test('two documents in one file', () => {
    expect(messages(parseYaml(yaml('a: 1', '---', 'b: 2'), 'p.yaml'))).toEqual(['p.yaml:2:1 only one YAML document per file is allowed']);
  });

  test('tabs used for indentation', () => {
    const r = parseYaml('profile:\n\tid: x\n', 'p.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.line).toBe(2);
  });

  test('alias bomb is refused quickly', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    let prev = 'a';
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g', 'h']) {
      lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
      prev = n;
    }
    const t0 = performance.now();
    expect(messages(parseYaml(yaml(...lines), 'bomb.yaml'))).toEqual([
      'bomb.yaml:1:1 too many alias expansions (more than 100); expand the anchors by hand',
    ]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  test('a few aliases are fine', () => {
    const v = value(parseYaml(yaml('base: &b {mean: 1}', 'x: *b', 'y: *b'), 'a.yaml')).value;
    expect(v).toEqual({ base: { mean: 1 }, x: { mean: 1 }, y: { mean: 1 } });
  });

  test('deep flow nesting is refused before parsing', () => {
    const deep = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const t0 = performance.now();
    expect(messages(parseYaml(deep, 'deep.yaml'))).toEqual(['deep.yaml:1:1 nesting is deeper than 64 levels']);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test('deep block nesting is refused with its position', () => {
    const text = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const r = parseYaml(text, 'deep.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(['yaml.too-deep']);
  });

  test('huge documents are refused', () => {
    expect(messages(parseYaml('a: 1\n'.repeat(10), 'big.yaml', { maxChars: 20 }))).toEqual([
      'big.yaml:1:1 file is 50 characters; a spec may have at most 20',
    ]);
  });

  test('binary input (NUL) and invalid UTF-8', () => {
    expect(messages(parseYaml('a: 1\nb: \u0000\n', 'bin.yaml'))).toEqual(['bin.yaml:2:4 file contains a NUL character; is it a binary file?']);
    const bytes = new Uint8Array([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x3a, 0x20, 0xff, 0x0a]);
    expect(messages(decodeUtf8(bytes, 'latin1.yaml'))).toEqual(['latin1.yaml:2:4 file is not valid UTF-8 (save the file as UTF-8)']);
    expect(value(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'bom.yaml'))).toBe('a');
  });

  test('an empty profile file', () => {
    expect(messages(parseProfile('# nothing here\n', 'p.yaml'))).toEqual(['p.yaml:1:1 file is empty; expected a top-level "profile:" mapping']);
  });

  test('locate maps paths to key and value positions; missing paths fall back to the parent', () => {
    const src = value(parseYaml(yaml('profile:', '  demographics:', '    age:', '      mean: 70', '  list: [a, b]'), 'p.yaml'));
    expect(locate(src, ['profile', 'demographics', 'age', 'mean'])).toMatchObject({ line: 4, col: 13 });
    expect(locate(src, ['profile', 'demographics', 'age', 'mean'], 'key')).toMatchObject({ line: 4, col: 7 });
    expect(locate(src, ['profile', 'demographics', 'age', 'nope'])).toMatchObject({ line: 3, col: 5 });
    expect(locate(src, ['profile', 'list', 1])).toMatchObject({ line: 5, col: 13 });
  });

  test('random garbage never throws', () => {
    const samples = ['{', ']', ': :', '- - -\n  - :', '"unterminated', "? a\n: b\n? a\n: c", '*undefined', '&a a: *a', '!!binary xyz', '%YAML 9.9\n---\na'];
    for (const s of samples) {
      expect(() => parseProfile(s, 'g.yaml')).not.toThrow();
    }
  });
});

describe('diagnostic rendering', () => {
  const d = { severity: 'error' as const, code: 'schema.type', message: 'demographics.age.mean must be a number (got "seventy")', file: 'profiles/x.yaml', line: 2, col: 9, length: 9 };
  test('one line', () => {
    expect(formatDiagnostic(d)).toBe('profiles/x.yaml:2:9 demographics.age.mean must be a number (got "seventy")');
    expect(formatDiagnostic({ ...d, severity: 'warning', hint: 'did you mean std_dev?' })).toBe(
      'profiles/x.yaml:2:9 warning: demographics.age.mean must be a number (got "seventy") (did you mean std_dev?)',
    );
  });
  test('with source excerpt and caret', () => {
    expect(formatDiagnosticWithSource(d, 'age:\n  mean: "seventy"\n')).toBe(
      ['profiles/x.yaml:2:9 demographics.age.mean must be a number (got "seventy")', '  2 |   mean: "seventy"', '    |         ^^^^^^^^^'].join('\n'),
    );
  });
});
