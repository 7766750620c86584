/**
 * Locating and reading the reference data shipped with the package. `data/` and `skills/` sit
 * at the package root beside `src/` and `dist/`; this module is at `<root>/{src,dist}/reference/`,
 * so the root is two levels up from here whether we run from sources, from dist/, or from an
 * installed npm package. Reading shipped files is the only I/O the reference layer does.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** Read `data/<name>` (gunzipped when it ends with .gz) as UTF-8 text. */
export function readDataText(name: string): string {
  const buf = readFileSync(packagePath('data', name));
  return (name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/**
 * Parse RFC 4180 CSV (header row, LF endings, fields quoted only where needed) into rows of
 * strings keyed by header. Small and strict: enough for the files we ship.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */ && field === '') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quoted CSV field');
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else if (ch === 44 /* , */) {
      record.push(field);
      field = '';
      i++;
    } else if (ch === 10 /* \n */) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (ch === 13) {
      i++;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((r) => {
    const o: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) o[header[k]] = r[k] ?? '';
    return o;
  });
}

/** A lazily computed, cached value. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value as T;
  };
}
