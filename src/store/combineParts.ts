/**
 * Combines Parquet parts written by parallel generation workers (or shards) into one file per
 * table through the same stable path as every other Parquet file (copyTableToParquet: ORDER BY
 * the table's key), so the bytes equal a single-process build whatever the split.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TableDef } from '../model/types.js';
import { PARQUET_OPTIONS, assertUniqueKeyIn, copyTableToParquet, openScratchDb, orderByClause, stagingTableSql } from './parquet.js';
import { quoteIdent, sqlString } from './sql.js';
import type { WrittenTable } from './writeParquet.js';

export async function combineParquetParts(
  tables: readonly TableDef[],
  parts: Readonly<Record<string, readonly string[]>>,
  outDir: string,
): Promise<WrittenTable[]> {
  await mkdir(outDir, { recursive: true });
  const db = await openScratchDb(outDir);
  try {
    const written: WrittenTable[] = [];
    for (const table of tables) {
      const files = parts[table.name] ?? [];
      const file = path.resolve(outDir, `${table.name}.parquet`);
      if (files.length === 0) {
        await db.conn.run(stagingTableSql(table));
        written.push({ table: table.name, rows: await copyTableToParquet(db.conn, table, file), file });
        await db.conn.run(`DROP TABLE ${quoteIdent(table.name)}`);
        continue;
      }
      // Straight from the parts: no staging table (measured: the INSERT was most of the combine
      // time). Same row sequence through the same ORDER BY, so the same bytes as a one-table copy.
      const cols = table.columns.map((c) => quoteIdent(c.name)).join(', ');
      const relation = `read_parquet([${files.map(sqlString).join(', ')}])`;
      const rows = await assertUniqueKeyIn(db.conn, table, relation);
      await db.conn.run(`COPY (SELECT ${cols} FROM ${relation} ORDER BY ${orderByClause(table)}) TO ${sqlString(file)} (${PARQUET_OPTIONS})`);
      written.push({ table: table.name, rows, file });
    }
    return written;
  } finally {
    await db.close();
  }
}
