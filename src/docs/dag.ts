/**
 * The project DAG as an inline SVG: dagre computes the layout (left to right, in the plan's
 * topological order, so the picture is stable), and we draw boxes and edges ourselves. A node's
 * state is told by colour, border style and a word (not by colour alone); dataset nodes link to
 * the dataset's page.
 */
import dagre from '@dagrejs/dagre';
import { escapeHtml } from './html.js';

export type StepState = 'up-to-date' | 'stale' | 'not-built';

export const STATE_LABEL: Record<StepState, string> = { 'up-to-date': 'up to date', stale: 'stale', 'not-built': 'not built' };

export interface DagNode {
  id: string;
  /** first line (the step id) */
  label: string;
  /** second line (short key) */
  sub: string;
  state: StepState;
  href?: string;
  /** tooltip text (full key, reasons) */
  title?: string;
}

const STYLE: Record<StepState, { fill: string; stroke: string; dash?: string }> = {
  'up-to-date': { fill: '#e6f4ea', stroke: '#1a7f37' },
  stale: { fill: '#fff4d6', stroke: '#9a6700' },
  'not-built': { fill: '#f3f4f6', stroke: '#6e7781', dash: '5 3' },
};

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 44;
const r1 = (x: number): string => String(Math.round(x * 10) / 10);

/** Renders the step graph; `edges` are [from, to] step ids. */
export function dagSvg(nodes: readonly DagNode[], edges: readonly (readonly [string, string])[], opts: { id?: string } = {}): string {
  const id = opts.id ?? 'dag';
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 56, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const width = Math.ceil(Math.max(n.label.length, n.sub.length + 2) * CHAR_WIDTH + 24);
    g.setNode(n.id, { width, height: NODE_HEIGHT });
  }
  for (const [a, b] of edges) g.setEdge(a, b);
  dagre.layout(g);
  const graph = g.graph();
  const width = Math.ceil(graph.width ?? 0);
  const height = Math.ceil(graph.height ?? 0);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" id="${id}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`,
    `<title id="${id}-title">Build DAG: ${nodes.length} steps</title>`,
    `<desc id="${id}-desc">${escapeHtml(describe(nodes, edges))}</desc>`,
    `<defs><marker id="${id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#57606a"/></marker></defs>`,
    '<g class="edges">',
  );
  for (const [a, b] of edges) {
    const pts = g.edge(a, b)?.points ?? [];
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(p.x)},${r1(p.y)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="#57606a" stroke-width="1.2" marker-end="url(#${id}-arrow)"><title>${escapeHtml(`${a} → ${b}`)}</title></path>`);
  }
  parts.push('</g><g class="nodes">');
  for (const n of nodes) {
    const box = g.node(n.id);
    const x = box.x - box.width / 2;
    const y = box.y - box.height / 2;
    const s = STYLE[n.state];
    const node =
      `<g class="node state-${n.state}" data-step="${escapeHtml(n.id)}">` +
      `<title>${escapeHtml(n.title ?? `${n.label} (${STATE_LABEL[n.state]})`)}</title>` +
      `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(box.width)}" height="${r1(box.height)}" rx="6" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
      `<text x="${r1(x + 10)}" y="${r1(y + 18)}" font-size="12" font-weight="600" fill="#1b1f24">${escapeHtml(n.label)}</text>` +
      `<text x="${r1(x + 10)}" y="${r1(y + 35)}" font-size="11" fill="#57606a">${escapeHtml(n.sub)}</text>` +
      '</g>';
    parts.push(n.href ? `<a href="${escapeHtml(n.href)}">${node}</a>` : node);
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}

function describe(nodes: readonly DagNode[], edges: readonly (readonly [string, string])[]): string {
  const counts = (['up-to-date', 'stale', 'not-built'] as const).map((s) => `${nodes.filter((n) => n.state === s).length} ${STATE_LABEL[s]}`);
  return `${nodes.length} steps (${counts.join(', ')}) and ${edges.length} dependencies, drawn left to right. The same steps are listed in the table below.`;
}
