import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed step cache: `.healthsim/cache/<key>/` holds a step's files plus
 * `manifest.json` (row counts and sha256 per file). Entries are written into a temporary
 * directory and renamed into place, so a crash never leaves a half entry that reads as a hit.
 * An entry whose files do not match its manifest is a miss (reported), never used.
 */
export interface CacheFile {
  file: string;
  bytes: number;
  sha256: string;
  rows?: number;
}

export interface CacheManifest {
  key: string;
  step: string;
  files: CacheFile[];
  /** step-specific facts (row counts per table, merge conflicts …) */
  meta: Record<string, unknown>;
}

export type CacheLookup =
  | { status: 'hit'; dir: string; manifest: CacheManifest }
  | { status: 'miss' }
  | { status: 'corrupt'; dir: string; reason: string };

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return h.digest('hex');
}

export async function describeFiles(dir: string, rows: Record<string, number> = {}): Promise<CacheFile[]> {
  const out: CacheFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && r !== 'manifest.json') {
        const full = path.join(dir, r);
        const st = await stat(full);
        const f: CacheFile = { file: r, bytes: st.size, sha256: await sha256File(full) };
        if (rows[r] !== undefined) f.rows = rows[r];
        out.push(f);
      }
    }
  };
  await walk('');
  return out;
}

export class LocalCache {
  constructor(readonly root: string) {}

  entryDir(key: string): string {
    return path.join(this.root, key);
  }

  /** Look up a key, verifying every file against the manifest (size, then sha256). */
  async lookup(key: string, opts: { verifyHashes?: boolean } = {}): Promise<CacheLookup> {
    const dir = this.entryDir(key);
    let manifest: CacheManifest;
    try {
      manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        try {
          await stat(dir);
          return { status: 'corrupt', dir, reason: 'manifest.json is missing' };
        } catch {
          return { status: 'miss' };
        }
      }
      return { status: 'corrupt', dir, reason: 'manifest.json is not valid JSON' };
    }
    if (manifest.key !== key || !Array.isArray(manifest.files)) {
      return { status: 'corrupt', dir, reason: 'manifest does not describe this key' };
    }
    for (const f of manifest.files) {
      const full = path.join(dir, f.file);
      let st;
      try {
        st = await stat(full);
      } catch {
        return { status: 'corrupt', dir, reason: `${f.file} is missing` };
      }
      if (st.size !== f.bytes) return { status: 'corrupt', dir, reason: `${f.file} has ${st.size} bytes, manifest says ${f.bytes}` };
      if (opts.verifyHashes !== false) {
        const h = await sha256File(full);
        if (h !== f.sha256) return { status: 'corrupt', dir, reason: `${f.file} does not match its sha256 in the manifest` };
      }
    }
    return { status: 'hit', dir, manifest };
  }

  /**
   * Create an entry: `write(tmpDir)` fills a fresh temporary directory; the manifest is written
   * last and the directory renamed into place. An existing (corrupt) entry is replaced.
   */
  async put(
    key: string,
    step: string,
    write: (tmpDir: string) => Promise<{ rows?: Record<string, number>; meta?: Record<string, unknown> }>,
  ): Promise<{ dir: string; manifest: CacheManifest }> {
    await mkdir(this.root, { recursive: true });
    const tmp = path.join(this.root, `.tmp-${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp, { recursive: true });
    try {
      const { rows = {}, meta = {} } = await write(tmp);
      const manifest: CacheManifest = { key, step, files: await describeFiles(tmp, rows), meta };
      await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
      const dir = this.entryDir(key);
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
      return { dir, manifest };
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  async keys(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
    } catch {
      return [];
    }
  }

  /** Remove leftovers of interrupted writes (.tmp-* directories). */
  async removeTemporaries(): Promise<number> {
    let n = 0;
    try {
      for (const name of await readdir(this.root)) {
        if (name.startsWith('.tmp-')) {
          await rm(path.join(this.root, name), { recursive: true, force: true });
          n++;
        }
      }
    } catch {
      /* no cache yet */
    }
    return n;
  }

  async sizeOf(key: string): Promise<number> {
    let total = 0;
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else total += (await stat(p)).size;
      }
    };
    await walk(this.entryDir(key));
    return total;
  }

  async remove(key: string): Promise<void> {
    await rm(this.entryDir(key), { recursive: true, force: true });
  }
}
