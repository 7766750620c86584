import { query } from '../../index.js';
import type { CliIO } from '../io.js';
import { loadForReading, type ProjectOptions } from '../project.js';
import { formatCount, renderTable } from '../render/table.js';
import { parseIntOption } from './build.js';
import { requireDatabase } from './datasets.js';

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function queryCommand(
  io: CliIO,
  dataset: string,
  sql: string,
  opts: ProjectOptions & { limit?: string; offset?: string; timeout?: string; format: 'table' | 'json' | 'csv' },
): Promise<number> {
  const project = await loadForReading(io, opts, opts.format === 'json');
  const limit = parseIntOption('--limit', opts.limit, 0, 100_000) ?? 20;
  const offset = parseIntOption('--offset', opts.offset, 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const timeout = parseIntOption('--timeout', opts.timeout, 1, 3600) ?? 10;
  await requireDatabase(project);
  const r = await query(project, dataset, sql, { limit, offset, timeoutMs: timeout * 1000 });
  if (opts.format === 'json') {
    io.out(JSON.stringify({ ...r, columns: r.columns, rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]))) }, null, 2));
  } else if (opts.format === 'csv') {
    io.out([r.columns.map((c) => csvCell(c.name)).join(','), ...r.rows.map((row) => row.map(csvCell).join(','))].join('\n'));
  } else {
    io.out(renderTable(r.columns.map((c) => c.name), r.rows.map((row) => row.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as string | number | null))))));
    const shown = r.rows.length;
    const from = r.total === 0 ? 0 : r.offset + 1;
    io.out(
      `\nShowing ${shown === 0 ? 0 : `${formatCount(from)}–${formatCount(r.offset + shown)}`} of ${formatCount(r.total)}${r.hasMore ? ` (more: --offset ${r.offset + shown})` : ''}`,
    );
  }
  return 0;
}
