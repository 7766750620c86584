/**
 * The site of a real build (in process): determinism, page size at a few thousand patients,
 * states on the DAG, and plotted numbers against SQL run through `healthsim query`'s guard.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, loadProject, query, type Project } from '../../src/index.js';
import { DocsError, MARKER_FILE, buildDocsSite, collectSite, renderSite, writeSite } from '../../src/docs/site.js';
import type { SiteModel } from '../../src/docs/model.js';

const REPO = path.resolve(import.meta.dirname, '..', '..');

const CONFIG = `version: 1
seed: 42
reference_date: 2025-01-01
datasets:
  diabetes:
    profile: profiles/elderly-diabetic.yaml
    journey: journeys/diabetic-year-one.yaml
    count: 2500
    tags: [diabetes]
  medicare:
    profile: profiles/medicare-advantage-ca.yaml
    count: 150
  trial:
    profile: profiles/oncology-trial.yaml
  rx:
    profile: profiles/rx-members.yaml
    count: 40
  both:
    merge: [medicare, rx]
exports:
  medicare-csv: { dataset: medicare, format: csv, path: outputs/exports/medicare-csv }
`;

let root: string;
let project: Project;
let model: SiteModel;
let pages: Map<string, string>;

async function load(): Promise<Project> {
  const r = await loadProject(root);
  if (!r.ok) throw new Error(r.errors.map((d) => d.message).join('\n'));
  return r.value;
}

/** Cells of the table inside the figure `id` (tags stripped, entities decoded). */
function figureRows(html: string, id: string): string[][] {
  const fig = new RegExp(`<figure id="${id}"[\\s\\S]*?</figure>`).exec(html)?.[0];
  if (!fig) throw new Error(`no figure ${id}`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(fig)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'")),
  );
}

function sqlOf(html: string, id: string): string {
  const fig = new RegExp(`<figure id="${id}"[\\s\\S]*?</figure>`).exec(html)![0];
  const cmd = /<pre><code>healthsim query \S+ &quot;([\s\S]*?)&quot; --limit 1000<\/code><\/pre>/.exec(fig)![1]!;
  return cmd.replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'healthsim-docs-'));
  for (const f of ['profiles', 'journeys']) await cp(path.join(REPO, f), path.join(root, f), { recursive: true });
  await writeFile(path.join(root, 'healthsim.config.yaml'), CONFIG);
  project = await load();
  await expect(collectSite(project)).rejects.toThrow(new DocsError('NOT_BUILT', 'no database at outputs/healthsim.duckdb: run healthsim build first'));
  // rx (and the merge reading it) stay unbuilt
  const r = await build(project, { targets: ['diabetes', 'medicare', 'trial', 'export:medicare-csv'] });
  expect(r.ok).toBe(true);
  model = await collectSite(project);
  pages = renderSite(model);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('healthsim docs site', () => {
  it('has a project page, one page per dataset and the dictionary', () => {
    expect([...pages.keys()]).toEqual([
      'index.html', 'datasets/both.html', 'datasets/diabetes.html', 'datasets/medicare.html', 'datasets/rx.html', 'datasets/trial.html', 'dictionary.html',
    ]);
  });

  it('is byte-identical when generated twice from the same database', async () => {
    const again = renderSite(await collectSite(project));
    expect([...again.keys()]).toEqual([...pages.keys()]);
    for (const [p, text] of pages) expect(again.get(p), p).toBe(text);
  });

  it('keeps every page small for 2,500 patients and ships no rows', async () => {
    expect(model.datasets.find((d) => d.name === 'diabetes')!.entry!.rowCounts.lab_results).toBeGreaterThan(100_000);
    for (const [p, text] of pages) expect(Buffer.byteLength(text), p).toBeLessThan(1_000_000);
    const ids = await query(project, 'diabetes', 'SELECT patient_id, mrn FROM patients ORDER BY patient_id LIMIT 3');
    for (const [id, mrn] of ids.rows) {
      for (const [p, text] of pages) {
        expect(text.includes(String(id)), `${p} contains ${id}`).toBe(false);
        expect(text.includes(String(mrn)), `${p} contains ${mrn}`).toBe(false);
      }
    }
  });

  it('colours the DAG by state and links dataset nodes to their pages', () => {
    const index = pages.get('index.html')!;
    expect(index).toContain('<a href="datasets/diabetes.html"><g class="node state-up-to-date" data-step="persist:diabetes">');
    expect(index).toContain('<a href="datasets/rx.html"><g class="node state-not-built" data-step="generate:rx">');
    expect(index).toContain('<a href="datasets/both.html"><g class="node state-not-built" data-step="persist:both">');
    expect(index).toContain('<a href="datasets/medicare.html#exports"><g class="node state-up-to-date" data-step="export:medicare-csv">');
    expect(pages.get('datasets/rx.html')).toContain('This dataset is in the plan but has not been built yet');
    expect(pages.get('datasets/rx.html')).toContain('<p>No plots: the dataset has not been built.</p>');
  });

  it('draws the plots that apply to each dataset’s tables, without renderer warnings', () => {
    const ids = (name: string) => model.datasets.find((d) => d.name === name)!.figures.map((f) => f.id);
    // labs: the tests that differ most by control level first (HbA1c, glucose), 4 in all
    expect(ids('diabetes')).toEqual(['plot-age-patients', 'plot-prevalence', 'plot-lab-4548-4', 'plot-lab-2345-7', expect.stringMatching(/^plot-lab-/), expect.stringMatching(/^plot-lab-/), 'plot-timeline']);
    expect(ids('medicare')).toEqual(['plot-age-members', 'plot-prevalence', 'plot-timeline', 'plot-cost-claims']);
    expect(ids('trial')).toEqual(expect.arrayContaining(['plot-age-subjects', 'plot-timeline', 'plot-enrollment']));
    expect(ids('trial').filter((id) => id.startsWith('plot-lab-'))).toHaveLength(4);
    for (const d of model.datasets) for (const f of d.figures) {
      expect(f.warnings, `${d.name} ${f.id}`).toEqual([]);
      expect(f.svg).toMatch(/^<svg [^>]*role="img"/);
    }
  });

  it('plots the prevalences `healthsim query` returns, against the profile targets', async () => {
    const html = pages.get('datasets/diabetes.html')!;
    const rows = figureRows(html, 'plot-prevalence');
    // the page's own query, rerun through the guarded query path
    const rerun = await query(project, 'diabetes', sqlOf(html, 'plot-prevalence'), { limit: 1000 });
    expect(rows.map((r) => r[0])).toEqual(rerun.rows.map((r) => r[0]));
    expect(rows.map((r) => r[4]!.split(' ')[0])).toEqual(rerun.rows.map((r) => String(r[4])));
    // an independent query for each condition
    for (const r of rows) {
      const q = await query(project, 'diabetes', `SELECT count(DISTINCT patient_id) AS n, (SELECT count(*) FROM patients) AS total FROM diagnoses WHERE code = '${r[0]}' OR code LIKE '${r[0]}.%'`);
      const [n, total] = q.rows[0] as number[];
      expect(r[2]!.replace(/,/g, '')).toBe(String(n));
      expect(Number(r[4]!.split(' ')[0])).toBe(Math.round((n / total) * 10000) / 10000);
    }
    // targets are the profile's
    expect(rows.map((r) => [r[0], r[5]])).toEqual([['E11', '1 (100.0%)'], ['E66', '0.35 (35.0%)'], ['E78', '0.5 (50.0%)'], ['I10', '0.7 (70.0%)'], ['N18', '0.2 (20.0%)']]);
    expect(rows[0]![1]).toBe('Type 2 diabetes mellitus');
  });

  it('plots the age pyramid `healthsim query` counts', async () => {
    const html = pages.get('datasets/medicare.html')!;
    const q = await query(project, 'medicare', "SELECT (floor(age / 5) * 5)::INTEGER AS b, sex, count(*) FROM members GROUP BY ALL ORDER BY b, sex", { limit: 1000 });
    expect(figureRows(html, 'plot-age-members')).toEqual(q.rows.map(([b, sex, n]) => [`${b}–${Number(b) + 4}`, String(sex), String(n)]));
  });

  it('lists export manifests and the data dictionary with code systems', () => {
    expect(pages.get('datasets/medicare.html')).toMatch(/<h3 id="export-medicare-csv">medicare-csv: <code>outputs\/exports\/medicare-csv\/manifest.json<\/code><\/h3>\n<table>.*<td>members.csv<\/td><td>members<\/td><td class="num">150<\/td>/s);
    const dict = pages.get('dictionary.html')!;
    expect(dict).toContain('<h2 id="table-lab_results">lab_results</h2>');
    expect(dict).toContain('<tr><td><code>code</code></td><td>VARCHAR</td><td></td><td>yes</td><td>LOINC code</td><td>LOINC</td></tr>');
    expect(dict).toContain('<td>FK → <a href="#table-patients">patients.patient_id</a></td>');
  });

  it('marks a dataset stale after its profile changes, keeping the last build’s figures', async () => {
    const file = path.join(root, 'profiles', 'medicare-advantage-ca.yaml');
    const before = await readFile(file, 'utf8');
    try {
      await writeFile(file, before.replace(/seed: \d+/, 'seed: 4242'));
      const edited = await collectSite(await load());
      const medicare = edited.datasets.find((d) => d.name === 'medicare')!;
      expect(medicare.state).toBe('stale');
      expect(medicare.figures.length).toBeGreaterThan(0);
      expect(edited.steps.find((s) => s.step.id === 'generate:medicare')!.state).toBe('stale');
      expect(edited.datasets.find((d) => d.name === 'diabetes')!.state).toBe('up-to-date');
    } finally {
      await writeFile(file, before);
    }
  });

  it('writes the site atomically, identically each time, and never over a foreign directory', async () => {
    const out = path.join(root, 'site');
    const r1 = await buildDocsSite(project, { outDir: 'site' });
    const first = await readFile(path.join(out, 'datasets', 'diabetes.html'), 'utf8');
    await buildDocsSite(project, { outDir: 'site' });
    expect(await readFile(path.join(out, 'datasets', 'diabetes.html'), 'utf8')).toBe(first);
    expect(r1.notBuilt).toEqual(['both', 'rx']);
    expect(await readFile(path.join(out, MARKER_FILE), 'utf8')).toContain('healthsim docs');
    const foreign = path.join(root, 'mine');
    await mkdir(foreign);
    await writeFile(path.join(foreign, 'notes.txt'), 'keep me');
    await expect(writeSite(foreign, new Map([['index.html', 'x']]))).rejects.toThrow(/was not written by healthsim docs/);
    expect(await readFile(path.join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
