/**
 * Validation results are a pure function of the spec files' bytes, the tool and the shipped
 * reference data. `.healthsim/project-cache.json` records the normalized project of the last
 * successful load with the sha256 of every file it read; when every one still matches (and the
 * skills folder lists the same files), the project is reused without re-running JSON Schema
 * compilation and code-table checks. This is what makes a no-op `healthsim build` fast.
 * Anything unexpected (a changed byte, a new skill file, a different tool build) is a miss.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from '../spec/result.js';
import type { Project } from './project.js';
import { ENGINE_VERSION, referenceDataVersion } from './versions.js';

/** What was read: sha256 of the bytes, with the size and mtime they had (to skip re-hashing). */
interface FileStamp {
  sha256: string;
  size: number;
  mtimeMs: number;
}

interface CachedProject {
  tool: string;
  configFile: string;
  /** when this entry was written (ms since epoch), for the racy-mtime rule */
  writtenAt: number;
  files: Record<string, FileStamp>;
  skillsDir: string[];
  project: {
    root: string;
    configFile: string;
    config: Project['config'];
    profiles: [string, unknown][];
    journeys: [string, unknown][];
    skills: [string, unknown][];
    warnings: Project['warnings'];
  };
}

let stamp: string | undefined;

/** Identity of this build of the tool: versions plus the compiled spec layer's files. */
function toolStamp(): string {
  if (stamp) return stamp;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha256').update(`${ENGINE_VERSION}\0${referenceDataVersion()}\0`);
  for (const dir of [path.join(here, '..', 'spec'), path.join(here, '..', 'spec', 'schemas'), path.join(here, '..', 'spec', 'expr'), here]) {
    try {
      for (const name of readdirSync(dir).sort()) {
        const st = statSync(path.join(dir, name));
        if (st.isFile()) h.update(`${name}:${st.size}:${st.mtimeMs}\0`);
      }
    } catch {
      /* missing dir: part of the stamp by omission */
    }
  }
  stamp = h.digest('hex');
  return stamp;
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

async function skillsListing(root: string, dir: string | undefined): Promise<string[]> {
  try {
    return (await readdir(path.join(root, dir ?? 'skills'))).sort();
  } catch {
    return [];
  }
}

/**
 * A file is unchanged when its size and mtime equal the stamp's (nothing is read), or else when
 * its bytes hash to the stamp's sha256. As in git's "racy" rule, an mtime within 2 s of the
 * moment the stamp was written is not trusted (an edit in the same clock tick keeps the mtime),
 * so such a file is always hashed.
 */
async function unchanged(file: string, stampOf: FileStamp, writtenAt: number): Promise<boolean> {
  if (typeof stampOf !== 'object' || stampOf === null) return false;
  const st = await stat(file);
  if (st.size === stampOf.size && st.mtimeMs === stampOf.mtimeMs && st.mtimeMs < writtenAt - 2000) return true;
  return sha(await readFile(file)) === stampOf.sha256;
}

function cacheFile(root: string): string {
  return path.join(root, '.healthsim', 'project-cache.json');
}

export async function loadProjectCached(
  root: string,
  configFile: string | undefined,
  load: () => Promise<Result<Project>>,
): Promise<Result<Project>> {
  const file = cacheFile(root);
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as CachedProject;
    // a copied project (cp -r with .healthsim/) carries the original's cache: it must not be used
    const realRoot = await realpath(root).catch(() => path.resolve(root));
    if (cached.tool === toolStamp() && cached.configFile === (configFile ?? '') && cached.project.root === realRoot) {
      let same = true;
      for (const [rel, stampOf] of Object.entries(cached.files)) {
        if (!(await unchanged(path.resolve(cached.project.root, rel), stampOf, cached.writtenAt))) {
          same = false;
          break;
        }
      }
      if (same && JSON.stringify(await skillsListing(cached.project.root, cached.project.config.skills_dir)) === JSON.stringify(cached.skillsDir)) {
        const p = cached.project;
        const sources = new Map<string, string>();
        return {
          ok: true,
          value: {
            root: p.root,
            configFile: p.configFile,
            config: p.config,
            profiles: new Map(p.profiles) as Project['profiles'],
            journeys: new Map(p.journeys) as Project['journeys'],
            skills: new Map(p.skills) as Project['skills'],
            sources,
            warnings: p.warnings,
          },
        };
      }
    }
  } catch {
    /* no cache, unreadable or stale: validate for real */
  }
  const res = await load();
  if (res.ok) {
    const p = res.value;
    const entry: CachedProject = {
      tool: toolStamp(),
      configFile: configFile ?? '',
      writtenAt: Date.now(),
      files: Object.fromEntries(
        await Promise.all(
          [...p.sources.entries()].map(async ([rel, text]): Promise<[string, FileStamp]> => {
            const digest = sha(text);
            const file = path.resolve(p.root, rel);
            // stat, then re-read: a file edited since validation read it gets a stamp that never
            // matches by size/mtime (so it is hashed next time); one edited after the stat has a new mtime
            const st = await stat(file).catch(() => undefined);
            const now = st ? await readFile(file).catch(() => undefined) : undefined;
            const trusted = st !== undefined && now !== undefined && sha(now) === digest;
            return [rel, { sha256: digest, size: trusted ? st.size : -1, mtimeMs: trusted ? st.mtimeMs : -1 }];
          }),
        ),
      ),
      skillsDir: await skillsListing(p.root, p.config.skills_dir),
      project: {
        root: p.root,
        configFile: p.configFile,
        config: p.config,
        profiles: [...p.profiles.entries()],
        journeys: [...p.journeys.entries()],
        skills: [...p.skills.entries()],
        warnings: p.warnings,
      },
    };
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify(entry));
      await rename(tmp, file);
    } catch {
      /* a read-only project still builds; it just validates every time */
    }
  }
  return res;
}
