/**
 * healthsim as a library. The CLI is a thin shell over these functions.
 *
 *   const project = await loadProject('.');           // Result: diagnostics or a project
 *   if (project.ok) await build(project.value, { jobs: 2 });
 */
import type { Project } from './pipeline/project.js';
import { plan as planProject, type Plan } from './pipeline/plan.js';
import { build as runBuild, type BuildOptions, type BuildResult } from './pipeline/build.js';
import type { GenerateRequest, TableRows } from './generate/types.js';
import type { Result } from './spec/result.js';
import type { QueryOptions, QueryResult } from './store/index.js';
import { defaultPaths } from './pipeline/paths.js';
import { loadProjectCached } from './pipeline/projectCache.js';
import path from 'node:path';

export type { Project, Plan, BuildOptions, BuildResult, GenerateRequest, TableRows, QueryOptions, QueryResult, Result };
export type { Diagnostic } from './spec/diagnostic.js';
export { formatDiagnostic } from './spec/diagnostic.js';
export { ALL_TABLES, tableByName } from './model/index.js';

/** Read, validate and normalize a project (config, profiles, journeys, skills). */
export async function loadProject(root: string, opts: { configFile?: string } = {}): Promise<Result<Project>> {
  // Reuses the last successful validation when no spec file changed (see projectCache.ts).
  // The spec layer (yaml, ajv) and the code tables load only when the cache misses.
  return loadProjectCached(path.resolve(root), opts.configFile, async () => {
    const [{ loadProject: loadProjectFiles }, { codeExists }, { skillExists }] = await Promise.all([
      import('./pipeline/project.js'),
      import('./reference/codes.js'),
      import('./reference/skills.js'),
    ]);
    return loadProjectFiles(root, { ...opts, codeExists, skillExists });
  });
}

/** The DAG of steps with their content keys. */
export function plan(project: Project): Plan {
  return planProject(project);
}

/** Build a project (all datasets and exports, or the given targets). */
export async function build(project: Project, opts: BuildOptions = {}): Promise<BuildResult> {
  return runBuild(project, planProject(project), opts);
}

/** Generate rows in memory (no cache, no database): for tests and notebooks. */
export async function generate(req: GenerateRequest): Promise<TableRows> {
  const { generate: generateInMemory } = await import('./generate/engine.js'); // loads Faker's locale on demand
  return generateInMemory(req);
}

/** A SELECT-only query against a built dataset of a project. */
export async function query(project: Pick<Project, 'root' | 'config'>, dataset: string, sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
  const paths = defaultPaths(project.root, project.config.output_dir);
  const { runGuardedQuery } = await import('./store/index.js'); // DuckDB loads only when needed
  return runGuardedQuery(paths.dbFile, dataset, sql, opts);
}
