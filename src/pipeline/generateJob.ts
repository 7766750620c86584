/** One chunk of generation: rows for entities [start, end) of one unit → Parquet parts. */
import { tableByName, type TableDef } from '../model/index.js';
import type { ChunkJob } from './generateChunks.js';

export function tablesByName(names: readonly string[]): TableDef[] {
  return names.map((n) => {
    const t = tableByName(n);
    if (!t) throw new Error(`unknown table ${n}`);
    return t;
  });
}

export interface PartFile {
  file: string;
  rows: number;
}

/** Returns table name → Parquet part file and its row count. */
export async function generateRows(job: ChunkJob, tables: TableDef[]): Promise<Record<string, PartFile>> {
  const { generateRows: rows } = await import('../generate/engine.js');
  const { writeParquetTables } = await import('../store/index.js');
  const req = { ...job.req, skills: job.req.skills ? new Map(job.req.skills) : undefined };
  const written = await writeParquetTables(
    tables,
    rows(req, { start: job.chunk.start, end: job.chunk.end, includeShared: job.chunk.includeShared, batchSize: job.batchSize }),
    job.outDir,
    { intermediate: job.intermediate === true },
  );
  return Object.fromEntries(written.map((w) => [w.table, { file: w.file, rows: w.rows }]));
}
