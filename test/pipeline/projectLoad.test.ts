import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/pipeline/project.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';

describe('loadProject with an invalid config', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hs-load-'));
    await mkdir(path.join(dir, 'profiles'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('still reports the errors of the profiles it names, in one run', async () => {
    await writeFile(path.join(dir, 'healthsim.config.yaml'), 'version: 1\ndatasets:\n  cohort: { profile: profiles/p.yaml }\n  Bad_Name: { profile: profiles/p.yaml }\n');
    await writeFile(path.join(dir, 'profiles', 'p.yaml'), 'profile:\n  id: p\n  product: patientsim\n  demographics:\n    age: { type: normal, mean: seventy, std_dev: 8 }\n');
    const r = await loadProject(dir);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatDiagnostic)).toEqual([
      'healthsim.config.yaml:4:3 dataset name "Bad_Name" must be lowercase letters, digits, - or _, start with a letter and be at most 63 characters (did you mean bad_name?)',
      'profiles/p.yaml:5:32 demographics.age.mean must be a number (got "seventy")',
    ]);
  });
});
