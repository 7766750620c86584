import { mkdtemp, readdir, writeFile, appendFile, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalCache } from '../../src/pipeline/cache.js';

const KEY = 'a'.repeat(64);

describe('LocalCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hs-cache-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('stores files with a manifest and finds them again', async () => {
    const cache = new LocalCache(dir);
    expect(await cache.lookup(KEY)).toEqual({ status: 'miss' });
    await cache.put(KEY, 'generate:x', async (tmp) => {
      await writeFile(path.join(tmp, 't.parquet'), 'hello');
      return { rows: { 't.parquet': 3 }, meta: { n: 1 } };
    });
    const hit = await cache.lookup(KEY);
    expect(hit.status).toBe('hit');
    if (hit.status === 'hit') {
      expect(hit.manifest.files).toEqual([
        { file: 't.parquet', bytes: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', rows: 3 },
      ]);
    }
    expect((await readdir(dir)).sort()).toEqual([KEY]);
  });

  it('treats altered, truncated or missing files as corrupt, never as a hit', async () => {
    const cache = new LocalCache(dir);
    await cache.put(KEY, 's', async (tmp) => {
      await writeFile(path.join(tmp, 'f'), 'abc');
      return {};
    });
    await writeFile(path.join(dir, KEY, 'f'), 'abd'); // same size, different bytes
    expect(await cache.lookup(KEY)).toMatchObject({ status: 'corrupt', reason: 'f does not match its sha256 in the manifest' });
    await appendFile(path.join(dir, KEY, 'f'), 'x');
    expect(await cache.lookup(KEY)).toMatchObject({ status: 'corrupt', reason: 'f has 4 bytes, manifest says 3' });
    await rm(path.join(dir, KEY, 'f'));
    expect(await cache.lookup(KEY)).toMatchObject({ status: 'corrupt', reason: 'f is missing' });
    await writeFile(path.join(dir, KEY, 'manifest.json'), '{not json');
    expect(await cache.lookup(KEY)).toMatchObject({ status: 'corrupt', reason: 'manifest.json is not valid JSON' });
  });

  it('a failed write leaves nothing behind, and interrupted temporaries are removable', async () => {
    const cache = new LocalCache(dir);
    await expect(
      cache.put(KEY, 's', async (tmp) => {
        await writeFile(path.join(tmp, 'f'), 'partial');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(dir)).toEqual([]);
    await mkdir(path.join(dir, '.tmp-deadbeef-1-00'));
    expect(await cache.removeTemporaries()).toBe(1);
    expect(await cache.lookup(KEY)).toEqual({ status: 'miss' });
  });
});
