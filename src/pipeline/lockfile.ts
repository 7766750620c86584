import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CacheFile } from './cache.js';
import type { StepFingerprint } from './fingerprint.js';

/**
 * healthsim.lock: committed, sorted, diff-friendly JSON. One entry per step with its key, the
 * fingerprint it was computed from (so --explain can say what changed) and output hashes.
 * Written only after a successful build, via a temporary file and rename.
 */
export interface LockStep {
  key: string;
  fingerprint: StepFingerprint;
  outputs?: CacheFile[];
  /** export destination, project-relative */
  path?: string;
}

export interface LockFile {
  version: 1;
  engine: string;
  steps: Record<string, LockStep>;
}

export type LockRead =
  | { status: 'ok'; lock: LockFile }
  | { status: 'missing' }
  | { status: 'invalid'; reason: string };

export async function readLock(file: string): Promise<LockRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { status: 'missing' };
  }
  try {
    const lock = JSON.parse(text) as LockFile;
    if (lock.version !== 1 || typeof lock.steps !== 'object' || lock.steps === null) {
      return { status: 'invalid', reason: 'not a healthsim.lock version 1 file' };
    }
    for (const [id, s] of Object.entries(lock.steps)) {
      if (typeof s?.key !== 'string' || !/^[0-9a-f]{64}$/.test(s.key)) {
        return { status: 'invalid', reason: `step ${id} has no valid key` };
      }
    }
    return { status: 'ok', lock };
  } catch (e) {
    return { status: 'invalid', reason: `not valid JSON (${(e as Error).message})` };
  }
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortDeep((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function serializeLock(lock: LockFile): string {
  return JSON.stringify(sortDeep(lock), null, 2) + '\n';
}

export async function writeLock(file: string, lock: LockFile): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, serializeLock(lock));
  await rename(tmp, file);
}
