#!/usr/bin/env node
// healthsim benchmark: prints entities/s, rows/s, peak memory and no-op rebuild time.
// Usage: npm run bench [-- --patients 20000]
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject, build, generate } from '../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('patients', 20000);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mb = (b) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function project(counts) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'healthsim-bench-'));
  for (const f of ['profiles', 'journeys']) await cp(path.join(root, f), path.join(dir, f), { recursive: true });
  const lines = ['version: 1', 'seed: 42', 'reference_date: 2025-01-01', 'datasets:'];
  for (const [name, spec] of Object.entries(counts)) lines.push(`  ${name}: ${spec}`);
  lines.push('exports:', '  cohort-parquet: { dataset: cohort, format: parquet, path: outputs/exports/cohort }');
  await writeFile(path.join(dir, 'healthsim.config.yaml'), lines.join('\n') + '\n');
  return dir;
}

function rowsOf(tables) {
  return Object.values(tables).reduce((n, rows) => n + rows.length, 0);
}

const results = [];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()}`;

// 1. pure generation, in memory (one core)
{
  const dir = await project({ cohort: `{ profile: profiles/elderly-diabetic.yaml, journey: journeys/diabetic-year-one.yaml, count: ${N} }` });
  const loaded = await loadProject(dir);
  if (!loaded.ok) throw new Error('bench project invalid');
  const ds = loaded.value.config.datasets[0];
  const profile = loaded.value.profiles.get(ds.profiles[0]).normalized;
  const journey = loaded.value.journeys.get(ds.journey).normalized;
  const count = Math.min(N, 5000);
  const t0 = performance.now();
  const tables = await generate({ profile, journey, seed: 42, count, namespace: profile.id, referenceDate: '2025-01-01' });
  const s = (performance.now() - t0) / 1000;
  const rows = rowsOf(tables);
  results.push(['generate in memory (patientsim + 1-year journey)', `${fmt(count)} patients, ${fmt(rows)} rows`, `${fmt(count / s)} entities/s, ${fmt(rows / s)} rows/s`]);

  // 2. full build: generate → Parquet cache → DuckDB persist → Parquet export
  const t1 = performance.now();
  const r = await build(loaded.value, { jobs: 1 });
  const s1 = (performance.now() - t1) / 1000;
  if (!r.ok) throw new Error('bench build failed: ' + JSON.stringify(r.steps.filter((x) => x.error)));
  const gen = r.steps.find((x) => x.id === 'generate:cohort');
  const buildRows = Object.values(gen.rows ?? {}).reduce((a, b) => a + b, 0);
  results.push(['full build (generate, cache, persist, export)', `${fmt(N)} patients, ${fmt(buildRows)} rows`, `${s1.toFixed(2)} s, ${fmt(N / s1)} entities/s, ${fmt(buildRows / s1)} rows/s`]);
  for (const st of r.steps) results.push([`  step ${st.id}`, st.status, `${((st.ms ?? 0) / 1000).toFixed(2)} s`]);

  // 3. no-op rebuild, in process and as a CLI process (what a user waits for)
  const again = await loadProject(dir);
  const t2 = performance.now();
  const r2 = await build(again.value, {});
  const s2 = performance.now() - t2;
  results.push(['no-op rebuild (in process, incl. no project load)', r2.steps.every((x) => x.status === 'up-to-date') ? 'all up to date' : 'UNEXPECTED WORK', `${s2.toFixed(0)} ms`]);
  const t3 = performance.now();
  execFileSync(process.execPath, [path.join(root, 'bin', 'healthsim.js'), 'build'], { cwd: dir, stdio: 'pipe' });
  results.push(['no-op rebuild (`healthsim build` process, incl. node startup and validation)', '', `${(performance.now() - t3).toFixed(0)} ms`]);
  await rm(dir, { recursive: true, force: true });
}

// 4. parallel steps: several datasets, --jobs 1 vs --jobs 2
{
  const specs = {
    cohort: '{ profile: profiles/elderly-diabetic.yaml, journey: journeys/diabetic-year-one.yaml, count: 4000 }',
    hf: '{ profile: profiles/heart-failure.yaml, count: 4000 }',
    members: '{ profile: profiles/medicare-advantage-ca.yaml, count: 4000 }',
    trial: '{ profile: profiles/oncology-trial.yaml, count: 1000 }',
  };
  for (const jobs of [1, 2]) {
    const dir = await project(specs);
    const loaded = await loadProject(dir);
    const t = performance.now();
    const r = await build(loaded.value, { jobs });
    if (!r.ok) throw new Error('bench build failed');
    results.push([`4 datasets, --jobs ${jobs}`, '', `${((performance.now() - t) / 1000).toFixed(2)} s`]);
    const lock = await readFile(path.join(dir, 'healthsim.lock'), 'utf8');
    results.push([`  lock sha (must match across --jobs)`, '', (await import('node:crypto')).createHash('sha256').update(lock).digest('hex').slice(0, 16)]);
    await rm(dir, { recursive: true, force: true });
  }
}

clearInterval(sampler);
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
console.log(`healthsim bench — ${machine}`);
const w0 = Math.max(...results.map((r) => r[0].length));
const w1 = Math.max(...results.map((r) => r[1].length));
for (const [a, b, c] of results) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
console.log(`${'peak memory (RSS)'.padEnd(w0)}  ${''.padEnd(w1)}  ${mb(peakRss)}`);
