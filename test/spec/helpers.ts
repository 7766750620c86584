import { formatDiagnostic, type Diagnostic } from '../../src/spec/diagnostic.js';
import type { Result } from '../../src/spec/result.js';

/** The formatted diagnostics of a failed result (throws if it succeeded). */
export function messages<T>(r: Result<T>): string[] {
  if (r.ok) throw new Error('expected diagnostics, got success');
  return r.errors.map(formatDiagnostic);
}

export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected success, got:\n${r.errors.map(formatDiagnostic).join('\n')}`);
  return r.value;
}

export function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => d.code);
}

/** Join lines; keeps inline specs readable with known line numbers. */
export const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;
