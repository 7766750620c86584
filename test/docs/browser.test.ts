/**
 * End to end: build a small project with the compiled CLI, serve its docs with
 * `healthsim docs --serve --port 0`, and open them in headless Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core): the DAG and every plot render as SVG, no console
 * error, no request leaves 127.0.0.1, a click on a DAG node opens the dataset page. Screenshots
 * go to test-artifacts/docs/. Skipped (with a message) only when Chromium is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, healthsim } from '../e2e/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, 'test-artifacts', 'docs');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the docs browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);

const CONFIG = `version: 1
seed: 11
reference_date: 2025-01-01
datasets:
  cohort:
    profile: profiles/elderly-diabetic.yaml
    journey: journeys/diabetic-year-one.yaml
    count: 60
    tags: [diabetes]
  medicare:
    profile: profiles/medicare-advantage-ca.yaml
    count: 40
  trial:
    profile: profiles/oncology-trial.yaml
  rx:
    profile: profiles/rx-members.yaml
    count: 30
exports:
  cohort-csv: { dataset: cohort, format: csv, path: outputs/exports/cohort-csv }
`;

/** `healthsim docs …` as a user runs it (the compiled CLI). */
function docsArgv(...args: string[]): string[] {
  return [BIN, 'docs', ...args];
}

let dir: string;
let server: ChildProcess | undefined;
let url = '';
let serverOutput = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'healthsim-docs-e2e-'));
  for (const f of ['profiles', 'journeys']) await cp(path.join(REPO, f), path.join(dir, f), { recursive: true });
  await writeFile(path.join(dir, 'healthsim.config.yaml'), CONFIG);
}, 60_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('healthsim docs (CLI)', () => {
  it('refuses before the first build, with exit 1', () => {
    const r = spawnSync(process.execPath, docsArgv(), { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(r.stderr).toContain('error: no database at outputs/healthsim.duckdb: run healthsim build first');
    expect(r.status).toBe(1);
  });

  it('writes the site after a build', () => {
    const b = healthsim(dir, 'build', 'cohort', 'medicare', 'trial', 'export:cohort-csv');
    expect(b.code, b.stderr).toBe(0);
    const r = spawnSync(process.execPath, docsArgv(), { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote 6 pages \([\d,]+ KB, largest [\d,]+ KB\) to outputs\/docs\nopen outputs\/docs\/index.html\n$/);
    expect(r.stderr).toBe('not built yet (pages say so): rx; run healthsim build\n');
  });
});

describe.skipIf(!hasChromium)('healthsim docs --serve in Chromium', () => {
  it('serves a site whose DAG and plots render, offline, and navigates from the DAG', async () => {
    server = spawn(process.execPath, docsArgv('--serve', '--port', '0'), { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1' } });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not serving after 30 s:\n${serverOutput}`)), 30_000);
      const onData = (d: Buffer) => {
        serverOutput += d.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(serverOutput);
        // the watcher's first build builds rx (not built so far) and regenerates the site
        if (m && /waiting for changes/.test(serverOutput)) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.on('exit', (code) => reject(new Error(`docs --serve exited ${code}:\n${serverOutput}`)));
    });

    const { chromium } = await import('playwright-core');
    const profile = await mkdtemp(path.join(os.tmpdir(), 'healthsim-chromium-'));
    // a fresh --user-data-dir: playwright passes it for a persistent context
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1366, height: 900 },
    });
    await mkdir(ARTIFACTS, { recursive: true });
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('request', (r) => requests.push(r.url()));

      await page.goto(url);
      expect(await page.locator('h1').count()).toBe(1);
      const dag = page.locator('svg#dag');
      expect(await dag.count()).toBe(1);
      expect((await dag.boundingBox())!.width).toBeGreaterThan(300);
      expect(await page.locator('svg#dag g.node').count()).toBe(9); // 4 generate + 4 persist + 1 export
      expect(await page.locator('svg#dag g.node.state-up-to-date').count()).toBe(9);
      await page.screenshot({ path: path.join(ARTIFACTS, 'index.png'), fullPage: true });

      await page.locator('svg#dag a:has(g[data-step="persist:cohort"])').click();
      await page.waitForURL(/\/datasets\/cohort\.html$/);
      expect(await page.locator('h1').textContent()).toBe('cohort');

      const expected: Record<string, string[]> = {
        cohort: ['plot-age-patients', 'plot-prevalence', 'plot-lab-4548-4', 'plot-timeline'],
        rx: ['plot-age-members', 'plot-prevalence', 'plot-timeline', 'plot-cost-pharmacy_claims'],
        medicare: ['plot-age-members', 'plot-prevalence', 'plot-timeline', 'plot-cost-claims'],
        trial: ['plot-age-subjects', 'plot-timeline', 'plot-enrollment'],
      };
      for (const [dataset, ids] of Object.entries(expected)) {
        if (dataset !== 'cohort') await page.goto(`${url}datasets/${dataset}.html`);
        const figures = page.locator('figure.plot');
        const found = await figures.evaluateAll((fs) => fs.map((f) => f.id));
        expect(found, dataset).toEqual(expect.arrayContaining(ids));
        for (const id of found) {
          const svg = page.locator(`figure#${id} > svg[role="img"]`);
          expect(await svg.count(), `${dataset} ${id}`).toBe(1);
          const box = (await svg.boundingBox())!;
          expect(box.width, `${dataset} ${id}`).toBeGreaterThan(200);
          expect(box.height, `${dataset} ${id}`).toBeGreaterThan(50);
          expect(await page.locator(`figure#${id} svg .mark-rect path, figure#${id} svg .mark-line path, figure#${id} svg .mark-tick path, figure#${id} svg .mark-symbol path`).count(), `${dataset} ${id} marks`).toBeGreaterThan(0);
        }
        await page.screenshot({ path: path.join(ARTIFACTS, `dataset-${dataset}.png`), fullPage: true });
      }
      await page.goto(`${url}dictionary.html`);
      expect(await page.locator('h2#table-patients').count()).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, 'dictionary.png') });

      expect(consoleErrors).toEqual([]);
      const foreign = requests.filter((r) => new URL(r).hostname !== '127.0.0.1');
      expect(foreign).toEqual([]);
      expect(requests.length).toBeGreaterThanOrEqual(6);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }

    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    server = undefined;
    expect(serverOutput.match(/wrote 6 pages/g)).toHaveLength(2);
    expect(serverOutput).toContain('not built yet (pages say so): rx');
  }, 60_000);
});
