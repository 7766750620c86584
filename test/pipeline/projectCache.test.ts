import { appendFile, cp, mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectCached } from '../../src/pipeline/projectCache.js';
import { loadProject } from '../../src/pipeline/project.js';
import { REPO } from '../e2e/helpers.js';

describe('validated-project cache', () => {
  let dir: string;
  let loads: number;
  const load = () =>
    loadProjectCached(dir, undefined, async () => {
      loads++;
      return loadProject(dir);
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hs-pcache-'));
    for (const f of ['healthsim.config.yaml', 'profiles', 'journeys']) await cp(path.join(REPO, f), path.join(dir, f), { recursive: true });
    loads = 0;
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reuses the normalized project while no file changed, and revalidates after any change', async () => {
    const first = await load();
    expect(first.ok).toBe(true);
    const second = await load();
    expect(loads).toBe(1);
    if (!first.ok || !second.ok) throw new Error('unreachable');
    expect(second.value.config).toEqual(first.value.config);
    expect([...second.value.profiles.entries()]).toEqual([...first.value.profiles.entries()]);
    expect([...second.value.journeys.entries()]).toEqual([...first.value.journeys.entries()]);

    await appendFile(path.join(dir, 'profiles', 'copd.yaml'), '\n# a comment\n');
    expect((await load()).ok).toBe(true);
    expect(loads).toBe(2);

    await mkdir(path.join(dir, 'skills'), { recursive: true });
    await writeFile(path.join(dir, 'skills', 'x.yaml'), 'id: x\n');
    await load();
    expect(loads).toBe(3);
  });

  it('never caches a failed load', async () => {
    await writeFile(path.join(dir, 'profiles', 'copd.yaml'), 'profile: [');
    expect((await load()).ok).toBe(false);
    expect((await load()).ok).toBe(false);
    expect(loads).toBe(2);
  });

  it('trusts size and mtime only outside the racy window, and re-hashes inside it', async () => {
    const cacheFile = path.join(dir, '.healthsim', 'project-cache.json');
    const copd = path.join(dir, 'profiles', 'copd.yaml');
    const old = new Date('2024-01-01T00:00:00Z');
    await utimes(copd, old, old);
    expect((await load()).ok).toBe(true);
    const stamps = JSON.parse(await readFile(cacheFile, 'utf8')).files;
    expect(stamps['profiles/copd.yaml']).toMatchObject({ size: (await stat(copd)).size, mtimeMs: old.getTime() });

    // same size, same (old) mtime, different bytes: trusted by stamp, as make and git do
    const text = await readFile(copd, 'utf8');
    const swapped = text.replace('copd', 'cOPD');
    expect(swapped).not.toBe(text);
    await writeFile(copd, swapped);
    await utimes(copd, old, old);
    await load();
    expect(loads).toBe(1);

    // the same edit with an mtime inside the racy window (just before the cache was written) is hashed
    const entry = JSON.parse(await readFile(cacheFile, 'utf8'));
    entry.writtenAt = old.getTime() + 1000;
    await writeFile(cacheFile, JSON.stringify(entry));
    await load();
    expect(loads).toBe(2);

    // a touched file with the same bytes: mtime differs, the hash matches, no revalidation
    await utimes(copd, new Date(), new Date());
    await load();
    expect(loads).toBe(2);
  });
});
