import { execFileSync, spawnSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from './helpers.js';

/**
 * The published package works on its own: `npm pack`, installed into an empty directory, then
 * `healthsim init demo && healthsim build` (schemas, reference data and the example ship in it).
 */
describe('npm package', () => {
  it('installs into an empty directory and builds a freshly initialised project', async () => {
    const work = await tempDir('healthsim-pack-');
    try {
      const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: REPO, encoding: 'utf8' });
      const tarball = out.trim().split('\n').pop()!;
      const app = path.join(work, 'app');
      execFileSync('mkdir', ['-p', app]);
      await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
      execFileSync('npm', ['install', '--no-audit', '--no-fund', path.join(work, tarball)], { cwd: app, stdio: 'pipe' });
      const bin = path.join(app, 'node_modules', '.bin', 'healthsim');
      const init = spawnSync(bin, ['init', 'demo'], { cwd: app, encoding: 'utf8' });
      expect(init.status).toBe(0);
      const demo = path.join(app, 'demo');
      expect((await readdir(demo)).sort()).toEqual(['.gitignore', 'healthsim.config.yaml', 'journeys', 'profiles']);
      const again = spawnSync(bin, ['init', 'demo'], { cwd: app, encoding: 'utf8' });
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('refusing to overwrite');
      const build = spawnSync(bin, ['build', 'medicare-ca'], { cwd: demo, encoding: 'utf8', env: { ...process.env, CI: '1' } });
      expect(build.stderr).toBe('');
      expect(build.status).toBe(0);
      expect(build.stdout).toContain('ran        persist:medicare-ca');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
