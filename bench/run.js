#!/usr/bin/env node
// healthsim benchmark. Not a test: nothing in `npm test` depends on timing.
//
//   npm run bench                                   # sizes 10k, 100k, 1M; --jobs 1 and 2
//   npm run bench -- --sizes 10000,100000 --jobs 2  # a shorter run
//   npm run bench -- --pairs 5                      # five --jobs 1/--jobs 2 pairs of the 1M target build
//
// Per size and product (patientsim with a one-year journey: a light primary-care population, the
// workload issue 11 sets its target on, and a heavier hypertension one; membersim with claims) it
// builds a fixed-seed project in a child process and prints entities/s, rows/s, MB/s of Parquet,
// peak RSS and wall time; then the no-op rebuild of the example project and of a 50-dataset project, the
// watch latency (save → rebuild start / end) and the speedup of --jobs 2 over --jobs 1.
// The build the speedup target is read on (primary care at the largest size) runs as `--pairs` interleaved
// --jobs 1 / --jobs 2 pairs (3 by default): on a shared VM one pair's ratio moves by ±20 %, so
// the speedup is the median of the pairs' ratios, each listed, and the table shows the run of
// median wall time (peak RSS: the highest of the runs).
// Results go to bench/results/<date>.json; the Markdown table printed last is what README quotes.
import { spawn, execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'healthsim.js');
const argOf = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = argOf('sizes', '10000,100000,1000000').split(',').map(Number).filter((n) => n > 0);
const jobsList = argOf('jobs', '1,2').split(',').map(Number).filter((n) => n > 0);
const products = argOf('products', 'primary,patients,members').split(',');
const pairs = Math.max(1, Number(argOf('pairs', '3')) || 1);
/** How many times each --jobs build of `product` at `size` runs (interleaved): the target build is primary care at the largest size. */
const repeatsFor = (product, size) => (product === 'primary' && size === Math.max(...sizes) ? pairs : 1);

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mb = (b) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const cpu = os.cpus();
const machine = `${cpu.length} × ${cpu[0]?.model?.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;

// `primary` is the workload issue 11 sets its throughput target on (a one-year journey, ≈ 25 rows a
// patient; this one makes 28); `patients` is the heavier one every earlier result file measured
// (hypertension, the default visit rates, a panel at each check-up: 84 rows a patient)
const PRODUCTS = {
  primary: { label: 'patientsim, primary care + 1-year journey', spec: (n) => `{ profile: profiles/primary-care.yaml, journey: journeys/primary-care-year.yaml, count: ${n} }` },
  patients: { label: 'patientsim + 1-year journey', spec: (n) => `{ profile: profiles/adults.yaml, journey: journeys/year.yaml, count: ${n} }` },
  members: { label: 'membersim with claims', spec: (n) => `{ profile: profiles/members.yaml, count: ${n} }` },
};

async function benchProject(datasetSpec) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'healthsim-bench-'));
  for (const f of ['profiles', 'journeys']) await cp(path.join(root, 'bench', f), path.join(dir, f), { recursive: true });
  await writeFile(
    path.join(dir, 'healthsim.config.yaml'),
    ['version: 1', 'seed: 42', 'reference_date: 2025-01-01', 'datasets:', `  bench: ${datasetSpec}`,
      'exports:', '  bench-parquet: { dataset: bench, format: parquet, path: outputs/exports/bench }', ''].join('\n'),
  );
  return dir;
}

function runChild(args, cwd = root) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err || out}`))));
  });
}

async function parquetBytes(dir) {
  let total = 0;
  const walk = async (d) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.parquet')) total += (await stat(p)).size;
    }
  };
  await walk(dir);
  return total;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timedCli(cwd, args, times = 5) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [bin, ...args], { cwd, stdio: 'pipe' });
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const results = { date: new Date().toISOString(), machine, builds: [], noop: {}, watch: {}, speedup: [] };

// 1. builds per size, product and --jobs
async function measuredBuild(product, size, jobs, rep, reps) {
  const dir = await benchProject(PRODUCTS[product].spec(size));
  process.stderr.write(`bench: ${product} ${fmt(size)} --jobs ${jobs}${reps > 1 ? ` (pair ${rep + 1} of ${reps})` : ''} …\n`);
  const r = JSON.parse((await runChild([path.join(root, 'bench', 'child.js'), dir, String(jobs)])).trim().split('\n').pop());
  const gen = r.steps.find((s) => s.id === 'generate:bench');
  const rows = Object.values(gen.rows).reduce((a, b) => a + b, 0);
  const bytes = await parquetBytes(path.join(dir, '.healthsim', 'cache'));
  const s = r.wallMs / 1000;
  const entry = {
    product, label: PRODUCTS[product].label, size, jobs, rows, rowsPerEntity: rows / size,
    wallS: s, entitiesPerS: size / s, rowsPerS: rows / s, parquetBytes: bytes, parquetMBPerS: bytes / 2 ** 20 / s,
    peakRssBytes: r.maxRssBytes, cpuS: r.cpuMs / 1000,
    steps: Object.fromEntries(r.steps.map((st) => [st.id, +(st.ms / 1000).toFixed(2)])),
  };
  const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
  await rm(dir, { recursive: true, force: true });
  return { entry, lock };
}

for (const size of sizes) {
  for (const product of products) {
    const reps = repeatsFor(product, size);
    const runs = Object.fromEntries(jobsList.map((j) => [j, []]));
    const locks = new Set();
    for (let rep = 0; rep < reps; rep++) {
      for (const jobs of jobsList) {
        const { entry, lock } = await measuredBuild(product, size, jobs, rep, reps);
        runs[jobs].push(entry);
        locks.add(lock);
      }
    }
    for (const jobs of jobsList) {
      const all = runs[jobs];
      const mid = [...all].sort((a, b) => a.wallS - b.wallS)[Math.floor(all.length / 2)];
      results.builds.push(all.length === 1 ? mid : { ...mid, runs: all.length, wallsS: all.map((e) => e.wallS), peakRssBytes: Math.max(...all.map((e) => e.peakRssBytes)) });
    }
    if (runs[1]?.length && runs[2]?.length) {
      const ratios = runs[1].map((e, k) => e.wallS / runs[2][k].wallS);
      results.speedup.push({ product, size, speedup: median(ratios), ...(ratios.length > 1 ? { pairs: ratios } : {}), sameLock: locks.size === 1 });
    }
  }
}

// 2. no-op rebuilds: the example project, and a project of 50 datasets
{
  const dir = await mkdtemp(path.join(os.tmpdir(), 'healthsim-bench-noop-'));
  for (const f of ['healthsim.config.yaml', 'profiles', 'journeys', 'skills']) await cp(path.join(root, f), path.join(dir, f), { recursive: true });
  execFileSync(process.execPath, [bin, 'build'], { cwd: dir, stdio: 'pipe' });
  execFileSync(process.execPath, [bin, 'build'], { cwd: dir, stdio: 'pipe' }); // settles the project cache
  results.noop.exampleMs = await timedCli(dir, ['build']);

  // 3. watch latency on the same project: append a comment to a profile, time the events
  const watcher = spawn(process.execPath, [bin, 'watch', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const events = [];
  let buf = '';
  watcher.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try { events.push({ at: performance.now(), ...JSON.parse(line) }); } catch { /* not JSON */ }
    }
  });
  const waitFor = async (type, after) => {
    for (let t = 0; t < 600; t++) {
      const e = events.find((x) => x.type === type && x.at >= after);
      if (e) return e;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`watch: no ${type} event`);
  };
  await waitFor('watching', 0);
  const samples = [];
  for (let k = 0; k < 3; k++) {
    await new Promise((r) => setTimeout(r, 300));
    const saved = performance.now();
    await appendFile(path.join(dir, 'profiles', 'copd.yaml'), `\n# bench edit ${k}\n`);
    const start = await waitFor('rebuild-start', saved);
    const end = await waitFor('rebuild-end', saved);
    samples.push({ startMs: start.at - saved, endMs: end.at - saved });
  }
  watcher.kill('SIGINT');
  results.watch = { saveToRebuildStartMs: median(samples.map((s) => s.startMs)), saveToRebuildEndMs: median(samples.map((s) => s.endMs)), debounceMs: 150 };
  await rm(dir, { recursive: true, force: true });

  const fifty = await mkdtemp(path.join(os.tmpdir(), 'healthsim-bench-50-'));
  for (const f of ['profiles', 'journeys', 'skills']) await cp(path.join(root, f), path.join(fifty, f), { recursive: true });
  const profs = ['copd', 'heart-failure', 'elderly-diabetic', 'medicare-advantage-ca', 'rx-members'];
  const lines = ['version: 1', 'seed: 7', 'reference_date: 2025-01-01', 'datasets:'];
  for (let i = 0; i < 50; i++) lines.push(`  ds-${String(i).padStart(2, '0')}: { profile: profiles/${profs[i % profs.length]}.yaml, count: 20, seed: ${i} }`);
  await writeFile(path.join(fifty, 'healthsim.config.yaml'), lines.join('\n') + '\n');
  execFileSync(process.execPath, [bin, 'build', '--jobs', '2'], { cwd: fifty, stdio: 'pipe' });
  execFileSync(process.execPath, [bin, 'build'], { cwd: fifty, stdio: 'pipe' });
  results.noop.fiftyDatasetsMs = await timedCli(fifty, ['build']);
  await rm(fifty, { recursive: true, force: true });
}

// output: JSON file + a table
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
let file = path.join(root, 'bench', 'results', `${results.date.slice(0, 10)}.json`);
for (let k = 2; await stat(file).then(() => true, () => false); k++) file = path.join(root, 'bench', 'results', `${results.date.slice(0, 10)}-${k}.json`);
await writeFile(file, JSON.stringify(results, null, 2) + '\n');

const lines = [];
lines.push(`healthsim bench — ${machine}`);
lines.push('');
// CPU seconds (the build process, its worker threads included) beside the wall time: on a shared
// VM the wall time of one build moves by ±20 % from run to run, its CPU less
lines.push('| build | entities | rows (per entity) | --jobs | wall | CPU | entities/s | rows/s | Parquet MB (MB/s) | peak RSS |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const b of results.builds) {
  const wall = b.wallsS ? `${b.wallS.toFixed(1)} s (median of ${b.wallsS.map((w) => w.toFixed(1)).join(', ')})` : `${b.wallS.toFixed(1)} s`;
  lines.push(`| ${b.label} | ${fmt(b.size)} | ${fmt(b.rows)} (${b.rowsPerEntity.toFixed(0)}) | ${b.jobs} | ${wall} | ${b.cpuS.toFixed(1)} s | ${fmt(b.entitiesPerS)} | ${fmt(b.rowsPerS)} | ${(b.parquetBytes / 1024 / 1024).toFixed(0)} (${b.parquetMBPerS.toFixed(1)}) | ${mb(b.peakRssBytes)} |`);
}
lines.push('');
for (const s of results.speedup) {
  const each = s.pairs ? `, median of ${s.pairs.length} interleaved pairs: ${s.pairs.map((x) => `${x.toFixed(2)}×`).join(', ')}` : '';
  lines.push(`- --jobs 2 over --jobs 1, ${PRODUCTS[s.product].label}, ${fmt(s.size)}: ${s.speedup.toFixed(2)}×${each} (healthsim.lock ${s.sameLock ? 'identical' : 'DIFFERS'})`);
}
lines.push(`- no-op rebuild, example project (\`healthsim build\` process, median of 5): ${results.noop.exampleMs.toFixed(0)} ms`);
lines.push(`- no-op rebuild, 50 datasets: ${results.noop.fiftyDatasetsMs.toFixed(0)} ms`);
lines.push(`- watch: save → rebuild start ${results.watch.saveToRebuildStartMs.toFixed(0)} ms (150 ms of it is the debounce), save → rebuild end ${results.watch.saveToRebuildEndMs.toFixed(0)} ms`);
lines.push('');
lines.push(`written to ${path.relative(root, file)}`);
console.log(lines.join('\n'));
