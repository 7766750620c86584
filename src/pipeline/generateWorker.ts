/** Worker-thread entry: runs the blocks it is sent, one at a time, and reports their Parquet files. */
import { parentPort, workerData } from 'node:worker_threads';
import type { BlockJob, BlockSetup } from './generateChunks.js';
import { generateBlock } from './generateJob.js';

const setup = workerData as BlockSetup;
parentPort!.on('message', (job: BlockJob) => {
  generateBlock(setup, job).then(
    (files) => parentPort!.postMessage({ ok: true, files }),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
