/**
 * Combines a large dataset's blocks into one Parquet file per table while the blocks are still
 * being generated.
 *
 * Generation threads hand each block's files over as bytes (writeParquet.ts, parquetTableBytes),
 * in whatever order they finish; the combiner holds a block until every block before it is in,
 * then appends its row groups to `<outDir>/<table>.parquet` (parquetConcat.ts, ParquetAppender).
 * The output is what combineBlocks makes of the same blocks written to files — the same bytes
 * (tested) — but no block file is created, written, read back and removed, and the combining
 * overlaps generation instead of following it.
 *
 * Keys across blocks are checked as combineBlocks checks them: each block's key range from its
 * footer's exact statistics must sort after the previous block's. A table for which that cannot
 * be shown (inexact statistics, a key that is not one text column, ranges out of order) gets the
 * full uniqueness check on the combined file at the end.
 *
 * Memory: at most `window` blocks wait ahead of the next one to write; `admit` holds back a
 * generation thread that would go further (it never waits for a block that is not already
 * being generated, so it cannot deadlock).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TableDef } from '../model/types.js';
import { ParquetAppender, keyRangeOf } from './parquetConcat.js';
import { assertUniqueKeyIn, openScratchDb } from './parquet.js';
import { sqlString } from './sql.js';
import type { WrittenTable } from './writeParquet.js';

interface TableState {
  table: TableDef;
  file: string;
  appender: ParquetAppender;
  /** the text key column whose ranges are compared, if the table has one */
  key: string | undefined;
  prevHi: Uint8Array | undefined;
  /** every block so far had exact key statistics, in ascending ranges */
  proven: boolean;
}

export class BlockCombiner {
  private next = 0;
  private readonly held = new Map<number, Record<string, Uint8Array>>();
  private work: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly admissions: { index: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(
    private readonly outDir: string,
    private readonly states: TableState[],
    private readonly blocks: number,
    private readonly window: number,
  ) {}

  /** Opens `<outDir>/<table>.parquet` for every table, for `blocks` blocks. */
  static async create(tables: readonly TableDef[], outDir: string, blocks: number, window: number): Promise<BlockCombiner> {
    await mkdir(outDir, { recursive: true });
    const states: TableState[] = [];
    try {
      for (const table of tables) {
        const file = path.resolve(outDir, `${table.name}.parquet`);
        const keyCol = table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
        states.push({ table, file, appender: await ParquetAppender.create(file), key: keyCol?.type === 'VARCHAR' ? keyCol.name : undefined, prevHi: undefined, proven: true });
      }
    } catch (e) {
      for (const s of states) await s.appender.close();
      throw e;
    }
    return new BlockCombiner(outDir, states, blocks, Math.max(1, window));
  }

  /**
   * Takes block `index`'s files (table name → the file's bytes). Returns at once; the block is
   * written when every block before it has been. A failure is kept and thrown by `finish`.
   */
  add(index: number, files: Record<string, Uint8Array>): void {
    if (this.failure) return;
    if (index < this.next || this.held.has(index) || index >= this.blocks) {
      this.fail(new Error(`block ${index} given twice or out of range (${this.blocks} blocks)`));
      return;
    }
    this.held.set(index, files);
    this.work = this.work.then(() => this.drain()).catch((e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
  }

  /** Resolves when block `index` may be generated: fewer than `window` blocks ahead of the next to write. */
  admit(index: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (index < this.next + this.window) return Promise.resolve();
    return new Promise((resolve, reject) => this.admissions.push({ index, resolve, reject }));
  }

  /** Writes the footers once every block is in. Returns each table's row count and file. */
  async finish(): Promise<WrittenTable[]> {
    await this.work;
    if (this.failure) {
      await this.closeAll();
      throw this.failure;
    }
    if (this.next !== this.blocks) {
      await this.closeAll();
      throw new Error(`${this.next} of ${this.blocks} blocks were combined`);
    }
    const written: WrittenTable[] = [];
    try {
      for (const s of this.states) written.push({ table: s.table.name, rows: await s.appender.finish(), file: s.file });
    } finally {
      await this.closeAll();
    }
    const unproven = this.states.filter((s) => !s.proven);
    if (unproven.length > 0) {
      const db = await openScratchDb(this.outDir);
      try {
        for (const s of unproven) await assertUniqueKeyIn(db.conn, s.table, `read_parquet(${sqlString(s.file)})`);
      } finally {
        await db.close();
      }
    }
    return written;
  }

  /** After a failure elsewhere: stops taking blocks, lets waiting threads go, closes the files. */
  async abort(reason: Error = new Error('combining the blocks was abandoned')): Promise<void> {
    this.fail(reason);
    await this.work;
    await this.closeAll();
  }

  private async drain(): Promise<void> {
    for (let files = this.held.get(this.next); files && !this.failure; files = this.held.get(this.next)) {
      this.held.delete(this.next);
      for (const s of this.states) {
        const bytes = files[s.table.name];
        if (!bytes) throw new Error(`block ${this.next} has no ${s.table.name} file`);
        const meta = await s.appender.add(bytes, `${s.table.name} of block ${this.next}`);
        if (!s.proven || !s.key) {
          s.proven = false;
          continue;
        }
        const r = keyRangeOf(meta, s.key);
        if (!r.exact) s.proven = false;
        else if (r.rows > 0) {
          if (s.prevHi && Buffer.compare(s.prevHi, r.lo!) >= 0) s.proven = false;
          s.prevHi = r.hi;
        }
      }
      this.next++;
      this.wake();
    }
  }

  private wake(): void {
    for (let i = this.admissions.length - 1; i >= 0; i--) {
      const a = this.admissions[i];
      if (a.index < this.next + this.window) {
        this.admissions.splice(i, 1);
        a.resolve();
      }
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.held.clear();
    for (const a of this.admissions.splice(0)) a.reject(this.failure);
  }

  private async closeAll(): Promise<void> {
    for (const s of this.states) await s.appender.close();
  }
}
