/** The project page (DAG, datasets, exports, tags) and one page per dataset. */
import path from 'node:path';
import { stringify } from 'yaml';
import { STATE_LABEL, dagSvg, type DagNode, type StepState } from './dag.js';
import { definitionList, formatNumber, html, link, page, percent, raw, render, table, type Content, type Html } from './html.js';
import { datasetHref, type DatasetInfo, type ExportInfo, type SiteModel } from './model.js';
import { renderFigure } from './plots.js';
import type { DatasetSummary } from '../store/index.js';

export function stateBadge(state: StepState): Html {
  return html`<span class="state state-${state}">${STATE_LABEL[state]}</span>`;
}

function tags(list: readonly string[], root: string): Html {
  return raw(list.map((t) => `<a class="tag" href="${root}index.html#tag-${t}">${render(t)}</a>`).join(''));
}

const short = (key: string): string => key.slice(0, 12);

// ── project page ─────────────────────────────────────────────────────────────────────────────

function dagNodes(model: SiteModel): DagNode[] {
  return model.steps.map(({ step, state, reasons }) => {
    const isExport = step.kind === 'export';
    const dataset = isExport ? model.exports.find((e) => e.config.name === step.owner)?.config.dataset : step.owner;
    return {
      id: step.id,
      label: step.id,
      sub: `${short(step.key)} · ${STATE_LABEL[state]}`,
      state,
      href: dataset ? `${datasetHref(dataset, true)}${isExport ? '#exports' : ''}` : undefined,
      title: `${step.id}\nkey ${step.key}\n${STATE_LABEL[state]}${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
    };
  });
}

export function projectPage(model: SiteModel): string {
  const { project } = model;
  const edges = model.steps.flatMap(({ step }) => [...step.deps].sort().map((d) => [d, step.id] as const));
  const counts = (['up-to-date', 'stale', 'not-built'] as const).map((s) => [s, model.steps.filter((x) => x.state === s).length] as const);
  const allTags = [...new Set(model.datasets.flatMap((d) => d.config?.tags ?? d.entry?.tags ?? []))].sort();
  const body = html`
<h1>${path.basename(project.root)}</h1>
<p class="lead">healthsim project · config <code>${project.configFile}</code> · reference date ${project.config.reference_date} · seed ${String(project.config.seed)}</p>
<h2 id="dag">Build DAG</h2>
<p>${model.steps.length} steps: ${raw(counts.map(([s, n]) => `${n} ${render(stateBadge(s))}`).join(', '))}. Boxes are steps (generate, merge, clone, persist, export) with the first 12 characters of their content key; arrows point from a step to the steps that read its output. Click a box to open its dataset.</p>
<p class="legend"><span><span class="state state-up-to-date">■</span> up to date: the database or export holds this key</span><span><span class="state state-stale">■</span> stale: an input changed since the last build</span><span><span class="state state-not-built">□</span> not built yet</span></p>
<div class="dag">${raw(dagSvg(dagNodes(model), edges))}</div>
<details><summary>Steps as a table</summary>
${table(['step', 'kind', 'state', 'key', 'why'], model.steps.map(({ step, state, reasons }) => [step.id, step.kind, stateBadge(state), html`<code>${short(step.key)}</code>`, state === 'up-to-date' ? '' : reasons.join('; ')]))}
</details>
<h2 id="datasets">Datasets</h2>
${table(
  ['dataset', 'kind', 'state', 'people', 'rows', 'tags', 'description'],
  model.datasets.map((d) => [link(datasetHref(d.name, true), d.name), d.config?.kind ?? d.entry?.kind ?? '', stateBadge(d.state), populationText(d), d.entry ? Object.values(d.entry.rowCounts).reduce((s, n) => s + n, 0) : '—', tags(d.config?.tags ?? d.entry?.tags ?? [], ''), d.config?.description ?? d.entry?.description ?? '']),
  { align: ['l', 'l', 'l', 'r', 'r', 'l', 'l'] },
)}
<h2 id="exports">Exports</h2>
${model.exports.length === 0 ? html`<p>The config declares no exports.</p>` : exportsTable(model.exports, true)}
<h2 id="tags">Tags</h2>
${allTags.length === 0 ? html`<p>No tags.</p>` : definitionList(allTags.map((t) => [html`<span id="tag-${t}">${t}</span>`, raw(model.datasets.filter((d) => (d.config?.tags ?? d.entry?.tags ?? []).includes(t)).map((d) => render(link(datasetHref(d.name, true), d.name))).join(', '))]))}
<h2 id="dictionary">Data dictionary</h2>
<p>${link('dictionary.html', 'Every table and column')} of the data model: types, keys, meaning and code systems.</p>`;
  return page({ title: path.basename(project.root), root: '', body, description: `healthsim project ${path.basename(project.root)}: build DAG and datasets` });
}

function populationText(d: DatasetInfo): Content {
  const p = d.summary?.population[0];
  return p ? `${formatNumber(p.n)} ${p.table}` : '—';
}

function exportsTable(list: readonly ExportInfo[], fromRoot: boolean): Html {
  return table(
    ['export', 'dataset', 'format', 'path', 'state', 'files', 'rows'],
    list.map((e) => [
      fromRoot ? link(`${datasetHref(e.config.dataset, true)}#export-${e.config.name}`, e.config.name) : e.config.name,
      fromRoot ? link(datasetHref(e.config.dataset, true), e.config.dataset) : e.config.dataset,
      e.config.format, html`<code>${e.config.path}</code>`, stateBadge(e.state),
      e.manifest ? e.manifest.files.length : '—',
      e.manifest ? e.manifest.files.reduce((s, f) => s + (f.rows ?? 0), 0) : '—',
    ]),
    { align: ['l', 'l', 'l', 'l', 'l', 'r', 'r'] },
  );
}

// ── dataset page ─────────────────────────────────────────────────────────────────────────────

const MANIFEST_ROWS = 50;

function summarySection(s: DatasetSummary): Html {
  const parts: Html[] = [html`<p>${s.line}</p>`];
  parts.push(table(['table', 'rows'], Object.entries(s.counts).map(([t, n]) => [link(`../dictionary.html#table-${t}`, t), n]), { align: ['l', 'r'], caption: 'Rows per table' }));
  for (const p of s.population) {
    const shares = (rec: Record<string, number>) => Object.entries(rec).map(([k, v]) => `${k} ${percent(v)}`).join(', ');
    parts.push(html`<h3>${p.table}: demographics</h3>`, definitionList([
      ['people', p.n],
      ['age', p.age.min === null ? '—' : `${p.age.min}–${p.age.max}, mean ${p.age.mean}`],
      ['sex', shares(p.sex)],
      ['race', shares(p.race)],
      ['ethnicity', shares(p.ethnicity)],
    ]));
  }
  if (s.geography) {
    const g = s.geography;
    const ranked = (r: { name: string; n: number }[]) => r.map((x) => `${x.name} (${x.n})`).join(', ');
    parts.push(html`<h3>Geography (${g.table})</h3>`, definitionList([['top states', ranked(g.states)], ['top counties', ranked(g.counties)], ['top cities', ranked(g.cities)]]));
  }
  if (s.conditions?.top.length) {
    parts.push(html`<h3>Most frequent diagnosis codes</h3>`, table(['code', 'description', 'people', 'share'], s.conditions.top.map((c) => [c.code, c.description ?? '', c.n, percent(c.share)]), { align: ['l', 'l', 'r', 'r'] }));
  }
  for (const key of ['patientsim', 'membersim', 'rxmembersim', 'trialsim', 'pa'] as const) {
    const section = s[key];
    if (section) parts.push(html`<h3>${key} figures</h3>`, definitionList(flatten(section)));
  }
  return html`${parts}`;
}

/** Nested summary values as `a.b: value` rows (shares print as numbers, as stored). */
function flatten(value: unknown, prefix = ''): [string, Content][] {
  if (value === null || typeof value !== 'object') return [[prefix, value === null ? '—' : typeof value === 'number' ? value : String(value)]];
  if (Array.isArray(value)) return [[prefix, value.map((v) => (typeof v === 'object' && v ? Object.values(v).join(' ') : String(v))).join(', ')]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function specYaml(model: SiteModel, d: DatasetInfo): string {
  if (!d.config) return '# this dataset is no longer in the config';
  const doc: Record<string, unknown> = { dataset: d.config };
  if (d.config.kind === 'generate') {
    doc.profiles = Object.fromEntries(d.config.profiles.map((p) => [p, model.project.profiles.get(p)?.normalized]));
    if (d.config.journey) doc.journey = { [d.config.journey]: model.project.journeys.get(d.config.journey)?.normalized };
  }
  return stringify(doc, { lineWidth: 0, sortMapEntries: false });
}

export function datasetPage(model: SiteModel, d: DatasetInfo): string {
  const steps = model.steps.filter((s) => s.step.owner === d.name && s.step.kind !== 'export');
  const sources = d.config?.merge ?? (d.config?.clone ? [d.config.clone] : d.entry?.sources ?? []);
  const toc: [string, string][] = [['summary', 'Summary'], ['plots', 'Plots'], ['tags', 'Tags'], ['spec', 'Spec'], ['lineage', 'Lineage'], ['exports', 'Exports']];
  const notice = d.state === 'not-built'
    ? html`<p class="notice">This dataset is in the plan but has not been built yet: run <code>healthsim build ${d.name}</code>, then <code>healthsim docs</code>.</p>`
    : d.state === 'stale'
      ? html`<p class="notice">Stale: the specs changed since this dataset was built, so the figures below show the last build. Run <code>healthsim build</code> to refresh it.</p>`
      : '';
  const body = html`
<p><a href="../index.html#dag">← Project DAG</a></p>
<h1>${d.name}</h1>
<p class="lead">${d.config?.kind ?? d.entry?.kind ?? ''} dataset · ${stateBadge(d.state)}${d.entry ? html` · key <code>${short(d.entry.key)}</code> · built for reference date ${d.entry.builtAt}` : ''}${d.config?.description ? html` · ${d.config.description}` : ''}</p>
${notice}
<nav aria-label="On this page"><ul class="toc">${raw(toc.map(([id, t]) => `<li><a href="#${id}">${t}</a>${id === 'plots' && d.figures.length ? `<ul>${d.figures.map((f) => `<li><a href="#${f.id}">${render(f.title)}</a></li>`).join('')}</ul>` : ''}</li>`).join(''))}</ul></nav>
<h2 id="summary">Summary</h2>
${d.summary ? summarySection(d.summary) : html`<p>Not in the database yet.</p>`}
<h2 id="plots">Plots</h2>
${d.figures.length ? d.figures.map((f) => renderFigure(f, d.name)) : html`<p>No plots: ${d.entry ? 'none applies to the tables of this dataset' : 'the dataset has not been built'}.</p>`}
<h2 id="tags">Tags</h2>
${(d.config?.tags ?? d.entry?.tags ?? []).length ? tags(d.config?.tags ?? d.entry?.tags ?? [], '../') : html`<p>No tags.</p>`}
<h2 id="spec">Spec</h2>
<p>The dataset entry of the config and the normalized spec it is built from (every default filled in; this is what the content key is computed from).</p>
<pre><code>${specYaml(model, d)}</code></pre>
<h2 id="lineage">Lineage</h2>
${definitionList([
  ['built from', sources.length ? raw(sources.map((s) => render(link(datasetHref(s, false), s))).join(', ')) : d.config?.kind === 'generate' ? `generated from ${d.config.profiles.join(', ')}${d.config.journey ? ` with journey ${d.config.journey}` : ''}` : '—'],
  ['used by', d.dependents.length ? raw(d.dependents.map((s) => render(link(datasetHref(s, false), s))).join(', ')) : '—'],
  ['seed', d.entry?.seed ?? '—'],
])}
${mergedRows(d)}
${steps.length ? table(['step', 'state', 'key', 'inputs'], steps.map(({ step, state }) => [step.id, stateBadge(state), html`<code>${short(step.key)}</code>`, step.deps.join(', ')])) : ''}
<h2 id="exports">Exports</h2>
${d.exports.length === 0 ? html`<p>No export in the config reads this dataset.</p>` : [exportsTable(d.exports, false), d.exports.map((e) => exportDetail(e))]}`;
  return page({ title: d.name, root: '../', body, description: `healthsim dataset ${d.name}` });
}

/** A merge's rows per source dataset and table (the `source_dataset` column), from the stored summary. */
function mergedRows(d: DatasetInfo): Html | string {
  const sources = d.summary?.sources;
  if (!sources) return '';
  const tables = Object.keys(d.summary!.counts).filter((t) => Object.values(sources).some((s) => (s[t] ?? 0) > 0));
  return table(['source_dataset', ...tables], Object.entries(sources).map(([name, rows]) => [link(datasetHref(name, false), name), ...tables.map((t) => rows[t] ?? 0)]), {
    caption: 'Rows per source dataset', align: ['l', ...tables.map(() => 'r' as const)],
  });
}

function exportDetail(e: ExportInfo): Html {
  if (!e.manifest) return html`<h3 id="export-${e.config.name}">${e.config.name}</h3><p>No manifest at <code>${e.dir}/manifest.json</code>: the export has not been written yet.</p>`;
  const files = e.manifest.files;
  const shown = files.slice(0, MANIFEST_ROWS);
  return html`<h3 id="export-${e.config.name}">${e.config.name}: <code>${e.dir}/manifest.json</code></h3>
${table(['file', 'table', 'rows', 'bytes', 'sha256'], shown.map((f) => [f.file, f.table ?? '', f.rows ?? '', f.bytes, html`<code>${f.sha256.slice(0, 16)}…</code>`]), { align: ['l', 'l', 'r', 'r', 'l'] })}
${files.length > shown.length ? html`<p>… and ${files.length - shown.length} more files (see the manifest).</p>` : ''}`;
}
