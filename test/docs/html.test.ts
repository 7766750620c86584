import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dagSvg } from '../../src/docs/dag.js';
import { escapeHtml, formatNumber, html, page, percent, raw, table } from '../../src/docs/html.js';
import { costBinLabel, niceStep } from '../../src/docs/queries.js';
import { queryCommand } from '../../src/docs/plots.js';
import { resolveRequestPath } from '../../src/docs/serve.js';
import { accessibleSvg, agePyramidSpec, renderSvg, timelineSpec } from '../../src/docs/charts.js';
import { targetsFor } from '../../src/docs/targets.js';
import type { NormalizedConfig, NormalizedProfile } from '../../src/spec/types.js';

describe('HTML escaping', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;');
  });

  it('escapes interpolated strings but keeps Html, arrays and numbers', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p title="${name}">${name} ${raw('<b>ok</b>')} ${[1234567, ' & ', 'x']}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt; <b>ok</b> 1,234,567 &amp; x</p>',
    );
  });

  it('formats numbers without the locale', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(12345.678)).toBe('12,345.678');
    expect(formatNumber(-1000)).toBe('-1,000');
    expect(percent(0.4567)).toBe('45.7%');
  });

  it('renders tables with escaped cells and right-aligned number columns', () => {
    expect(table(['a', 'n'], [['<x>', 5]], { align: ['l', 'r'] }).value).toBe(
      '<table><thead><tr><th scope="col">a</th><th scope="col" class="num">n</th></tr></thead>\n<tbody>\n<tr><td>&lt;x&gt;</td><td class="num">5</td></tr>\n</tbody></table>',
    );
  });

  it('pages load nothing: no script, no external URL, a CSP that forbids fetching', () => {
    const p = page({ title: 'T <1>', root: '../', body: html`<p>x</p>` });
    expect(p).toContain('<title>T &lt;1&gt; · healthsim docs</title>');
    expect(p).not.toMatch(/<script/i);
    expect(p).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(p).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(p).toContain('<a href="../dictionary.html">');
  });

  it('quotes a plot query as a healthsim query command on one line', () => {
    expect(queryCommand('cohort', "SELECT a\nFROM t\n  WHERE x = 'y'")).toBe(`healthsim query cohort "SELECT a FROM t WHERE x = 'y'" --limit 1000`);
  });
});

describe('bins', () => {
  it('picks 1-2-2.5-5 steps', () => {
    expect(niceStep(4, 14)).toBe(0.5);
    expect(niceStep(0, 1000)).toBe(50);
    expect(niceStep(60, 250)).toBe(10);
    expect(niceStep(5, 5)).toBe(1);
    expect(niceStep(5, 55)).toBe(2.5);
    expect(niceStep(5, 55, 20, true)).toBe(5);
    expect(niceStep(0, 8, 20, true)).toBe(1);
  });
  it('labels cost bins', () => {
    expect([0, 1, 5, 6, 10].map(costBinLabel)).toEqual(['< $25', '$25–$50', '$500–$1k', '$1k–$2.5k', '≥ $25k']);
  });
});

describe('static server paths', () => {
  const dir = path.resolve('/srv/site');
  it('maps requests inside the site and refuses to leave it', () => {
    expect(resolveRequestPath(dir, '/')).toBe(path.join(dir, 'index.html'));
    expect(resolveRequestPath(dir, '/datasets/a.html?x=1#y')).toBe(path.join(dir, 'datasets', 'a.html'));
    expect(resolveRequestPath(dir, '/../etc/passwd')).toBe(path.join(dir, 'etc', 'passwd'));
    expect(resolveRequestPath(dir, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(dir, 'etc', 'passwd'));
    expect(resolveRequestPath(dir, '/a%00b')).toBeUndefined();
    expect(resolveRequestPath(dir, '/%E0%A4%A')).toBeUndefined();
  });
});

describe('DAG SVG', () => {
  const svg = dagSvg(
    [
      { id: 'generate:a', label: 'generate:a', sub: 'k1 · up to date', state: 'up-to-date', href: 'datasets/a.html' },
      { id: 'persist:a', label: 'persist:a', sub: 'k2 · stale', state: 'stale', href: 'datasets/a.html' },
      { id: 'export:x<y>', label: 'export:x<y>', sub: 'k3 · not built', state: 'not-built' },
    ],
    [['generate:a', 'persist:a'], ['generate:a', 'export:x<y>']],
  );
  it('draws one box per step with its state, links dataset nodes, escapes labels', () => {
    expect(svg.match(/<g class="node /g)).toHaveLength(3);
    expect(svg.match(/<a href="datasets\/a.html">/g)).toHaveLength(2);
    expect(svg).toContain('<g class="node state-stale" data-step="persist:a">');
    expect(svg).toContain('stroke-dasharray="5 3"');
    expect(svg).toContain('export:x&lt;y&gt;');
    expect(svg.match(/marker-end="url\(#dag-arrow\)"/g)).toHaveLength(2);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="dag-title dag-desc"/);
  });
  it('is byte-stable', () => {
    expect(dagSvg([{ id: 'a', label: 'a', sub: 's', state: 'stale' }, { id: 'b', label: 'b', sub: 's', state: 'stale' }], [['a', 'b']])).toBe(
      dagSvg([{ id: 'a', label: 'a', sub: 's', state: 'stale' }, { id: 'b', label: 'b', sub: 's', state: 'stale' }], [['a', 'b']]),
    );
  });
});

describe('charts', () => {
  it('render to identical, accessible SVG without warnings, in any time zone', async () => {
    const rows = [{ bandStart: 65, sex: 'F', people: 3 }, { bandStart: 65, sex: 'M', people: 2 }, { bandStart: 70, sex: 'F', people: 1 }];
    const a = await renderSvg(agePyramidSpec(rows));
    const b = await renderSvg(agePyramidSpec(rows));
    expect(a.warnings).toEqual([]);
    expect(a.svg).toBe(b.svg);
    const svg = accessibleSvg(a.svg, 'plot-x', 'Age <pyramid>', 'desc');
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="plot-x-title plot-x-desc" id="plot-x"><title id="plot-x-title">Age &lt;pyramid&gt;<\/title><desc id="plot-x-desc">desc<\/desc>/);
    const months = [{ events: 'e', month: '2024-01', n: 1 }, { events: 'e', month: '2024-02', n: 4 }];
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const utc = await renderSvg(timelineSpec(months));
      process.env.TZ = 'Pacific/Kiritimati'; // UTC+14: a local-time axis would shift every month
      const east = await renderSvg(timelineSpec(months));
      process.env.TZ = 'America/Los_Angeles';
      const west = await renderSvg(timelineSpec(months));
      expect(utc.warnings).toEqual([]);
      expect(east.svg).toBe(utc.svg);
      expect(west.svg).toBe(utc.svg);
      expect(utc.svg).toContain('>Jan 2024</text>');
      expect(utc.svg).toContain('>Feb 2024</text>');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('prevalence targets', () => {
  const profile = (code: string, prevalence: number, count: number, comorbid: [string, number][] = []): { normalized: NormalizedProfile } => ({
    normalized: {
      id: code, product: 'patientsim', products: ['patientsim'], generation: { count, batch_size: 50 },
      clinical: { primary_condition: { code, prevalence }, comorbidities: comorbid.map(([c, p]) => ({ code: c, prevalence: p })), medications: [], derived_conditions: false, allergies_rate: 0 },
    } as unknown as NormalizedProfile,
  });
  const config = {
    datasets: [
      { name: 'a', kind: 'generate', profiles: ['a.yaml'], count: 300, tags: [] },
      { name: 'b', kind: 'generate', profiles: ['b.yaml'], tags: [] },
      { name: 'ab', kind: 'merge', profiles: [], merge: ['a', 'b'], tags: [] },
      { name: 'a2', kind: 'clone', profiles: [], clone: 'a', tags: [] },
    ],
  } as unknown as NormalizedConfig;
  const project = { config, profiles: new Map([['a.yaml', profile('E11', 1, 100, [['I10', 0.5]])], ['b.yaml', profile('I50', 1, 100, [['I10', 0.9]])]]) };

  it('takes a profile’s conditions, weighting merged sources by size', () => {
    expect(targetsFor(project, 'a').targets).toEqual([{ code: 'E11', prevalence: 1 }, { code: 'I10', prevalence: 0.5 }]);
    expect(targetsFor(project, 'a').population).toBe(300);
    expect(targetsFor(project, 'a2').targets).toEqual(targetsFor(project, 'a').targets);
    const ab = targetsFor(project, 'ab');
    expect(ab.population).toBe(400);
    expect(ab.targets).toEqual([{ code: 'E11', prevalence: 0.75 }, { code: 'I10', prevalence: 0.6 }, { code: 'I50', prevalence: 0.25 }]);
    expect(ab.basis).toBe("merge of a (300), b (100), each source's targets weighted by its size");
  });
});
