/**
 * Pure evaluation of a checked expression. A missing variable is `undefined`: comparisons with it
 * are false (so `not` of one is true), arithmetic with it is NaN.
 */
import type { Expr, Value } from './ast.js';
import { unreachable } from '../result.js';

export interface ExprEnv {
  vars: Readonly<Record<string, Value>>;
  functions?: Readonly<Record<string, (...args: Value[]) => Value>>;
}

function num(v: Value): number {
  return typeof v === 'number' ? v : NaN;
}

export function evaluate(e: Expr, env: ExprEnv): Value {
  switch (e.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return e.value;
    case 'else':
      return true;
    case 'var':
      return env.vars[e.name];
    case 'call': {
      const fn = env.functions?.[e.name];
      if (!fn) return undefined;
      return fn(...e.args.map((a) => evaluate(a, env)));
    }
    case 'not':
      return evaluate(e.operand, env) !== true;
    case 'neg':
      return -num(evaluate(e.operand, env));
    case 'in': {
      const v = evaluate(e.value, env);
      if (v === undefined) return false;
      return e.items.some((item) => evaluate(item, env) === v);
    }
    case 'binary': {
      if (e.op === 'and') return evaluate(e.left, env) === true && evaluate(e.right, env) === true;
      if (e.op === 'or') return evaluate(e.left, env) === true || evaluate(e.right, env) === true;
      const l = evaluate(e.left, env);
      const r = evaluate(e.right, env);
      switch (e.op) {
        case '==':
          return l !== undefined && r !== undefined && l === r;
        case '!=':
          return l !== undefined && r !== undefined && l !== r;
        case '<':
          return num(l) < num(r);
        case '<=':
          return num(l) <= num(r);
        case '>':
          return num(l) > num(r);
        case '>=':
          return num(l) >= num(r);
        case '+':
          return num(l) + num(r);
        case '-':
          return num(l) - num(r);
        case '*':
          return num(l) * num(r);
        case '/':
          return num(l) / num(r);
        default:
          return unreachable(e.op);
      }
    }
    default:
      return unreachable(e);
  }
}

/** Evaluate a condition to a boolean (anything but `true` is false). */
export function evaluateCondition(e: Expr, env: ExprEnv): boolean {
  return evaluate(e, env) === true;
}
