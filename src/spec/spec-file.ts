/** The shared front half of every spec parser: YAML → non-empty → JSON Schema, with diagnostics. */
import { isScalar } from 'yaml';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { compileExpression, exprErrorToDiagnostic, type Expr, type ExprScope, DEFAULT_SCOPE } from './expr/index.js';
import { fail, ok, type Result } from './result.js';
import { validateAgainstSchema, type SpecKind } from './validate.js';
import { DiagnosticSink, locate, parseYaml, type SpecPath, type YamlLimits, type YamlSource } from './yaml.js';

const WRAPPERS: Record<SpecKind, string | undefined> = {
  config: undefined,
  profile: 'profile',
  journey: 'journey',
  skill: undefined, // skill files are written like the shipped packs: `id:` at the top
};

export interface SpecDocument {
  src: YamlSource;
  sink: DiagnosticSink;
  /** schema diagnostics (empty when the document is valid) */
  schemaErrors: Diagnostic[];
}

/**
 * Parse and schema-check one spec file. Fails only when there is no document to check (YAML
 * errors, empty file); schema errors are returned alongside so semantic checks can still run on
 * the parts that are well-formed (see finishSpec).
 */
export function loadSpecDocument(kind: SpecKind, text: string, file: string, limits?: Partial<YamlLimits>): Result<SpecDocument> {
  const parsed = parseYaml(text, file, limits);
  if (!parsed.ok) return parsed;
  const src = parsed.value;
  const wrapper = WRAPPERS[kind];
  const sink = new DiagnosticSink(src, wrapper);
  if (src.value === null || src.value === undefined) {
    const what = wrapper ? `a top-level "${wrapper}:" mapping` : kind === 'skill' ? 'a mapping with "id:"' : 'a mapping with "version: 1"';
    return fail([{ severity: 'error', code: 'schema.empty', message: `file is empty; expected ${what}`, file, line: 1, col: 1 }]);
  }
  let schemaErrors: Diagnostic[] = [];
  if (!validateAgainstSchema(kind, src, sink)) schemaErrors = dropShadowedRequired(sink.items.splice(0));
  return ok({ src, sink, schemaErrors });
}

function overlaps(a: string, b: string): boolean {
  const under = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return under(a, b) || under(b, a);
}

/**
 * Run the semantic stage and combine its findings with the schema errors. When the schema
 * failed, semantic findings about (or inside, or above) a schema-invalid value are dropped, and
 * a crash on malformed input counts as "nothing more to say".
 */
export function finishSpec<T>(doc: SpecDocument, normalize: () => T): Result<T> {
  let value: T | undefined;
  let crashed = false;
  try {
    value = normalize();
  } catch (e) {
    if (doc.schemaErrors.length === 0) throw e;
    crashed = true;
  }
  const bad = doc.schemaErrors.map((d) => d.path ?? '');
  const semantic = doc.schemaErrors.length === 0 ? doc.sink.items : doc.sink.items.filter((d) => !bad.some((b) => overlaps(d.path ?? '', b)));
  const all = [...doc.schemaErrors, ...(crashed ? [] : semantic)];
  if (all.some((d) => d.severity === 'error') || value === undefined) return fail(sortDiagnostics(all));
  return ok(value);
}

/** A "missing required key std_dev" next to an "unknown key stddev (did you mean std_dev?)" is noise. */
function dropShadowedRequired(items: DiagnosticSink['items']): DiagnosticSink['items'] {
  const suggested = new Set<string>();
  for (const d of items) {
    const m = d.code === 'schema.unknown-key' && d.hint ? /^did you mean (.+)\?$/.exec(d.hint) : null;
    if (m && d.path) suggested.add(`${d.path.replace(/(\.[^.[\]]+|\[\d+\])$/, '')}|${m[1]}`);
  }
  return items.filter((d) => {
    if (d.code !== 'schema.required' || !d.path) return true;
    const m = /missing required key "(.+)"$/.exec(d.message);
    return !(m && suggested.has(`${d.path}|${m[1]}`));
  });
}

/**
 * Compile an `if:` string found at `path`; errors point into the string inside the YAML file.
 * Returns the AST or undefined (errors recorded in the sink).
 */
export function checkExpressionAt(sink: DiagnosticSink, path: SpecPath, source: string, scope: ExprScope = DEFAULT_SCOPE): Expr | undefined {
  const r = compileExpression(source, scope);
  if (r.ok) return r.expr;
  const pos = locate(sink.src, path, 'value');
  const node = sink.src.doc.getIn(path as unknown[], true);
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
  for (const e of r.errors) {
    sink.items.push(exprErrorToDiagnostic(e, sink.src.file, pos.line, pos.col + quoted, sink.path(path)));
  }
  return undefined;
}
