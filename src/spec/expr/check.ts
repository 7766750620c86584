/** Type checking of an expression against a scope of typed variables and functions. */
import type { Expr, ExprScope, ExprType } from './ast.js';
import type { ExprError } from './tokenize.js';
import { didYouMean } from '../suggest.js';

function err(e: Expr, code: string, message: string, hint?: string): ExprError {
  return { code, message, pos: e.pos, end: e.end, hint };
}

const TYPE_WORD: Record<ExprType, string> = { number: 'a number', string: 'a string', boolean: 'true/false' };

/** Returns the type of `e` (undefined when it could not be decided) and collects errors. */
export function typeOf(e: Expr, scope: ExprScope, errors: ExprError[]): ExprType | undefined {
  switch (e.kind) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'bool':
      return 'boolean';
    case 'else':
      return 'boolean';
    case 'var': {
      const t = scope.variables[e.name];
      if (t === undefined) {
        const fn = scope.functions[e.name] ? `${e.name} is a function; call it like ${e.name}('…')` : undefined;
        errors.push(
          err(e, 'expr.unknown-variable', `unknown variable "${e.name}"`, fn ?? didYouMean(e.name, Object.keys(scope.variables)) ?? `known variables: ${Object.keys(scope.variables).sort().join(', ')}`),
        );
      }
      return t;
    }
    case 'call': {
      const sig = scope.functions[e.name];
      const argTypes = e.args.map((a) => typeOf(a, scope, errors));
      if (!sig) {
        errors.push(
          err(e, 'expr.unknown-function', `unknown function "${e.name}"`, didYouMean(e.name, Object.keys(scope.functions)) ?? `known functions: ${Object.keys(scope.functions).sort().join(', ')}`),
        );
        return undefined;
      }
      if (e.args.length !== sig.params.length) {
        errors.push(err(e, 'expr.type', `${e.name}() takes ${sig.params.length} argument${sig.params.length === 1 ? '' : 's'}, got ${e.args.length}`));
      } else {
        sig.params.forEach((p, i) => {
          const t = argTypes[i];
          if (t !== undefined && t !== p) errors.push(err(e.args[i]!, 'expr.type', `argument ${i + 1} of ${e.name}() must be ${TYPE_WORD[p]}, not ${TYPE_WORD[t]}`));
        });
      }
      return sig.returns;
    }
    case 'not': {
      const t = typeOf(e.operand, scope, errors);
      if (t !== undefined && t !== 'boolean') errors.push(err(e.operand, 'expr.type', `"not" needs true/false, not ${TYPE_WORD[t]}`));
      return 'boolean';
    }
    case 'neg': {
      const t = typeOf(e.operand, scope, errors);
      if (t !== undefined && t !== 'number') errors.push(err(e.operand, 'expr.type', `"-" needs a number, not ${TYPE_WORD[t]}`));
      return 'number';
    }
    case 'in': {
      const t = typeOf(e.value, scope, errors);
      for (const item of e.items) {
        const it = typeOf(item, scope, errors);
        if (t !== undefined && it !== undefined && it !== t) errors.push(err(item, 'expr.type', `list item must be ${TYPE_WORD[t]}, not ${TYPE_WORD[it]}`));
      }
      return 'boolean';
    }
    case 'binary': {
      const l = typeOf(e.left, scope, errors);
      const r = typeOf(e.right, scope, errors);
      switch (e.op) {
        case 'and':
        case 'or':
          if (l !== undefined && l !== 'boolean') errors.push(err(e.left, 'expr.type', `"${e.op}" needs true/false on the left, not ${TYPE_WORD[l]}`));
          if (r !== undefined && r !== 'boolean') errors.push(err(e.right, 'expr.type', `"${e.op}" needs true/false on the right, not ${TYPE_WORD[r]}`));
          return 'boolean';
        case '==':
        case '!=':
          if (l !== undefined && r !== undefined && l !== r) errors.push(err(e, 'expr.type', `cannot compare ${TYPE_WORD[l]} with ${TYPE_WORD[r]}`));
          return 'boolean';
        case '<':
        case '<=':
        case '>':
        case '>=':
          if (l !== undefined && l !== 'number') errors.push(err(e.left, 'expr.type', `"${e.op}" compares numbers, not ${TYPE_WORD[l]}`));
          if (r !== undefined && r !== 'number') errors.push(err(e.right, 'expr.type', `"${e.op}" compares numbers, not ${TYPE_WORD[r]}`));
          return 'boolean';
        default:
          if (l !== undefined && l !== 'number') errors.push(err(e.left, 'expr.type', `"${e.op}" needs numbers, not ${TYPE_WORD[l]}`));
          if (r !== undefined && r !== 'number') errors.push(err(e.right, 'expr.type', `"${e.op}" needs numbers, not ${TYPE_WORD[r]}`));
          return 'number';
      }
    }
  }
}

/** All type errors of a condition; the whole expression must be true/false. */
export function checkCondition(e: Expr, scope: ExprScope): ExprError[] {
  const errors: ExprError[] = [];
  const t = typeOf(e, scope, errors);
  if (errors.length === 0 && t !== undefined && t !== 'boolean') {
    errors.push(err(e, 'expr.type', `a condition must be true or false, but this is ${TYPE_WORD[t]}`, "compare it, e.g. age >= 65"));
  }
  return errors;
}
