/** The data dictionary page, generated from the one table model (src/model). */
import { ALL_TABLES, SOURCE_DATASET_COLUMN } from '../model/registry.js';
import type { Column, TableDef } from '../model/types.js';
import { html, link, page, raw, render, table, type Html } from './html.js';
import { datasetHref, type DatasetInfo } from './model.js';

function keyText(t: TableDef, c: Column): Html {
  const parts: Html[] = [];
  if (t.primaryKey.includes(c.name)) parts.push(html`<strong>PK</strong>`);
  if (c.references) parts.push(html`FK → ${link(`#table-${c.references.table}`, `${c.references.table}.${c.references.column}`)}`);
  return raw(parts.map(render).join(' '));
}

function nullable(t: TableDef, c: Column): string {
  return c.nullable === false || t.primaryKey.includes(c.name) ? 'no' : 'yes';
}

function tableSection(t: TableDef, datasets: readonly DatasetInfo[]): Html {
  const holders = datasets.filter((d) => d.entry && t.name in d.entry.rowCounts);
  return html`<section aria-labelledby="table-${t.name}">
<h2 id="table-${t.name}">${t.name}</h2>
<p>${t.description}</p>
<p>Products: ${t.products.join(', ')} · primary key: <code>${t.primaryKey.join(', ')}</code>${t.orderBy ? html` · rows ordered by <code>${t.orderBy.join(', ')}</code>` : ''}</p>
${holders.length ? html`<p>In the database: ${raw(holders.map((d) => `${render(link(datasetHref(d.name, true), d.name))} (${render(d.entry!.rowCounts[t.name])} rows)`).join(', '))}</p>` : ''}
${table(
  ['column', 'type', 'key', 'nullable', 'meaning', 'code system'],
  t.columns.map((c) => [html`<code>${c.name}</code>`, c.type, keyText(t, c), nullable(t, c), c.description, c.codeSystem ?? '']),
)}
</section>`;
}

export function dictionaryPage(datasets: readonly DatasetInfo[]): string {
  const body = html`
<h1>Data dictionary</h1>
<p class="lead">Every table of the healthsim data model, generated from <code>src/model</code>. Column names are snake_case; keys are <code>&lt;entity&gt;_id</code>; dates are DATE columns named <code>*_date</code>; money is DECIMAL(12,2); coded columns pair a code with its <code>code_system</code>. Merged datasets add a <code>${SOURCE_DATASET_COLUMN}</code> column to every table naming the dataset a row came from.</p>
<nav aria-label="Tables"><ul class="toc">${raw(ALL_TABLES.map((t) => `<li><a href="#table-${t.name}">${t.name}</a> <small>(${t.products.join(', ')})</small></li>`).join(''))}</ul></nav>
${ALL_TABLES.map((t) => tableSection(t, datasets))}`;
  return page({ title: 'Data dictionary', root: '', body, description: 'healthsim data dictionary: tables, columns, types, keys, code systems' });
}
