/** Errors as values: parse, validate and normalize return a Result, never throw. */
import type { Diagnostic } from './diagnostic.js';

export type Result<T, E = Diagnostic[]> = { ok: true; value: T } | { ok: false; errors: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(errors: Diagnostic[]): { ok: false; errors: Diagnostic[] } {
  return { ok: false, errors };
}

export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
