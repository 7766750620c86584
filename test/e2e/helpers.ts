import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'healthsim.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI binary (compiled dist/) as a user would. */
export function healthsim(cwd: string, ...args: string[]): Run {
  return healthsimWithEnv(cwd, {}, ...args);
}

export function healthsimWithEnv(cwd: string, env: Record<string, string>, ...args: string[]): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export async function tempDir(prefix = 'healthsim-e2e-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A copy of the example project's specs in a fresh directory. */
export async function exampleProject(): Promise<string> {
  const dir = await tempDir();
  for (const f of ['healthsim.config.yaml', 'profiles', 'journeys']) await cp(path.join(REPO, f), path.join(dir, f), { recursive: true });
  return dir;
}

/** sha256 of every file under dir, keyed by relative path (sorted). */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const e of (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else out[r] = createHash('sha256').update(await readFile(path.join(dir, r))).digest('hex');
    }
  };
  await walk('');
  return out;
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
