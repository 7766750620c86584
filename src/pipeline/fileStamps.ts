/**
 * Hashes of output files that a no-op build checks (the exports' files against healthsim.lock),
 * remembered with the size and mtime each file had, in `.healthsim/file-stamps.json`. A file
 * whose size and mtime still equal its stamp is trusted to have the stamp's sha256 without being
 * read: a no-op build then reads none of a large export (450 MiB of Parquet for 1M patients).
 * As in git's "racy" rule, a stamp is trusted only if it was taken at least 2 s after the file's
 * mtime, since an edit within the same clock tick would keep the mtime. Anything else is hashed
 * and stamped again. Like git, this trusts that an edit changes the size or the mtime.
 */
import type { Stats } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './cache.js';

interface Stamp {
  sha256: string;
  size: number;
  mtimeMs: number;
  /** when the file was hashed (ms since epoch) */
  hashedAt: number;
}

/** An mtime within this many ms of the moment a file was hashed is not trusted. */
export const RACY_MS = 2_000;

export class FileStamps {
  private dirty = false;
  /** files hashed by this process (for tests) */
  hashed = 0;

  private constructor(
    private readonly file: string,
    private readonly stamps: Record<string, Stamp>,
    private readonly now: () => number,
  ) {}

  /** The stamps recorded in `file` (none when it is missing or unreadable). */
  static async load(file: string, now: () => number = Date.now): Promise<FileStamps> {
    let stamps: Record<string, Stamp> = {};
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stamps = parsed as Record<string, Stamp>;
    } catch {
      /* no stamps: every file is hashed */
    }
    return new FileStamps(file, stamps, now);
  }

  /** sha256 of `abs`, whose `stat` is `st`: from its stamp when that can be trusted, else read. */
  async sha256(abs: string, st: Stats): Promise<string> {
    const s = this.stamps[abs];
    if (s && s.size === st.size && s.mtimeMs === st.mtimeMs && st.mtimeMs < s.hashedAt - RACY_MS && typeof s.sha256 === 'string') return s.sha256;
    const hashedAt = this.now();
    const sha256 = await sha256File(abs);
    this.hashed++;
    this.stamps[abs] = { sha256, size: st.size, mtimeMs: st.mtimeMs, hashedAt };
    this.dirty = true;
    return sha256;
  }

  /** Writes the stamps if any changed (atomically: a temporary file renamed into place). */
  async save(): Promise<void> {
    if (!this.dirty) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(this.stamps));
    await rename(tmp, this.file);
    this.dirty = false;
  }
}
