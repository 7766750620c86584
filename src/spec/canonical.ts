/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit, not locale), no whitespace,
 * `undefined` properties dropped. Two normalized specs that mean the same thing serialize to the
 * same string, so step keys hash meaning, not formatting.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

const MAX_DEPTH = 200;

function write(v: unknown, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError('canonicalJson: value is nested too deeply');
  if (v === null || v === undefined || typeof v === 'function' || typeof v === 'symbol') {
    out.push('null');
    return;
  }
  if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
    return;
  }
  if (typeof v === 'bigint') {
    out.push(v.toString());
    return;
  }
  if (typeof v === 'string' || typeof v === 'boolean') {
    out.push(JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out, depth + 1);
    });
    out.push(']');
    return;
  }
  if (v instanceof Map) {
    write(Object.fromEntries(v), out, depth);
    return;
  }
  if (v instanceof Set) {
    write([...v], out, depth);
    return;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(obj[k], out, depth + 1);
  });
  out.push('}');
}
