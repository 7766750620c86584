/**
 * Versions that take part in every step key.
 * - ENGINE_VERSION: bump when a change to generation or storage changes output bytes.
 * - referenceDataVersion(): a named version plus the sha256 of every shipped reference file
 *   (data/*, skills/*), so editing a code table or a built-in skill invalidates what used it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENGINE_VERSION = '0.7.0'; // 0.1.1: membersim claims from journeys; 0.2.0: datasets over one block are concatenated blocks; 0.3.0: children's physiology, BMI agrees with E66; 0.4.0: conditions only for the sex and ages they apply to (ICD-10-CM edits); 0.4.1: nothing before birth, infant well-child schedule, children's default utilization; 0.4.2: cancer screening claims by sex and age, membersim journeys honour class_code and parameters.code; 0.4.3: screening PSA in patientsim; 0.5.0: generated Parquet written by the columnar writer (parquetWriter.ts), not DuckDB's COPY; 0.6.0: numbers dictionary-encoded like text, keys as DELTA_BYTE_ARRAY; 0.7.0: a patientsim journey's ambulatory encounters order the conditions' monitoring panels it leaves undone
const REFERENCE_DATA_NAME = 'icd10cm-fy2022+census2023+curated-2026.11';

let cached: string | undefined;

export function referenceDataVersion(): string {
  if (cached) return cached;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const h = createHash('sha256');
  for (const dir of ['data', 'skills']) {
    let names: string[] = [];
    try {
      names = readdirSync(path.join(root, dir)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/\.(gz|ya?ml|csv|json)$/.test(name)) continue;
      h.update(`${dir}/${name}\0`);
      h.update(readFileSync(path.join(root, dir, name)));
    }
  }
  cached = `${REFERENCE_DATA_NAME}+${h.digest('hex').slice(0, 16)}`;
  return cached;
}
