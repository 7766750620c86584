import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireProjectLock, ProjectLockedError } from '../../src/pipeline/projectLock.js';

describe('project lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hs-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('names the pid of a live holder', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'build.pid'), String(child.pid));
      const err = await acquireProjectLock(dir).catch((e) => e);
      expect(err).toBeInstanceOf(ProjectLockedError);
      expect(err.message).toContain(`locked by pid ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process and releases it', async () => {
    await writeFile(path.join(dir, 'build.pid'), '999999999');
    const release = await acquireProjectLock(dir);
    expect(await readFile(path.join(dir, 'build.pid'), 'utf8')).toBe(String(process.pid));
    await release();
    await expect(readFile(path.join(dir, 'build.pid'), 'utf8')).rejects.toThrow();
  });
});
