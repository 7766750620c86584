/**
 * Combines Parquet parts written by parallel generation workers (or shards) into one file per
 * table through the same stable path as every other Parquet file (copyTableToParquet: ORDER BY
 * the table's key), so the bytes equal a single-process build whatever the split.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TableDef } from '../model/types.js';
import { assertUniqueKey, copyTableToParquet, openScratchDb, stagingTableSql } from './parquet.js';
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
      await db.conn.run(stagingTableSql(table));
      const files = parts[table.name] ?? [];
      if (files.length > 0) {
        const cols = table.columns.map((c) => quoteIdent(c.name)).join(', ');
        await db.conn.run(`INSERT INTO ${quoteIdent(table.name)} (${cols}) SELECT ${cols} FROM read_parquet([${files.map(sqlString).join(', ')}])`);
      }
      await assertUniqueKey(db.conn, table);
      const file = path.resolve(outDir, `${table.name}.parquet`);
      written.push({ table: table.name, rows: await copyTableToParquet(db.conn, table, file), file });
      await db.conn.run(`DROP TABLE ${quoteIdent(table.name)}`);
    }
    return written;
  } finally {
    await db.close();
  }
}
