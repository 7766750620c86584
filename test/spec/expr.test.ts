import { describe, expect, test } from 'vitest';
import { compileExpression, evaluate, evaluateCondition, parseExpression, type Expr } from '../../src/spec/expr/index.js';
import { formatDiagnostic } from '../../src/spec/diagnostic.js';
import { messages, value } from './helpers.js';

const env = (vars: Record<string, string | number | undefined>, conditions: string[] = []) => ({
  vars,
  functions: { has_condition: (code: unknown) => conditions.some((c) => c === code || c.startsWith(`${String(code)}.`)) },
});

describe('parsing', () => {
  test('precedence: not > and > or; comparisons bind tighter than and', () => {
    const e = value(parseExpression("bmi > 30 or not has_condition('E11') and age >= 65"));
    expect(e.kind).toBe('binary');
    const top = e as Extract<Expr, { kind: 'binary' }>;
    expect(top.op).toBe('or');
    expect(top.right.kind).toBe('binary');
    expect((top.right as Extract<Expr, { kind: 'binary' }>).op).toBe('and');
    expect((top.right as Extract<Expr, { kind: 'binary' }>).left.kind).toBe('not');
  });

  test('the issue examples all compile', () => {
    for (const src of ["severity == 'uncontrolled'", "has_condition('N18.3')", "age >= 65 and sex == 'F'", "bmi > 30 or not has_condition('E11')", 'else', "severity in ['a', 'b']", '(age - 5) * 2 > 100 / 2']) {
      expect(compileExpression(src).ok, src).toBe(true);
    }
  });

  test('syntax errors carry the offset into the string', () => {
    expect(messages(parseExpression("age >= 65 && sex == 'F'"))).toEqual(["<expr>:1:11 '&&' is not an operator (use 'and')"]);
    expect(messages(parseExpression("sex = 'F'"))).toEqual(["<expr>:1:5 '=' is not a comparison (use '==')"]);
    expect(messages(parseExpression("severity == 'uncontrolled"))).toEqual(['<expr>:1:13 string is not closed (end it with \')']);
    expect(messages(parseExpression('age >= '))).toEqual(['<expr>:1:8 expression ends too early']);
    expect(messages(parseExpression('age >= 65 sex'))).toEqual(['<expr>:1:11 unexpected "sex" (join conditions with \'and\' or \'or\')']);
    expect(messages(parseExpression('(age > 1'))).toEqual(['<expr>:1:9 expected ")" but found end of expression']);
    expect(messages(parseExpression('else or age > 1'))).toEqual(['<expr>:1:6 nothing may follow "else" (found "or")']);
    expect(messages(parseExpression(''))).toEqual(['<expr>:1:1 expression is empty']);
    expect(messages(parseExpression('age > 3x'))).toEqual(['<expr>:1:7 "3x" is not a number (quote codes as strings, e.g. \'E11\')']);
    expect(messages(parseExpression('age # 1'))).toEqual(['<expr>:1:5 unexpected character "#"']);
  });

  test('type errors: unknown names, wrong argument types, non-boolean results', () => {
    expect(messages(parseExpression("sevrity == 'x'"))).toEqual(['<expr>:1:1 unknown variable "sevrity" (did you mean severity?)']);
    expect(messages(parseExpression("has_conditon('E11')"))).toEqual(['<expr>:1:1 unknown function "has_conditon" (did you mean has_condition?)']);
    expect(messages(parseExpression('has_condition(250)'))).toEqual(['<expr>:1:15 argument 1 of has_condition() must be a string, not a number']);
    expect(messages(parseExpression("age > 'old'"))).toEqual(['<expr>:1:7 ">" compares numbers, not a string']);
    expect(messages(parseExpression("sex == 1"))).toEqual(['<expr>:1:1 cannot compare a string with a number']);
    expect(messages(parseExpression('age and bmi > 1'))).toEqual(['<expr>:1:1 "and" needs true/false on the left, not a number']);
    expect(messages(parseExpression('age'))).toEqual(['<expr>:1:1 a condition must be true or false, but this is a number (compare it, e.g. age >= 65)']);
    expect(messages(parseExpression('has_condition'))).toEqual(["<expr>:1:1 unknown variable \"has_condition\" (has_condition is a function; call it like has_condition('…'))"]);
  });

  test('hostile input is bounded: long and deep expressions fail cleanly', () => {
    expect(messages(parseExpression('a'.repeat(2000)))).toEqual(['<expr>:1:1 expression is longer than 1000 characters']);
    const deep = `${'('.repeat(300)}age > 1${')'.repeat(300)}`;
    expect(messages(parseExpression(deep))[0]).toMatch(/nested more than 40 levels deep/);
    expect(messages(parseExpression('not '.repeat(200) + 'true'))[0]).toMatch(/nested more than 40 levels deep/);
  });

  test('diagnostic render of an expression error', () => {
    const r = parseExpression("bmi > 30 || x");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map(formatDiagnostic)).toEqual(["<expr>:1:10 '||' is not an operator (use 'or')"]);
  });
});

describe('evaluation (pure, never eval)', () => {
  const check = (src: string, vars: Record<string, string | number | undefined>, conds: string[] = []) =>
    evaluateCondition(value(parseExpression(src)), env(vars, conds));

  test('comparisons and logic', () => {
    expect(check("age >= 65 and sex == 'F'", { age: 70, sex: 'F' })).toBe(true);
    expect(check("age >= 65 and sex == 'F'", { age: 64, sex: 'F' })).toBe(false);
    expect(check("bmi > 30 or not has_condition('E11')", { bmi: 25 }, ['E11.9'])).toBe(false);
    expect(check("bmi > 30 or not has_condition('E11')", { bmi: 25 }, ['I10'])).toBe(true);
    expect(check("has_condition('N18.3')", {}, ['N18.3'])).toBe(true);
    expect(check("severity in ['uncontrolled', 'severe']", { severity: 'severe' })).toBe(true);
    expect(check('(age - 5) * 2 > 100 / 2', { age: 31 })).toBe(true);
    expect(check('-age < 0', { age: 3 })).toBe(true);
    expect(check('else', {})).toBe(true);
  });

  test('a missing variable makes comparisons false and not() true', () => {
    expect(check('hba1c > 9', {})).toBe(false);
    expect(check('hba1c <= 9', {})).toBe(false);
    expect(check("severity == 'x'", {})).toBe(false);
    expect(check("severity != 'x'", {})).toBe(false);
    expect(check('not hba1c > 9', {})).toBe(true);
  });

  test('evaluate returns raw values for sub-expressions', () => {
    expect(evaluate(value(parseExpression('age + 1 > 0')), env({ age: 1 }))).toBe(true);
  });
});
