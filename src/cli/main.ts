#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CliError, processIO, type CliIO } from './io.js';
import { DEFAULT_BLOCK_ENTITIES } from '../pipeline/generateChunks.js';
import { formatCount } from './render/table.js';

/**
 * Commands are imported when they run: DuckDB's native module takes about a second to load,
 * and validate, dag or --help should not pay for it.
 */
function lazy(mod: string, fn: string) {
  return async (...args: unknown[]): Promise<number> => {
    const m = (await import(mod)) as Record<string, (...a: unknown[]) => Promise<number>>;
    return m[fn](...args);
  };
}

function packageVersion(): string {
  const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export function createProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('healthsim');
  const projectOpts = (c: Command): Command =>
    c
      .option('-C, --project <dir>', 'project directory (default: current directory)')
      .option('-c, --config <file>', 'config file relative to the project (default: healthsim.config.yaml)');
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      setExit(await fn(...args));
    };

  program
    .description('make for synthetic healthcare datasets: YAML profiles and journeys → deterministic, cached, queryable data')
    .version(packageVersion(), '-V, --version')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('init')
    .argument('[dir]', 'directory to create the project in', '.')
    .description('scaffold a working example project (refuses to overwrite existing files)')
    .action(run((dir: string) => lazy('./commands/init.js', 'initCommand')(io, dir)));

  projectOpts(program.command('validate'))
    .description('check the config, profiles, journeys and skills; print every problem with file:line:col')
    .option('--json', 'machine-readable diagnostics')
    .action(run((opts) => lazy('./commands/validate.js', 'validateCommand')(io, opts)));

  projectOpts(program.command('build'))
    .argument('[targets...]', 'datasets or exports to build (name, +name, name+, kind:name); default: everything')
    .description('build datasets and exports, skipping every step whose content key is unchanged')
    .option('-j, --jobs <n>', 'run up to n independent steps, and n generation threads (at most the CPUs), at once (a large dataset\'s blocks are shared out)', '1')
    .option('-f, --force', 'rerun every selected step, ignoring the cache')
    .option('-n, --dry-run', 'show what would run, change nothing')
    .option('--explain', 'say why each step would run (which input changed, old → new key)')
    .option('--json', 'print a machine-readable build report')
    .option('--frozen', 'fail (exit 1) if the build would change healthsim.lock')
    .option('-k, --keep-going', 'keep building independent steps after a failure')
    .option('--batch-size <n>', 'entities per generation batch, overriding the profiles\' batch_size (outputs do not depend on it)')
    .option('--wait <seconds>', 'wait this long for another build holding the project (with --shard: another run writing the same shard)', '0')
    .option('--shard <K/N>', `generate only share K of N of each dataset's blocks of ${formatCount(DEFAULT_BLOCK_ENTITIES)} entities (multi-machine builds), as Hive-partitioned Parquet; with --jobs n, on n generation threads`)
    .option('--shard-dir <dir>', 'where --shard writes (default: outputs/shards)')
    .action(run((targets: string[], opts) => lazy('./commands/build.js', 'buildCommand')(io, targets, opts)));

  const shards = program.command('shards').description('multi-machine builds: combine what build --shard K/N wrote');
  projectOpts(shards.command('combine'))
    .argument('[targets...]', 'datasets or exports to build from the shards (default: everything)')
    .description('check every dataset has all N shards of the current spec, import them into the cache, then build as usual')
    .option('--shard-dir <dir>', 'where the shards were written (default: outputs/shards)')
    .option('-j, --jobs <n>', 'run up to n independent steps at once', '1')
    .option('--json', 'print a machine-readable report')
    .option('--frozen', 'fail (exit 1) if the build would change healthsim.lock')
    .option('--wait <seconds>', 'wait this long for another build holding the project, or a shard still being written', '0')
    .action(run((targets: string[], opts) => lazy('./commands/shards.js', 'shardsCombineCommand')(io, targets, opts)));

  projectOpts(program.command('docs'))
    .description('write a static documentation site of the built project: DAG, datasets with plots, data dictionary')
    .option('-o, --out <dir>', 'output directory, inside the project unless absolute (default: outputs/docs)')
    .option('--serve', 'serve the site on 127.0.0.1 and rebuild project and site on every saved change')
    .option('--port <n>', 'port for --serve (0 picks a free one)', '4173')
    .action(run((opts) => lazy('./commands/docs.js', 'docsCommand')(io, opts)));

  projectOpts(program.command('watch'))
    .argument('[targets...]', 'datasets or exports to keep fresh (default: everything)')
    .description('rebuild what a change affects whenever a config, profile, journey or skill file is saved')
    .option('--json', 'one JSON line per event (for editor integrations)')
    .option('--debounce <ms>', 'quiet period after a save before rebuilding', '150')
    .action(run((targets: string[], opts) => lazy('./commands/watch.js', 'watchCommand')(io, targets, opts)));

  projectOpts(program.command('status'))
    .description('what is stale and why')
    .option('--json', 'machine-readable')
    .action(run((opts) => lazy('./commands/status.js', 'statusCommand')(io, opts)));

  projectOpts(program.command('dag'))
    .description('print the step graph')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .action(run((opts) => lazy('./commands/dag.js', 'dagCommand')(io, opts)));

  projectOpts(program.command('list'))
    .description('datasets in the database with row counts, tags and keys')
    .option('--tag <tag>', 'only datasets with this tag')
    .option('--tags', 'list tags with their usage counts instead')
    .option('--json', 'machine-readable')
    .action(run((opts) => lazy('./commands/datasets.js', 'listCommand')(io, opts)));

  projectOpts(program.command('summary'))
    .argument('<dataset>', 'dataset name')
    .description('the compact summary computed when the dataset was persisted')
    .option('--json', 'machine-readable')
    .action(run((dataset: string, opts) => lazy('./commands/datasets.js', 'summaryCommand')(io, dataset, opts)));

  projectOpts(program.command('sample'))
    .argument('<dataset>', 'dataset name')
    .argument('[table]', 'entity table (patients, members, subjects …)')
    .description('representative entities rendered readably (deterministic)')
    .option('-n, --count <n>', 'how many', '3')
    .option('--json', 'machine-readable')
    .action(run((dataset: string, table: string | undefined, opts) => lazy('./commands/datasets.js', 'sampleCommand')(io, dataset, table, opts)));

  projectOpts(program.command('query'))
    .argument('<dataset>', 'dataset whose schema unqualified table names resolve to')
    .argument('<sql>', 'one SELECT statement')
    .description('run a SELECT-only query (read-only, no file or network access), paginated')
    .option('--limit <n>', 'rows per page', '20')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--timeout <seconds>', 'interrupt the query after this long', '10')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(run((dataset: string, sql: string, opts) => lazy('./commands/query.js', 'queryCommand')(io, dataset, sql, opts)));

  projectOpts(program.command('export'))
    .argument('<dataset>', 'dataset to export')
    .description('write a built dataset to files, one per table, with a manifest')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'parquet', 'ndjson', 'fhir', 'sdtm', 'x12', 'ncpdp']).default('csv'))
    .requiredOption('-o, --out <dir>', 'output directory (inside the project unless absolute)')
    .option('--tables <names>', 'comma-separated subset of tables')
    .action(run((dataset: string, opts) => lazy('./commands/export.js', 'exportCommand')(io, dataset, opts)));

  projectOpts(program.command('verify'))
    .description('rebuild into a temporary directory and compare every output hash with healthsim.lock')
    .option('--json', 'machine-readable')
    .action(run((opts) => lazy('./commands/verify.js', 'verifyCommand')(io, opts)));

  projectOpts(program.command('clean'))
    .description('remove the database, declared exports and the cache (healthsim.lock is kept)')
    .option('--keep-cache', 'keep .healthsim/cache')
    .action(run((opts) => lazy('./commands/clean.js', 'cleanCommand')(io, opts)));

  const cache = program.command('cache').description('manage the step cache');
  projectOpts(cache.command('gc'))
    .description('remove cache entries that neither healthsim.lock nor the database\'s views reference')
    .option('-n, --dry-run', 'only report what would be removed')
    .action(run((opts) => lazy('./commands/clean.js', 'cacheGcCommand')(io, opts)));

  return program;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code = 0;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CliError) {
      io.err(`error: ${e.message}`);
      return e.exitCode;
    }
    const err = (await translateDamaged(e)) as Error & { code?: string };
    if (typeof err?.code === 'string' && /^[A-Z_]+$/.test(err.code)) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    io.err(`internal error: ${err?.message ?? String(e)}`);
    if (process.env.HEALTHSIM_DEBUG) io.err(err?.stack ?? '');
    else io.err('(set HEALTHSIM_DEBUG=1 for a stack trace; please report this)');
    return 1;
  }
}

/** A damaged project database found mid-command reads like one found at open (store decides). */
async function translateDamaged(e: unknown): Promise<unknown> {
  const { translateDamagedDatabase } = await import('../store/index.js');
  return translateDamagedDatabase(e);
}
