/** The built-in tabular sinks: one file per table, model column order, rows in key order. */
import { registerStandardSinks } from '../standards/sinks.js';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdent } from '../../model/ddl.js';
import { orderByClause, PARQUET_OPTIONS, singleThreaded } from '../parquet.js';
import { sqlString } from '../sql.js';
import { registerSink, type ExportSink, type ExportSinkContext, type ExportedFile } from './sink.js';

function tabularSink(format: string, extension: string, options: string, description: string): ExportSink {
  return {
    format,
    description,
    async write(ctx: ExportSinkContext): Promise<ExportedFile[]> {
      const files: ExportedFile[] = [];
      for (const table of ctx.tables) {
        const cols = [...table.columns.map((c) => c.name), ...ctx.extraColumns].map(quoteIdent).join(', ');
        const file = `${table.name}.${extension}`;
        const r = await ctx.connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(table.name)}`);
        const cached = options === PARQUET_OPTIONS ? ctx.sourceFiles?.[table.name] : undefined;
        if (cached && (await sameColumns(ctx, table.name, cols))) {
          // The cached file holds these very rows and columns in key order, zstd-compressed (written
          // by store/parquetWriter.ts for a generated dataset, by DuckDB's COPY for a merge or a
          // clone): copy it instead of writing the rows again (test/store/export.test.ts).
          await copyFile(cached, path.join(ctx.outDir, file));
          files.push({ file, rows: Number(r.getRows()[0][0]), table: table.name });
          continue;
        }
        const copy = () => ctx.connection.run(
          `COPY (SELECT ${cols} FROM ${quoteIdent(table.name)} ORDER BY ${orderByClause(table)}) TO ${sqlString(path.join(ctx.outDir, file))} (${options})`,
        );
        // Parquet row groups are exact only with one writer thread (parquet.ts, singleThreaded)
        await (options === PARQUET_OPTIONS ? singleThreaded(ctx.connection, copy) : copy());
        files.push({ file, rows: Number(r.getRows()[0][0]), table: table.name });
      }
      return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    },
  };
}

/** True when the view's columns are exactly `cols`, in order (a cached file holds nothing else). */
async function sameColumns(ctx: ExportSinkContext, view: string, cols: string): Promise<boolean> {
  const r = await ctx.connection.runAndReadAll(`SELECT * FROM ${quoteIdent(view)} LIMIT 0`);
  return r.columnNames().map(quoteIdent).join(', ') === cols;
}

export const csvSink = tabularSink('csv', 'csv', 'FORMAT csv, HEADER true, DELIMITER \',\'', 'CSV with a header row (RFC 4180 quoting), one file per table');
export const parquetSink = tabularSink('parquet', 'parquet', PARQUET_OPTIONS, 'Parquet (zstd) with real types (DATE, DECIMAL), one file per table');
export const ndjsonSink = tabularSink('ndjson', 'ndjson', 'FORMAT json', 'Newline-delimited JSON objects, one file per table');

let registered = false;
/** Registers csv, parquet and ndjson (idempotent). */
export function registerBuiltinSinks(): void {
  if (registered) return;
  registered = true;
  for (const s of [csvSink, parquetSink, ndjsonSink]) registerSink(s);
  registerStandardSinks(); // fhir, sdtm, x12, ncpdp
}
