import { createHash } from 'node:crypto';
import { canonicalJson } from '../spec/canonical.js';

/**
 * The one documented record a step key is hashed from. Every field is named; fields that do not
 * apply to a step kind are null. The key is sha256 over the canonical JSON (sorted keys) of it.
 */
export interface StepFingerprint {
  /** generate | persist | merge | clone | export */
  kind: string;
  /** Bumped when generation or storage logic changes output bytes. */
  engineVersion: string;
  /** Version of the shipped code tables and reference data. */
  referenceDataVersion: string;
  /** sha256 of the canonical normalized profile(s) (generate). */
  profile: string | null;
  /** sha256 of the canonical normalized journey (generate). */
  journey: string | null;
  /** sha256 of the canonical skills the engine can resolve (generate). */
  skills: string | null;
  seed: number | null;
  count: number | null;
  /** stream/ID namespace (generate, clone) — not the display name. */
  namespace: string | null;
  referenceDate: string | null;
  /** Dataset name where it changes output (persist: schema name; merge: source_dataset values). */
  datasetName: string | null;
  /** Tags (persist writes them to the catalog). */
  tags: string[] | null;
  /** Export format and table selection. */
  format: string | null;
  tables: string[] | null;
  /** Keys of the input steps, by step id. */
  inputs: Record<string, string>;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function stepKey(fp: StepFingerprint): string {
  return sha256(canonicalJson(fp));
}

/** Names of fingerprint fields whose values differ (for --explain). */
export function changedFields(oldFp: Partial<StepFingerprint> | undefined, newFp: StepFingerprint): string[] {
  if (!oldFp) return ['(no previous build)'];
  const out: string[] = [];
  for (const k of Object.keys(newFp).sort() as (keyof StepFingerprint)[]) {
    if (canonicalJson(oldFp[k] ?? null) !== canonicalJson(newFp[k] ?? null)) out.push(k);
  }
  return out;
}
