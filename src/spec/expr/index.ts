/** The `if:` expression language: parse + type-check to a typed AST, then evaluate purely. */
import type { Diagnostic } from '../diagnostic.js';
import { fail, ok, type Result } from '../result.js';
import { DEFAULT_SCOPE, type Expr, type ExprScope } from './ast.js';
import { checkCondition } from './check.js';
import { parseSyntax } from './parse.js';
import type { ExprError } from './tokenize.js';

export * from './ast.js';
export { evaluate, evaluateCondition, type ExprEnv } from './evaluate.js';
export { tokenize, type ExprError, type Token } from './tokenize.js';
export { MAX_EXPR_DEPTH, MAX_EXPR_LENGTH } from './parse.js';

/** Parse and type-check; errors are ExprErrors with 0-based offsets into `src`. */
export function compileExpression(src: string, scope: ExprScope = DEFAULT_SCOPE): { ok: true; expr: Expr } | { ok: false; errors: ExprError[] } {
  const parsed = parseSyntax(src);
  if (!parsed.ok) return parsed;
  const errors = checkCondition(parsed.expr, scope);
  return errors.length > 0 ? { ok: false, errors } : parsed;
}

/**
 * Parse and type-check an expression. Diagnostics are relative to the string itself
 * (file `<expr>`, line 1, col = 1-based offset); spec files relocate them into the YAML.
 */
export function parseExpression(src: string, scope: ExprScope = DEFAULT_SCOPE): Result<Expr> {
  const r = compileExpression(src, scope);
  if (r.ok) return ok(r.expr);
  return fail(r.errors.map((e) => exprErrorToDiagnostic(e, '<expr>', 1, 1)));
}

/** Place an expression error inside a file: `col` is the column of the string's first character. */
export function exprErrorToDiagnostic(e: ExprError, file: string, line: number, col: number, path?: string): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    code: e.code,
    message: path ? `${path}: ${e.message}` : e.message,
    file,
    line,
    col: col + e.pos,
    length: Math.max(1, e.end - e.pos),
  };
  if (path) d.path = path;
  if (e.hint) d.hint = e.hint;
  return d;
}
