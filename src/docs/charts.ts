/**
 * Vega-Lite specs for the plots, rendered to SVG in Node (no browser, no JavaScript on the
 * page). The configuration is fixed (fonts, sizes, the Okabe–Ito colour-blind-safe palette,
 * UTC time), so the same numbers always give the same bytes, whatever the machine's time zone.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { escapeHtml } from './html.js';

/** Okabe & Ito (2008), without yellow (too light on white). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 6,
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#1b1f24', titleColor: '#1b1f24', gridColor: '#e6e8eb', domainColor: '#888', tickColor: '#888', labelLimit: 260 },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'top', direction: 'horizontal', labelLimit: 260, symbolOpacity: 1 },
  range: { category: PALETTE },
  bar: { color: PALETTE[0] },
  line: { color: PALETTE[0] },
  point: { color: PALETTE[0] },
} as const;

type Values = Record<string, string | number | null>[];

/**
 * Vega and Vega-Lite log to the console by default; library code must not print, so their
 * warnings are collected and returned with the SVG (the tests require none).
 */
function collectingLogger(into: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: readonly unknown[]) => (into.push(`error: ${args.map(String).join(' ')}`), logger),
    warn: (...args: readonly unknown[]) => (into.push(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger as unknown as vega.LoggerInterface;
}

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const warnings: string[] = [];
  const compiled = compile({ ...spec, config: CONFIG } as TopLevelSpec, { logger: collectingLogger(warnings) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: collectingLogger(warnings) });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Makes an SVG an accessible image: role="img" with a title and description (ids unique on the
 * page through `id`), scaling down to narrow screens.
 */
export function accessibleSvg(svg: string, id: string, title: string, description: string): string {
  const open = /^<svg\b([^>]*)>/.exec(svg);
  if (!open) throw new Error('not an SVG document');
  const attrs = open[1]!.replace(/\s(role|aria-[a-z]+)="[^"]*"/g, '');
  return (
    `<svg${attrs} role="img" aria-labelledby="${id}-title ${id}-desc" id="${id}">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    svg.slice(open[0].length)
  );
}

const SEX_LABEL: Record<string, string> = { F: 'female', M: 'male' };

export function agePyramidSpec(rows: readonly { bandStart: number; sex: string; people: number }[]): TopLevelSpec {
  const values: Values = rows
    .filter((r) => r.sex === 'F' || r.sex === 'M')
    .map((r) => ({
      band: `${r.bandStart}–${r.bandStart + 4}`,
      bandStart: r.bandStart,
      sex: SEX_LABEL[r.sex]!,
      people: r.people,
      signed: r.sex === 'M' ? -r.people : r.people,
    }));
  const bands = new Set(values.map((v) => v.band)).size;
  return {
    width: 520,
    height: Math.max(60, bands * 20),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'band', type: 'ordinal', sort: { field: 'bandStart', order: 'descending' }, title: 'age (years)' },
      x: { field: 'signed', type: 'quantitative', title: 'people (male ← → female)', axis: { labelExpr: 'abs(datum.value)', format: 'd' } },
      color: { field: 'sex', type: 'nominal', title: 'sex', scale: { domain: ['male', 'female'], range: [PALETTE[0], PALETTE[1]] } },
      tooltip: [{ field: 'band' }, { field: 'sex' }, { field: 'people' }],
    },
  } as TopLevelSpec;
}

export function prevalenceSpec(rows: readonly { label: string; observed: number; target: number | null }[]): TopLevelSpec {
  const values: Values = rows.map((r) => ({ label: r.label, observed: r.observed, target: r.target }));
  const y = { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } };
  const layers: unknown[] = [
    { mark: { type: 'bar', height: { band: 0.7 } }, encoding: { y, x: { field: 'observed', type: 'quantitative', title: 'share of people', scale: { domain: [0, 1] }, axis: { format: '.0%' } }, color: { datum: 'observed in data' } } },
  ];
  if (rows.some((r) => r.target !== null)) {
    layers.push({
      transform: [{ filter: 'datum.target !== null' }],
      mark: { type: 'tick', thickness: 3, size: 22 },
      encoding: { y, x: { field: 'target', type: 'quantitative' }, color: { datum: 'profile target' } },
    });
  }
  return {
    width: 520,
    height: Math.max(40, rows.length * 28),
    data: { values },
    layer: layers,
    encoding: { color: { scale: { domain: ['observed in data', 'profile target'], range: [PALETTE[0], '#000000'] }, title: null } },
  } as unknown as TopLevelSpec;
}

export function histogramSpec(rows: readonly { binStart: number; binEnd: number; level: string; results: number }[], unit: string, levelName: string, levels: readonly string[]): TopLevelSpec {
  const values: Values = rows.map((r) => ({ binStart: r.binStart, binEnd: r.binEnd, level: r.level, results: r.results }));
  return {
    width: 520,
    height: 160,
    data: { values },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'binStart', type: 'quantitative', bin: { binned: true }, title: unit ? `value (${unit})` : 'value' },
      x2: { field: 'binEnd' },
      y: { field: 'results', type: 'quantitative', stack: 'zero', title: 'results' },
      color: { field: 'level', type: 'nominal', title: levelName, scale: { domain: [...levels] } },
      order: { field: 'level' },
    },
  } as TopLevelSpec;
}

export function timelineSpec(rows: readonly { events: string; month: string; n: number }[]): TopLevelSpec {
  const values: Values = rows.map((r) => ({ events: r.events, month: `${r.month}-01`, n: r.n }));
  return {
    width: 560,
    height: 180,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: 'month', axis: { format: '%b %Y', labelOverlap: true } },
      y: { field: 'n', type: 'quantitative', title: 'events per month' },
      color: { field: 'events', type: 'nominal', title: null },
    },
  } as TopLevelSpec;
}

/** `amounts` in legend order (billed before allowed before paid); `labels` every bin, empty ones too. */
export function costSpec(rows: readonly { amount: string; bin: number; label: string; n: number }[], amounts: readonly string[], labels: readonly string[]): TopLevelSpec {
  const readable = (a: string) => a.replace(/_/g, ' ');
  const values: Values = rows.map((r) => ({ amount: readable(r.amount), label: r.label, n: r.n }));
  const domain = amounts.map(readable);
  return {
    width: 560,
    height: 180,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'label', type: 'ordinal', scale: { domain: [...labels] }, title: 'amount per claim', axis: { labelAngle: -30 } },
      xOffset: { field: 'amount', scale: { domain } },
      y: { field: 'n', type: 'quantitative', title: 'claims' },
      color: { field: 'amount', type: 'nominal', title: null, scale: { domain } },
    },
  } as TopLevelSpec;
}

export function enrollmentSpec(rows: readonly { site: string; arm: string; subjects: number }[]): TopLevelSpec {
  const values: Values = rows.map((r) => ({ site: r.site, arm: r.arm, subjects: r.subjects }));
  const sites = new Set(values.map((v) => v.site)).size;
  return {
    width: 480,
    height: Math.max(40, sites * 24),
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'site', type: 'nominal', sort: null, title: null, axis: { labelLimit: 420 } },
      x: { field: 'subjects', type: 'quantitative', title: 'subjects', stack: 'zero' },
      color: { field: 'arm', type: 'nominal', title: 'arm' },
      order: { field: 'arm' },
    },
  } as TopLevelSpec;
}
