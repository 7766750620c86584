/**
 * The plots of one dataset: which apply (by the tables it has), their aggregate queries, their
 * SVG, and the numbers behind each one as a table with the query that produced them.
 */
import type { TopLevelSpec } from 'vega-lite';
import { accessibleSvg, agePyramidSpec, costSpec, enrollmentSpec, histogramSpec, prevalenceSpec, renderSvg, timelineSpec } from './charts.js';
import { formatNumber, html, percent, raw, table, type Html } from './html.js';
import {
  COST_BREAKS, agePyramid, claimCosts, costAmounts, conditionPrevalence, costBinLabel, eventTimeline, labCodes, labHistogram, labSourceFor,
  niceStep, topConditionCategories, trialEnrollment, type DatasetReader,
} from './queries.js';
import type { DatasetTargets } from './targets.js';

export interface Figure {
  /** page-unique id, also the fragment to link to */
  id: string;
  title: string;
  /** one sentence saying what is plotted (also the SVG's description) */
  description: string;
  svg: string;
  numbers: Html;
  sql: string;
  /** Vega/Vega-Lite warnings while rendering (none expected) */
  warnings: string[];
}

/** The shell command that reruns a plot's query. */
export function queryCommand(dataset: string, sql: string): string {
  return `healthsim query ${dataset} "${sql.replace(/\s*\n\s*/g, ' ')}" --limit 1000`;
}

async function figure(id: string, title: string, description: string, spec: TopLevelSpec, numbers: Html, sql: string): Promise<Figure> {
  const { svg, warnings } = await renderSvg(spec);
  return { id, title, description, svg: accessibleSvg(svg, id, title, description), numbers, sql, warnings };
}

export function renderFigure(f: Figure, dataset: string): Html {
  return html`<figure id="${f.id}" class="plot">
<figcaption>${f.title}</figcaption>
${raw(f.svg)}
<p>${f.description}</p>
<details><summary>Numbers and query</summary>
${f.numbers}
<pre><code>${queryCommand(dataset, f.sql)}</code></pre>
</details>
</figure>`;
}

const POPULATION_TABLES = ['patients', 'members', 'subjects'] as const;

/** Every plot that applies to the dataset, in page order. */
export async function datasetFigures(db: DatasetReader, targets: DatasetTargets | undefined): Promise<Figure[]> {
  const out: Figure[] = [];
  const t = db.tables;

  for (const pop of POPULATION_TABLES) {
    if (!t.has(pop)) continue;
    const q = await agePyramid(db, pop);
    if (q.rows.length === 0) continue;
    const total = q.rows.reduce((s, r) => s + r.people, 0);
    out.push(await figure(
      `plot-age-${pop}`, `Age pyramid: ${pop} by sex and 5-year age band`,
      `${formatNumber(total)} ${pop} by 5-year age band; males to the left, females to the right.`,
      agePyramidSpec(q.rows),
      table(['age band', 'sex', pop], q.rows.map((r) => [`${r.bandStart}–${r.bandStart + 4}`, r.sex, r.people]), { align: ['l', 'l', 'r'] }),
      q.sql,
    ));
  }

  if ((t.has('patients') && t.has('diagnoses')) || t.has('members')) {
    const wanted = targets?.targets ?? [];
    const q = wanted.length > 0 ? await conditionPrevalence(db, wanted.map((x) => x.code)) : await topConditionCategories(db);
    if (q.rows.length > 0) {
      const byCode = new Map(wanted.map((x) => [x.code, x]));
      const rows = q.rows.map((r) => {
        const description = byCode.get(r.code)?.description ?? r.description;
        return { ...r, description, label: description ? `${r.code} ${description}` : r.code, target: byCode.get(r.code)?.prevalence ?? null };
      });
      const desc = wanted.length > 0
        ? `Share of people ever diagnosed with each condition the profile names (bars), against the profile's target prevalence (black ticks; ${targets!.basis}).`
        : 'The 10 most frequent ICD-10-CM categories: share of people with at least one code in the category (the profile names no target conditions).';
      out.push(await figure(
        'plot-prevalence', wanted.length > 0 ? 'Condition prevalence against the profile targets' : 'Most frequent conditions',
        desc,
        prevalenceSpec(rows.map((r) => ({ label: r.label, observed: r.share, target: r.target }))),
        table(
          ['code', 'condition', 'people', 'of', 'observed share', 'target'],
          rows.map((r) => [r.code, r.description, r.people, r.population, `${r.share} (${percent(r.share)})`, r.target === null ? '—' : `${r.target} (${percent(r.target)})`]),
          { align: ['l', 'l', 'r', 'r', 'r', 'r'] },
        ),
        q.sql,
      ));
    }
  }

  const labs = labSourceFor(t);
  if (labs) {
    const codes = await labCodes(db, labs);
    for (const c of codes.rows) {
      const step = niceStep(c.min, c.max, 20, c.integral);
      const q = await labHistogram(db, labs, c.code, step);
      const levels = [...new Set(q.rows.map((r) => r.level))].sort();
      out.push(await figure(
        `plot-lab-${c.code}`, `${c.description} (LOINC ${c.code}) by ${labs.levelName}`,
        `Histogram of ${formatNumber(c.results)} ${c.description} results in bins of ${step}${c.unit ? ` ${c.unit}` : ''}, stacked by ${labs.levelName}.`,
        histogramSpec(q.rows, c.unit, labs.levelName, levels),
        table(['bin', labs.levelName, 'results'], q.rows.map((r) => [`${r.binStart} to < ${r.binEnd}`, r.level, r.results]), { align: ['l', 'l', 'r'] }),
        q.sql,
      ));
    }
  }

  const timeline = eventTimeline(db);
  if (timeline) {
    const q = await timeline;
    if (q.rows.length > 0) {
      out.push(await figure(
        'plot-timeline', 'Events per month',
        `Number of ${[...new Set(q.rows.map((r) => r.events))].join(', ')} per calendar month.`,
        timelineSpec(q.rows),
        table(['events', 'month', 'count'], q.rows.map((r) => [r.events, r.month, r.n]), { align: ['l', 'l', 'r'] }),
        q.sql,
      ));
    }
  }

  for (const claimTable of ['claims', 'pharmacy_claims'] as const) {
    if (!t.has(claimTable)) continue;
    const q = await claimCosts(db, claimTable);
    if (q.rows.length === 0) continue;
    const labels = Array.from({ length: COST_BREAKS.length + 1 }, (_, i) => costBinLabel(i));
    const what = claimTable === 'claims' ? 'medical claims' : 'pharmacy claims';
    out.push(await figure(
      `plot-cost-${claimTable}`, `Cost distribution of ${what}`,
      `Number of ${what} per amount bin, for each amount column (${costAmounts(claimTable).join(', ')}).`,
      costSpec(q.rows, costAmounts(claimTable), labels),
      table(['amount', 'bin', 'claims'], q.rows.map((r) => [r.amount, r.label, r.n]), { align: ['l', 'l', 'r'] }),
      q.sql,
    ));
  }

  if (t.has('subjects') && t.has('sites') && t.has('arms')) {
    const q = await trialEnrollment(db);
    if (q.rows.length > 0) {
      out.push(await figure(
        'plot-enrollment', 'Trial enrollment by site and arm',
        `Subjects per site, stacked by randomized arm (screen failures have no arm); ${formatNumber(q.rows.reduce((s, r) => s + r.subjects, 0))} subjects.`,
        enrollmentSpec(q.rows),
        table(['site', 'arm', 'subjects'], q.rows.map((r) => [r.site, r.arm, r.subjects]), { align: ['l', 'l', 'r'] }),
        q.sql,
      ));
    }
  }
  return out;
}
