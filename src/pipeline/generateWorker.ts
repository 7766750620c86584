/** Worker-thread entry: runs the blocks it is sent, one at a time, and reports their Parquet files (or bytes). */
import { parentPort } from 'node:worker_threads';
import type { BlockMessage, BlockSetup } from './generateChunks.js';
import { generateBlock } from './generateJob.js';

/** Setups by id, so generateBlock's per-setup cache holds across a dataset's blocks. */
const setups = new Map<string, BlockSetup>();

parentPort!.on('message', ({ setupId, setup, job }: BlockMessage) => {
  if (setup) {
    setups.set(setupId, setup);
    // a build has a few datasets; keep the latest few setups only
    if (setups.size > 16) setups.delete(setups.keys().next().value!);
  }
  const known = setups.get(setupId);
  const run = known ? generateBlock(known, job) : Promise.reject(new Error(`generation worker: unknown setup ${setupId}`));
  run.then(
    // a block's bytes move to the main thread, not copied
    (files) => parentPort!.postMessage({ ok: true, files }, Object.values(files).flatMap((f) => (f.bytes ? [f.bytes.buffer as ArrayBuffer] : []))),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
