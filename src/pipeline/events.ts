/** Typed events the pipeline emits; the CLI renders them (listr2 on a TTY, plain lines, JSON). */
import type { BlockProgress } from './generateChunks.js';

export type StepStatus = 'ran' | 'cached' | 'up-to-date' | 'failed' | 'skipped' | 'would-run';

export interface StepReport {
  id: string;
  kind: string;
  status: StepStatus;
  key: string;
  previousKey?: string;
  /** why it ran (or would run): changed fingerprint fields, missing outputs, corrupt cache … */
  reasons: string[];
  rows?: Record<string, number>;
  ms?: number;
  error?: string;
  /** previous row counts (for watch's `patients 100 → 150`) */
  previousRows?: Record<string, number>;
}

export type BuildEvent =
  | { type: 'plan'; steps: { id: string; willRun: boolean; reasons: string[] }[] }
  | { type: 'step-start'; id: string }
  /** a generate step, after each of its blocks is written (see BlockProgress) */
  | { type: 'step-progress'; id: string; progress: BlockProgress }
  | { type: 'step-end'; report: StepReport }
  | { type: 'warning'; message: string }
  | { type: 'info'; message: string };

export type BuildListener = (e: BuildEvent) => void;
