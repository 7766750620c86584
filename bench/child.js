#!/usr/bin/env node
// One measured build in its own process (so peak RSS is the build's own, worker threads included).
// Usage: node bench/child.js <projectDir> <jobs> [target...]  → prints one JSON line.
import { loadProject, build } from '../dist/index.js';

const [dir, jobs, ...targets] = process.argv.slice(2);
const t0 = performance.now();
const loaded = await loadProject(dir);
if (!loaded.ok) throw new Error('bench project invalid: ' + JSON.stringify(loaded.errors.slice(0, 3)));
const r = await build(loaded.value, { jobs: Number(jobs), targets: targets.length ? targets : undefined });
const wallMs = performance.now() - t0;
if (!r.ok) throw new Error('bench build failed: ' + JSON.stringify(r.steps.filter((s) => s.error).map((s) => s.error)));
console.log(JSON.stringify({
  wallMs,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  steps: r.steps.map((s) => ({ id: s.id, status: s.status, ms: s.ms ?? 0, rows: s.rows ?? {} })),
}));
