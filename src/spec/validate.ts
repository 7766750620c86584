/**
 * JSON Schema validation (ajv, draft 2020-12, allErrors) with every ajv error turned into a
 * plain-English diagnostic at the source position of the offending value. oneOf/anyOf cascades
 * are collapsed to the most relevant branch.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from './diagnostic.js';
import { configSchema, journeySchema, profileSchema, skillSchema, type JsonSchema } from './schemas/index.js';
import { didYouMean } from './suggest.js';
import { DiagnosticSink, type PathSegment, type YamlSource } from './yaml.js';

export type SpecKind = 'config' | 'profile' | 'journey' | 'skill';

const SCHEMAS: Record<SpecKind, JsonSchema> = {
  config: configSchema,
  profile: profileSchema,
  journey: journeySchema,
  skill: skillSchema,
};

let ajvInstance: Ajv2020 | undefined;
const compiled = new Map<SpecKind, ValidateFunction>();

function validatorFor(kind: SpecKind): ValidateFunction {
  let v = compiled.get(kind);
  if (!v) {
    if (!ajvInstance) {
      ajvInstance = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictTuples: false, logger: false, inlineRefs: false });
      ajvInstance.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
      ajvInstance.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
    }
    v = ajvInstance.compile(SCHEMAS[kind]);
    compiled.set(kind, v);
  }
  return v;
}

/** Validate a parsed document against its schema; diagnostics go to `sink`. Returns true if valid. */
export function validateAgainstSchema(kind: SpecKind, src: YamlSource, sink: DiagnosticSink): boolean {
  const validate = validatorFor(kind);
  if (validate(src.value)) return true;
  const errors = collapseBranches((validate.errors ?? []).filter(keep));
  const seen = new Set<string>();
  for (const e of errors) {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    toDiagnostic(e, src.value, sink);
  }
  return false;
}

/** `if` and `propertyNames` errors only repeat what their sub-errors say (names are checked later). */
function keep(e: ErrorObject): boolean {
  if (e.keyword === 'if' || e.keyword === 'propertyNames') return false;
  if ((e as { propertyName?: string }).propertyName !== undefined) return false;
  return true;
}

interface Collapsed extends ErrorObject {
  /** set when every branch of a oneOf failed on the value's type */
  expectedTypes?: string[];
}

function isWithin(inner: ErrorObject, outer: ErrorObject): boolean {
  const prefix = `${outer.schemaPath}/`;
  if (!inner.schemaPath.startsWith(prefix)) return false;
  return inner.instancePath === outer.instancePath || inner.instancePath.startsWith(`${outer.instancePath}/`);
}

/**
 * For each failed oneOf/anyOf keep one branch: branches that failed on the value's own type
 * are ignored unless all did (then one "must be X or Y" error replaces them); among the rest
 * the branch with the fewest errors wins (ties: the first).
 */
function collapseBranches(errors: ErrorObject[]): Collapsed[] {
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, Collapsed>();
  const branchy = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const o of branchy) {
    if (dropped.has(o)) continue;
    const byBranch = new Map<number, ErrorObject[]>();
    for (const e of errors) {
      if (e === o || dropped.has(e) || !isWithin(e, o)) continue;
      const idx = Number(e.schemaPath.slice(o.schemaPath.length + 1).split('/')[0]);
      if (!byBranch.has(idx)) byBranch.set(idx, []);
      byBranch.get(idx)!.push(e);
    }
    const typeFailed = (errs: ErrorObject[]) =>
      errs.some(
        (e) =>
          e.instancePath === o.instancePath &&
          (e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const') &&
          e.schemaPath.split('/').length === o.schemaPath.split('/').length + 2,
      );
    const candidates = [...byBranch.entries()].filter(([, errs]) => !typeFailed(errs));
    if (candidates.length === 0 || o.keyword === 'oneOf' && byBranch.size === 0) {
      // every branch rejected the value's type: one error listing what would be right
      const expected: string[] = [];
      const branches = (o.schema as JsonSchema[]) ?? [];
      for (const b of branches) expected.push(describeSchemaType(b));
      for (const errs of byBranch.values()) for (const e of errs) dropped.add(e);
      replaced.set(o, { ...o, expectedTypes: expected });
      continue;
    }
    candidates.sort((a, b) => a[1].length - b[1].length || a[0] - b[0]);
    const keepIdx = candidates[0]![0];
    for (const [idx, errs] of byBranch) if (idx !== keepIdx) for (const e of errs) dropped.add(e);
    dropped.add(o);
  }
  const out: Collapsed[] = [];
  for (const e of errors) {
    if (replaced.has(e)) out.push(replaced.get(e)!);
    else if (!dropped.has(e)) out.push(e);
  }
  return out;
}

function describeSchemaType(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (typeof s.type === 'string') return typeName(s.type);
  if (Array.isArray(s.type)) return s.type.map((t) => typeName(String(t))).join(' or ');
  return 'a valid value';
}

function typeName(t: string): string {
  switch (t) {
    case 'number':
      return 'a number';
    case 'integer':
      return 'a whole number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'null':
      return 'empty';
    default:
      return t;
  }
}

/** How a value is shown after "got": strings quoted, containers by kind. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

/** instancePath (`/profile/clinical/comorbidities/0`) → spec path with numeric list indices. */
function toPath(instancePath: string, root: unknown): PathSegment[] {
  if (instancePath === '') return [];
  const out: PathSegment[] = [];
  let cur: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function toDiagnostic(e: Collapsed, root: unknown, sink: DiagnosticSink): Diagnostic | undefined {
  const path = toPath(e.instancePath, root);
  const value = valueAt(root, path);
  const got = `(got ${describeValue(value)})`;
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const xHint = typeof parent['x-hint'] === 'string' ? (parent['x-hint'] as string) : undefined;
  const p = e.params as Record<string, unknown>;
  if (e.expectedTypes) {
    return sink.error(path, 'schema.type', `must be ${e.expectedTypes.join(' or ')} ${got}`);
  }
  switch (e.keyword) {
    case 'type': {
      const t = Array.isArray(p.type) ? (p.type as string[]).map(typeName).join(' or ') : typeName(String(p.type));
      return sink.error(path, 'schema.type', `must be ${t} ${got}`);
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const hint = typeof value === 'string' ? didYouMean(value, allowed.map(String)) : undefined;
      return sink.error(path, 'schema.enum', `must be one of ${allowed.map(String).join(', ')} ${got}`, { hint });
    }
    case 'const':
      return sink.error(path, 'schema.enum', `must be ${JSON.stringify(p.allowedValue)} ${got}`);
    case 'required': {
      const missing = String(p.missingProperty);
      if (path.length === 0) {
        return sink.at(path, 'schema.required', `missing required top-level key "${missing}"`);
      }
      if (path.length === 1 && sink.wrapper === path[0]) {
        return sink.at(path, 'schema.required', `${sink.wrapper} is missing required key "${missing}"`, { target: 'key' });
      }
      return sink.error(path, 'schema.required', `is missing required key "${missing}"`, { target: 'key' });
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const known = Object.keys((parent.properties as Record<string, unknown>) ?? {});
      const hint = didYouMean(extra, known);
      const where = path.length === 0 ? 'unknown top-level key' : `${sink.path(path)} has unknown key`;
      return sink.at([...path, extra], 'schema.unknown-key', `${where} "${extra}"`, {
        target: 'key',
        hint: hint ?? (known.length > 0 && known.length <= 8 ? `expected one of ${known.join(', ')}` : undefined),
      });
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      return sink.error(path, 'schema.range', `must be ${op} ${String(p.limit)} ${got}`, { hint: xHint });
    }
    case 'pattern': {
      const expected = typeof parent['x-expected'] === 'string' ? (parent['x-expected'] as string) : `text matching ${String(p.pattern)}`;
      return sink.error(path, 'schema.pattern', `must be ${expected} ${got}`, { hint: xHint });
    }
    case 'minItems':
      return sink.error(path, 'schema.size', `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
    case 'maxItems':
      return sink.error(path, 'schema.size', `must have at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
    case 'minProperties':
      return sink.error(path, 'schema.size', `must have at least ${String(p.limit)} key${p.limit === 1 ? '' : 's'}`);
    case 'maxProperties':
      return sink.error(path, 'schema.size', `must have at most ${String(p.limit)} key${p.limit === 1 ? '' : 's'}`);
    case 'minLength':
      return sink.error(path, 'schema.size', p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`);
    case 'maxLength':
      return sink.error(path, 'schema.size', `must be at most ${String(p.limit)} characters`);
    case 'uniqueItems':
      return sink.error(path, 'schema.unique', `must not repeat items (items ${String(p.j)} and ${String(p.i)} are the same)`);
    case 'false schema':
      return sink.error(path, 'schema.unknown-key', 'is not allowed here', { target: 'key' });
    default:
      return sink.error(path, 'schema.invalid', `${e.message ?? 'is invalid'}`);
  }
}
