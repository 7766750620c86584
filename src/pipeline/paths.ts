import path from 'node:path';

/** Where a build reads and writes. `verify` swaps these for a temporary directory. */
export interface BuildPaths {
  root: string;
  stateDir: string; // .healthsim
  cacheDir: string; // .healthsim/cache
  dbFile: string; // outputs/healthsim.duckdb
  lockFile: string; // healthsim.lock
  /** maps an export's configured path (project-relative or absolute) to where it is written */
  exportDir: (configured: string) => string;
}

export function defaultPaths(root: string, outputDir = 'outputs'): BuildPaths {
  return {
    root,
    stateDir: path.join(root, '.healthsim'),
    cacheDir: path.join(root, '.healthsim', 'cache'),
    dbFile: path.join(root, outputDir, 'healthsim.duckdb'),
    lockFile: path.join(root, 'healthsim.lock'),
    exportDir: (p) => path.resolve(root, p),
  };
}

/** `file`'s path below `dir` (native separators), or undefined when it is not strictly inside. */
export function pathInside(dir: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
}
