import path from 'node:path';
import { defaultPaths } from '../../pipeline/paths.js';
import { exportDataset } from '../../store/index.js';
import { CliError, type CliIO } from '../io.js';
import { loadOrFail, type ProjectOptions } from '../project.js';
import { formatBytes, formatCount, renderTable } from '../render/table.js';
import { withReadOnlyDb } from './datasets.js';

export async function exportCommand(io: CliIO, dataset: string, opts: ProjectOptions & { format: string; out: string; tables?: string }): Promise<number> {
  const project = await loadOrFail(io, opts);
  // Paths are confined to the project unless the user gives an explicit absolute path.
  const outDir = path.isAbsolute(opts.out) ? opts.out : path.resolve(project.root, opts.out);
  if (!path.isAbsolute(opts.out)) {
    const rel = path.relative(project.root, outDir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new CliError(`--out ${opts.out} leaves the project; give an absolute path to write outside it`, 2);
    if (rel === '' || rel.split(path.sep)[0] === '.healthsim' || rel === 'profiles' || rel === 'journeys') {
      throw new CliError(`--out ${opts.out} would replace project files; choose a directory such as outputs/exports/${dataset}`, 2);
    }
  }
  const paths = defaultPaths(project.root, project.config.output_dir);
  if (path.resolve(outDir) === path.dirname(paths.dbFile)) throw new CliError(`--out ${opts.out} would replace the database directory`, 2);
  const tables = opts.tables ? opts.tables.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  const r = await withReadOnlyDb(project, (db) =>
    exportDataset({ source: { db, dataset }, dataset, format: opts.format, outDir, tables, options: { referenceDate: project.config.reference_date } }),
  );
  io.out(`Exported ${dataset} as ${opts.format} to ${path.relative(io.cwd, r.outDir) || '.'}:\n`);
  io.out(renderTable(['file', 'rows', 'size'], r.files.map((f) => [f.file, formatCount(f.rows), formatBytes(f.bytes)]), { align: ['l', 'r', 'r'] }));
  io.out(`\ntotal ${formatBytes(r.files.reduce((s, f) => s + f.bytes, 0))}; manifest.json lists sha256 per file`);
  return 0;
}
