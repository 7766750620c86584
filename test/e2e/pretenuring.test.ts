// Generation turns off V8's allocation-site pretenuring for its process (pipeline/generateChunks.ts,
// keepRowsYoung): with it on, V8 sometimes decided that a row literal's objects all survive and
// allocated every later row in the old generation, and the same build ran at one of two speeds.
// V8 reports its decisions with --trace-pretenuring-statistics; once generation has started, it
// must make none ("tenure => tenure"), in the main thread or in a worker.
import { spawnSync } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO, tempDir } from './helpers.js';

const MARK = '--- generation starts ---';

it('no allocation site is pretenured once generation has started, with one thread or two', async () => {
  const dir = await tempDir('healthsim-pretenure-');
  for (const f of ['profiles', 'journeys']) await cp(path.join(REPO, 'bench', f), path.join(dir, f), { recursive: true });
  await writeFile(
    path.join(dir, 'healthsim.config.yaml'),
    'version: 1\nseed: 42\nreference_date: 2025-01-01\ndatasets:\n  bench: { profile: profiles/primary-care.yaml, journey: journeys/primary-care-year.yaml, count: 12000 }\n',
  );
  // the project is loaded (which may pretenure sites of its own) before the mark
  const script = `
    const { loadProject, build } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
    const loaded = await loadProject(process.argv[2]);
    if (!loaded.ok) throw new Error('invalid project');
    console.log(${JSON.stringify(MARK)});
    const r = await build(loaded.value, { jobs: Number(process.argv[3]), force: true });
    if (!r.ok) throw new Error('build failed: ' + JSON.stringify(r.steps.filter((s) => s.error).map((s) => s.error)));
    console.log('built');
  `;
  // a file, not --eval: worker threads inherit the process's execArgv
  const file = path.join(dir, 'run.mjs');
  await writeFile(file, script);
  for (const jobs of ['1', '2']) {
    const run = spawnSync(process.execPath, ['--trace-pretenuring-statistics', file, dir, jobs], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    const at = out.indexOf(MARK);
    expect(at, out.slice(0, 2000)).toBeGreaterThanOrEqual(0);
    expect(out).toContain('built');
    const decisions = out.slice(at).split('\n').filter((l) => l.includes('=> tenure'));
    expect(decisions, `--jobs ${jobs}`).toEqual([]);
  }
}, 180_000);
