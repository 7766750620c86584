/**
 * A Diagnostic is data: what is wrong, where (file:line:col, 1-based) and what would be right.
 * One renderer for people (formatDiagnostic / formatDiagnosticWithSource); `--json` serializes
 * the object as-is.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** stable machine code, e.g. `schema.type`, `journey.cycle` */
  code: string;
  /** full sentence starting with the spec path, e.g. `demographics.age.mean must be a number (got "seventy")` */
  message: string;
  /** project-relative path */
  file: string;
  line: number;
  col: number;
  /** dotted spec path of the offending value, when there is one */
  path?: string;
  /** what would be right, e.g. `did you mean std_dev?` */
  hint?: string;
  /** length of the offending source span (for the caret), when known */
  length?: number;
}

/** `profiles/x.yaml:12:7 demographics.age.mean must be a number (got "seventy") (did you mean …?)` */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${d.file}:${d.line}:${d.col} ${prefix}${d.message}${hint}`;
}

/**
 * The one-line form plus the offending source line and a caret under the column:
 *
 *   profiles/x.yaml:12:7 demographics.age.mean must be a number (got "seventy")
 *      12 |     mean: seventy
 *         |           ^^^^^^^
 */
export function formatDiagnosticWithSource(d: Diagnostic, text: string): string {
  const head = formatDiagnostic(d);
  const lines = text.split(/\r\n|\r|\n/);
  const src = lines[d.line - 1];
  if (src === undefined) return head;
  const shown = src.replace(/\t/g, ' ');
  const num = String(d.line);
  const gutter = ' '.repeat(num.length);
  const start = Math.max(0, Math.min(d.col - 1, shown.length));
  const width = Math.max(1, Math.min(d.length ?? 1, Math.max(1, shown.length - start)));
  return `${head}\n  ${num} | ${shown}\n  ${gutter} | ${' '.repeat(start)}${'^'.repeat(width)}`;
}

/** Stable order: file, line, col, code, message. Never uses localeCompare. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  if (a.message !== b.message) return a.message < b.message ? -1 : 1;
  return 0;
}

/** Sort and drop exact duplicates (same place, code and message). */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...ds].sort(compareDiagnostics);
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const prev = out[out.length - 1];
    if (prev && compareDiagnostics(prev, d) === 0) continue;
    out.push(d);
  }
  return out;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
