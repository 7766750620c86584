import { plan } from '../../index.js';
import type { CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';

export async function dagCommand(io: CliIO, opts: ProjectOptions & { format: 'mermaid' | 'dot' | 'json' }): Promise<number> {
  const project = await loadOrFail(io, opts);
  const p = plan(project);
  const edges = p.steps.flatMap((s) => [...s.deps].sort().map((d) => [d, s.id] as const));
  if (opts.format === 'json') {
    io.out(JSON.stringify({ steps: p.steps.map((s) => ({ id: s.id, kind: s.kind, owner: s.owner, deps: s.deps, key: s.key })) }, null, 2));
  } else if (opts.format === 'dot') {
    const lines = ['digraph healthsim {', '  rankdir=LR;'];
    for (const s of p.steps) lines.push(`  "${s.id}" [shape=${s.kind === 'export' ? 'note' : s.kind === 'persist' ? 'cylinder' : 'box'}];`);
    for (const [a, b] of edges) lines.push(`  "${a}" -> "${b}";`);
    lines.push('}');
    io.out(lines.join('\n'));
  } else {
    const nodeId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_');
    const lines = ['flowchart LR'];
    for (const s of p.steps) lines.push(`  ${nodeId(s.id)}["${s.id}"]`);
    for (const [a, b] of edges) lines.push(`  ${nodeId(a)} --> ${nodeId(b)}`);
    io.out(lines.join('\n'));
  }
  return 0;
}
