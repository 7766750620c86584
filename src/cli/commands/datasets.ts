import { stat } from 'node:fs/promises';
import { defaultPaths } from '../../pipeline/paths.js';
import {
  closeProjectDb, getSummary, listDatasets, listTags, openProjectDb, sampleEntities,
  type DatasetSummary, type JsonValue, type ProjectDb,
} from '../../store/index.js';
import type { Project } from '../../pipeline/project.js';
import { CliError, type CliIO } from '../io.js';
import { loadForReading, type ProjectOptions } from '../project.js';
import { formatCount, renderTable } from '../render/table.js';
import { parseIntOption } from './build.js';

/** Open the project database read-only (a missing database is a clear error, not a new file). */
/** The project's database file; a CliError saying what to do when no build has written it yet. */
export async function requireDatabase(project: Pick<Project, "root" | "config">): Promise<string> {
  const file = defaultPaths(project.root, project.config.output_dir).dbFile;
  try {
    await stat(file);
  } catch {
    throw new CliError(`no database yet at ${file}: run healthsim build first`, 1);
  }
  return file;
}

export async function withReadOnlyDb<T>(project: Pick<Project, "root" | "config">, fn: (db: ProjectDb) => Promise<T>): Promise<T> {
  const file = await requireDatabase(project);
  const db = await openProjectDb(file, { readOnly: true });
  try {
    return await fn(db);
  } finally {
    await closeProjectDb(db);
  }
}

export async function listCommand(io: CliIO, opts: ProjectOptions & { tag?: string; tags?: boolean; json?: boolean }): Promise<number> {
  const project = await loadForReading(io, opts, opts.json);
  return withReadOnlyDb(project, async (db) => {
    if (opts.tags) {
      const tags = await listTags(db);
      if (opts.json) io.out(JSON.stringify(tags, null, 2));
      else if (tags.length === 0) io.out('no tags');
      else io.out(renderTable(['tag', 'datasets'], tags.map((t) => [t.tag, `${t.datasets} dataset${t.datasets === 1 ? '' : 's'}`])));
      return 0;
    }
    const list = await listDatasets(db, { tag: opts.tag });
    if (opts.json) {
      io.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (list.length === 0) {
      io.out(opts.tag ? `no datasets tagged ${opts.tag}` : 'no datasets yet: run healthsim build');
      return 0;
    }
    io.out(
      renderTable(
        ['dataset', 'kind', 'rows', 'tables', 'tags', 'key', 'built'],
        list.map((d) => {
          const counts = Object.entries(d.rowCounts).filter(([, n]) => n > 0);
          return [
            d.name,
            d.kind,
            formatCount(counts.reduce((s, [, n]) => s + n, 0)),
            counts.slice(0, 4).map(([t, n]) => `${t} ${formatCount(n)}`).join(', ') + (counts.length > 4 ? ', …' : ''),
            d.tags.join(','),
            d.key.slice(0, 12),
            d.builtAt,
          ];
        }),
      ),
    );
    return 0;
  });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

export function renderSummary(s: DatasetSummary): string {
  const lines: string[] = [s.line, ''];
  lines.push(renderTable(['table', 'rows'], Object.entries(s.counts).map(([t, n]) => [t, formatCount(n)]), { align: ['l', 'r'] }));
  for (const p of s.population) {
    lines.push('', `${p.table}: ${formatCount(p.n)}`);
    if (p.age.min !== null) lines.push(`- age range: ${p.age.min}–${p.age.max} (mean ${p.age.mean?.toFixed(1)})`);
    lines.push(`- sex: ${Object.entries(p.sex).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
    if (Object.keys(p.race).length) lines.push(`- race: ${Object.entries(p.race).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
    if (Object.keys(p.ethnicity).length) lines.push(`- ethnicity: ${Object.entries(p.ethnicity).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
  }
  if (s.geography) {
    lines.push('', `top states: ${s.geography.states.map((r) => `${r.name} (${r.n})`).join(', ')}`);
    lines.push(`top counties: ${s.geography.counties.map((r) => `${r.name} (${r.n})`).join(', ')}`);
    lines.push(`top cities: ${s.geography.cities.map((r) => `${r.name} (${r.n})`).join(', ')}`);
  }
  if (s.conditions?.top.length) {
    lines.push('', 'conditions:');
    for (const c of s.conditions.top) lines.push(`- ${c.code} ${c.description ?? ''}: ${formatCount(c.n)} (${pct(c.share)})`);
  }
  if (s.patientsim) {
    const p = s.patientsim;
    lines.push('', 'clinical:');
    if (p.hba1c.mean !== null) lines.push(`- average HbA1c: ${p.hba1c.mean.toFixed(1)}% (range ${p.hba1c.min}–${p.hba1c.max}%, ${formatCount(p.hba1c.results)} results)`);
    lines.push(`- with complications: ${pct(p.complicationShare)}`, `- on insulin: ${pct(p.insulinShare)}`, `- encounters per patient: ${p.encountersPerPatient}`);
  }
  if (s.membersim) {
    const m = s.membersim;
    lines.push('', `plan types: ${Object.entries(m.planTypes).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
    if (m.riskScore.mean !== null) lines.push(`risk score: mean ${m.riskScore.mean.toFixed(2)} (range ${m.riskScore.min}–${m.riskScore.max})`);
    lines.push(`claims: ${formatCount(m.claims.count)}, billed $${formatCount(Math.round(m.claims.billedTotal))}, paid $${formatCount(Math.round(m.claims.paidTotal))}, over $10,000: ${pct(m.claims.over10kShare)}`);
  }
  if (s.rxmembersim) {
    const r = s.rxmembersim;
    lines.push('', `pharmacy: ${formatCount(r.fills)} fills for ${formatCount(r.members)} members, 90-day fills ${pct(r.ninetyDayShare)}${r.meanPdc !== null ? `, mean PDC ${r.meanPdc.toFixed(2)}` : ''}`);
  }
  if (s.trialsim) {
    const t = s.trialsim;
    lines.push('', `arms: ${t.arms.map((a) => `${a.name} (${a.n})`).join(', ')}; screen failures ${t.screenFailures}`);
    lines.push(`visits: ${formatCount(t.visits.scheduled)} scheduled, ${formatCount(t.visits.completed)} completed (${pct(t.visits.completedShare)})`);
    lines.push(`adverse events: ${t.adverseEvents.count} in ${t.adverseEvents.subjects} subjects (${t.adverseEvents.serious} serious)`);
    lines.push(`disposition: ${Object.entries(t.disposition).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (s.pa) {
    const p = s.pa;
    lines.push('', `prior authorization: ${p.plans} plans × ${p.drugs} drugs, covered ${pct(p.coveredShare)}, PA required ${pct(p.paRequiredShare)} of covered, step therapy ${pct(p.stepTherapyShare)}; ${p.forms} forms, ${p.policies} policies`);
  }
  if (s.sources) {
    lines.push('', 'sources:');
    const tables = [...new Set(Object.values(s.sources).flatMap((r) => Object.keys(r)))].filter((t) => ['patients', 'members', 'subjects', 'encounters', 'lab_results'].includes(t));
    lines.push(renderTable(['source', ...tables], Object.entries(s.sources).map(([src, r]) => [src, ...tables.map((t) => formatCount(r[t] ?? 0))])));
  }
  return lines.join('\n');
}

export async function summaryCommand(io: CliIO, dataset: string, opts: ProjectOptions & { json?: boolean }): Promise<number> {
  const project = await loadForReading(io, opts, opts.json);
  const s = await withReadOnlyDb(project, (db) => getSummary(db, dataset));
  io.out(opts.json ? JSON.stringify(s) : renderSummary(s));
  return 0;
}

function renderEntity(e: Record<string, JsonValue>, i: number): string {
  const title = (e.title ?? e.name ?? e.id ?? `#${i + 1}`) as string;
  const lines = [`${i + 1}. ${title}`];
  for (const [k, v] of Object.entries(e)) {
    if (k === 'title' || k === 'name') continue;
    if (Array.isArray(v)) lines.push(`   - ${k}: ${v.length ? v.map((x) => (typeof x === 'object' && x !== null ? Object.values(x).join(' ') : String(x))).join('; ') : 'none'}`);
    else if (v && typeof v === 'object') lines.push(`   - ${k}: ${Object.entries(v).map(([a, b]) => `${a} ${b}`).join(', ')}`);
    else lines.push(`   - ${k}: ${v ?? '—'}`);
  }
  return lines.join('\n');
}

export async function sampleCommand(io: CliIO, dataset: string, table: string | undefined, opts: ProjectOptions & { count?: string; json?: boolean }): Promise<number> {
  const project = await loadForReading(io, opts, opts.json);
  const n = parseIntOption('--count', opts.count, 1, 100) ?? 3;
  const r = await withReadOnlyDb(project, (db) => sampleEntities(db, dataset, table, n));
  if (opts.json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(`${r.entities.length} representative ${r.table} from ${r.dataset}:\n`);
    io.out(r.entities.map(renderEntity).join('\n\n'));
  }
  return 0;
}
