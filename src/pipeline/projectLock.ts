import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from './pid.js';

/**
 * One writer per project: `.healthsim/build.pid` created with O_EXCL. A second build waits up to
 * `waitMs`, then fails naming the holder's pid. A lock left by a dead process (kill -9) is stale
 * and taken over.
 */
export class ProjectLockedError extends Error {
  readonly code = 'PROJECT_LOCKED';
  constructor(readonly pid: number, readonly lockFile: string) {
    super(`project is locked by pid ${pid} (another healthsim build or watch is running); lock file ${lockFile}`);
  }
}


export async function acquireProjectLock(
  stateDir: string,
  opts: { waitMs?: number; pollMs?: number } = {},
): Promise<() => Promise<void>> {
  await mkdir(stateDir, { recursive: true });
  const file = path.join(stateDir, 'build.pid');
  const deadline = (opts.waitMs ?? 0) > 0 ? performance.now() + (opts.waitMs ?? 0) : 0;
  for (;;) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => {
        try {
          const holder = Number((await readFile(file, 'utf8')).trim());
          if (holder === process.pid) await rm(file, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number((await readFile(file, 'utf8')).trim());
      } catch {
        continue; // removed between open and read: retry
      }
      if (!Number.isInteger(holder) || holder <= 0 || (!pidAlive(holder) && holder !== process.pid)) {
        await rm(file, { force: true }); // stale: its process is gone
        continue;
      }
      if (deadline && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
        continue;
      }
      throw new ProjectLockedError(holder, file);
    }
  }
}
