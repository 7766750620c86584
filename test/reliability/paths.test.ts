/**
 * Guarantee: nothing a spec names can make healthsim read or write outside the project: exports
 * and profile/journey references through `..`, absolute paths or symlinks are refused before
 * anything runs (exit 1, a diagnostic at file:line:col); `export --out ../x` is a usage error
 * (exit 2); dataset and export names must be identifiers.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists, rmrf, runCli, smallProject, tempDir } from './helpers.js';

let outside: string;
const dirs: string[] = [];
beforeAll(async () => {
  outside = await tempDir('hs-rel-outside-');
  await writeFile(path.join(outside, 'evil.yaml'), 'profile:\n  id: evil\n  product: patientsim\n');
});
afterAll(async () => {
  for (const d of [outside, ...dirs]) if (d) await rmrf(d);
});

const config = (datasets: string, exports = '') => `version: 1
seed: 3
datasets:
${datasets}
${exports ? `exports:\n${exports}` : ''}`;
const COHORT = '  cohort:\n    profile: profiles/copd.yaml\n    count: 3';

async function project(cfg: string): Promise<string> {
  const dir = await smallProject(cfg);
  dirs.push(dir);
  return dir;
}

/** validate and build both refuse with this diagnostic; nothing is written anywhere. */
async function expectRefused(dir: string, diagnostic: RegExp): Promise<void> {
  for (const cmd of ['validate', 'build']) {
    const r = await runCli(dir, [cmd]);
    expect(r.code, `${cmd}: ${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(diagnostic);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  }
  expect(await exists(path.join(dir, 'outputs'))).toBe(false);
  expect(await exists(path.join(dir, 'healthsim.lock'))).toBe(false);
  expect(await readdir(outside)).toEqual(['evil.yaml']);
}

describe.concurrent('paths and names', () => {
describe('exports cannot leave the project', () => {
  it('through ..', async () => {
    const dir = await project(config(COHORT, '  e: { dataset: cohort, format: csv, path: ../escaped }'));
    await expectRefused(dir, /^healthsim\.config\.yaml:8:\d+ .*"\.\.\/escaped" leaves the project directory/m);
  });

  it('through .. hidden inside a path', async () => {
    const dir = await project(config(COHORT, '  e: { dataset: cohort, format: csv, path: outputs/../../escaped }'));
    await expectRefused(dir, /^healthsim\.config\.yaml:8:\d+ .*leaves the project directory/m);
  });

  it('through an absolute path', async () => {
    const dir = await project(config(COHORT, `  e: { dataset: cohort, format: csv, path: ${outside}/x }`));
    await expectRefused(dir, /^healthsim\.config\.yaml:8:\d+ .*is an absolute path; paths must be relative to the project root/m);
  });

  it('through a symlinked directory', async () => {
    const dir = await project(config(COHORT, '  e: { dataset: cohort, format: csv, path: outputs/exports/e }'));
    await mkdir(path.join(dir, 'outputs'));
    await symlink(outside, path.join(dir, 'outputs', 'exports'));
    for (const cmd of ['validate', 'build']) {
      const r = await runCli(dir, [cmd]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`healthsim.config.yaml:8:44 exports.e.path "outputs/exports/e" leads outside the project through the symlink outputs/exports → ${outside}`);
    }
    expect(await readdir(outside)).toEqual(['evil.yaml']);
    expect(await exists(path.join(dir, 'outputs', 'healthsim.duckdb'))).toBe(false);
  });

  it('healthsim export --out ../x is a usage error (exit 2); so is --out .healthsim', async () => {
    const dir = await project(config(COHORT));
    for (const out of ['../x', 'outputs/../../x', '.healthsim/cache']) {
      const r = await runCli(dir, ['export', 'cohort', '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: --out .* (leaves the project|would replace project files)/m);
    }
    expect(await exists(path.join(dir, '..', 'x'))).toBe(false);
  });
});

describe('profile and journey references cannot leave the project', () => {
  it('through ..', async () => {
    const dir = await project(config('  d:\n    profile: ../evil.yaml'));
    await expectRefused(dir, /^healthsim\.config\.yaml:5:14 .*"\.\.\/evil\.yaml" leaves the project directory/m);
  });

  it('through an absolute path', async () => {
    const dir = await project(config(`  d:\n    profile: ${outside}/evil.yaml`));
    await expectRefused(dir, /^healthsim\.config\.yaml:5:14 .*is an absolute path/m);
  });

  it('through a symlinked file or directory', async () => {
    const dir = await project(config('  d:\n    profile: profiles/evil.yaml\n  e:\n    profile: linked/evil.yaml'));
    await symlink(path.join(outside, 'evil.yaml'), path.join(dir, 'profiles', 'evil.yaml'));
    await symlink(outside, path.join(dir, 'linked'));
    const r = await runCli(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^healthsim\.config\.yaml:5:14 .*profiles\/evil\.yaml.* is a symlink that resolves outside the project/m);
    expect(r.stderr).toMatch(/^healthsim\.config\.yaml:7:14 .*linked\/evil\.yaml.* is a symlink that resolves outside the project/m);
    await expectRefused(dir, /symlink that resolves outside the project/);
  });

  it('a journey through ..', async () => {
    const dir = await project(config('  d:\n    profile: profiles/copd.yaml\n    journey: ../../etc/passwd'));
    await expectRefused(dir, /^healthsim\.config\.yaml:6:14 .*leaves the project directory/m);
  });
});

describe('names must be identifiers', () => {
  it('dataset names that are not identifiers: each reported at its key (one run, all errors at once)', async () => {
    const bad = ['Bad-Name', '1cohort', 'a b', '"a;drop schema main"', '"../x"', '"ünï"', 'a'.repeat(64), '"-x"', '"main.x"'];
    const dir = await project(config(bad.map((b) => `  ${b}:\n    profile: profiles/copd.yaml`).join('\n')));
    const r = await runCli(dir, ['validate']);
    expect(r.code, r.stderr).toBe(1);
    bad.forEach((b, i) => {
      const name = b.replace(/^"|"$/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(r.stderr).toMatch(
        new RegExp(`^healthsim\\.config\\.yaml:${4 + 2 * i}:3 dataset name "${name}" must be lowercase letters, digits, - or _, start with a letter and be at most 63 characters`, 'm'),
      );
    });
  });

  it('export names too', async () => {
    const dir = await project(config(COHORT, '  "Out/../x": { dataset: cohort, format: csv, path: outputs/x }'));
    const r = await runCli(dir, ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^healthsim\.config\.yaml:8:3 export name "Out\/\.\.\/x" must be lowercase letters/m);
  });

  it('commands taking a dataset name refuse one that is not an identifier, without touching files', async () => {
    const dir = await project(config(COHORT));
    for (const args of [['query', '../x', 'SELECT 1'], ['summary', 'a;b'], ['export', '"x', '--out', 'outputs/x']]) {
      const r = await runCli(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBeGreaterThanOrEqual(1);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
});
