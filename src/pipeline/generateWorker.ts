/** Worker-thread entry: runs one generation chunk and reports its Parquet part files. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ChunkJob } from './generateChunks.js';
import { generateRows, tablesByName } from './generateJob.js';

const job = workerData as ChunkJob;
generateRows(job, tablesByName(job.tables)).then(
  (files) => parentPort!.postMessage({ ok: true, files }),
  (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
);
