/**
 * Recursive-descent parser for `if:` expressions.
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum | 'in' '[' list ']')?
 *   sum     := product (('+'|'-') product)*
 *   product := unary (('*'|'/') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | string | true | false | ident | ident '(' list ')' | '(' expr ')'
 *
 * `else` alone is a whole expression. Nesting is bounded so hostile input cannot overflow the stack.
 */
import type { BinaryOp, Expr } from './ast.js';
import { tokenize, type ExprError, type Token } from './tokenize.js';

export const MAX_EXPR_LENGTH = 1000;
export const MAX_EXPR_DEPTH = 40;

class ParseFailure {
  constructor(readonly error: ExprError) {}
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'op' || t.kind === 'keyword') && t.text === text;
  }
  private fail(t: Token, message: string, hint?: string): never {
    throw new ParseFailure({ code: 'expr.syntax', message, pos: t.pos, end: Math.max(t.end, t.pos + 1), hint });
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of expression' : `"${t.text}"`;
  }
  private expect(text: string): Token {
    if (!this.is(text)) this.fail(this.peek(), `expected "${text}" but found ${this.describe(this.peek())}`);
    return this.next();
  }
  private enter(t: Token): void {
    if (++this.depth > MAX_EXPR_DEPTH) this.fail(t, `expression is nested more than ${MAX_EXPR_DEPTH} levels deep`);
  }

  parseTop(): Expr {
    const first = this.peek();
    if (first.kind === 'keyword' && first.text === 'else') {
      this.next();
      const after = this.peek();
      if (after.kind !== 'eof') this.fail(after, `nothing may follow "else" (found ${this.describe(after)})`);
      return { kind: 'else', pos: first.pos, end: first.end };
    }
    if (first.kind === 'eof') this.fail(first, 'expression is empty');
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      const hint = t.kind === 'ident' || t.kind === 'string' || t.kind === 'number' ? "join conditions with 'and' or 'or'" : undefined;
      this.fail(t, `unexpected ${this.describe(t)}`, hint);
    }
    return e;
  }

  private binary(next: () => Expr, ops: readonly string[]): Expr {
    let left = next();
    while (ops.some((op) => this.is(op))) {
      const op = this.next().text as BinaryOp;
      const right = next();
      left = { kind: 'binary', op, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseOr = (): Expr => this.binary(this.parseAnd, ['or']);
  private parseAnd = (): Expr => this.binary(this.parseNot, ['and']);

  private parseNot = (): Expr => {
    if (this.is('not')) {
      const t = this.next();
      this.enter(t);
      const operand = this.parseNot();
      this.depth--;
      return { kind: 'not', operand, pos: t.pos, end: operand.end };
    }
    return this.parseCompare();
  };

  private parseCompare = (): Expr => {
    const left = this.parseSum();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (this.is(op)) {
        this.next();
        const right = this.parseSum();
        return { kind: 'binary', op: op as BinaryOp, left, right, pos: left.pos, end: right.end };
      }
    }
    if (this.is('in')) {
      this.next();
      this.expect('[');
      const items = this.parseList(']');
      const close = this.expect(']');
      return { kind: 'in', value: left, items, pos: left.pos, end: close.end };
    }
    return left;
  };

  private parseSum = (): Expr => this.binary(this.parseProduct, ['+', '-']);
  private parseProduct = (): Expr => this.binary(this.parseUnary, ['*', '/']);

  private parseUnary = (): Expr => {
    if (this.is('-')) {
      const t = this.next();
      this.enter(t);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'neg', operand, pos: t.pos, end: operand.end };
    }
    return this.parsePrimary();
  };

  private parseList(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.is(close)) return items;
    items.push(this.parseOr());
    while (this.is(',')) {
      this.next();
      items.push(this.parseOr());
    }
    return items;
  }

  private parsePrimary = (): Expr => {
    const t = this.peek();
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: t.value as number, pos: t.pos, end: t.end };
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.value as string, pos: t.pos, end: t.end };
    }
    if (t.kind === 'keyword' && (t.text === 'true' || t.text === 'false')) {
      this.next();
      return { kind: 'bool', value: t.text === 'true', pos: t.pos, end: t.end };
    }
    if (t.kind === 'ident') {
      this.next();
      if (this.is('(')) {
        this.enter(t);
        this.next();
        const args = this.parseList(')');
        const close = this.expect(')');
        this.depth--;
        return { kind: 'call', name: t.text, args, pos: t.pos, end: close.end };
      }
      return { kind: 'var', name: t.text, pos: t.pos, end: t.end };
    }
    if (this.is('(')) {
      this.enter(t);
      this.next();
      const inner = this.parseOr();
      this.expect(')');
      this.depth--;
      return inner;
    }
    if (t.kind === 'keyword' && t.text === 'else') this.fail(t, '"else" must be the whole expression');
    this.fail(t, t.kind === 'eof' ? 'expression ends too early' : `unexpected ${this.describe(t)}`);
  };
}

/** Syntax only: tokens → AST, or the first syntax error (tokenizer errors first). */
export function parseSyntax(src: string): { ok: true; expr: Expr } | { ok: false; errors: ExprError[] } {
  if (src.length > MAX_EXPR_LENGTH) {
    return { ok: false, errors: [{ code: 'expr.syntax', message: `expression is longer than ${MAX_EXPR_LENGTH} characters`, pos: 0, end: 1 }] };
  }
  const { tokens, errors } = tokenize(src);
  if (errors.length > 0) return { ok: false, errors };
  try {
    return { ok: true, expr: new Parser(tokens).parseTop() };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, errors: [e.error] };
    throw e;
  }
}
