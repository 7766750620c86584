/**
 * ADAPTER for `if:` expressions (medication prevalence rules, journey events) until the spec
 * layer's parser in src/spec/expr is finished: swap `compileWhen` for its parse/evaluate then.
 * Grammar (the same small language): or/and/not, == != < <= > >=, + - * /, parentheses,
 * numbers, 'strings', true/false, variables (age, sex, severity, bmi, hba1c, egfr, product …)
 * and has_condition('E11') (code prefix match). An unknown variable is undefined → false.
 */
export type WhenValue = number | string | boolean | undefined;

export interface WhenScope {
  vars: Record<string, WhenValue>;
  hasCondition(prefix: string): boolean;
}

type Node = (s: WhenScope) => WhenValue;

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(==|!=|<=|>=|&&|\|\||[<>()+\-*/,!])|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) {
      if (src.slice(start).trim() === '') break;
      throw new Error(`cannot read expression at ${start}: ${src}`);
    }
    out.push(m[0].trim());
  }
  return out.filter((t) => t !== '');
}

const cache = new Map<string, Node>();

export function compileWhen(src: string): (scope: WhenScope) => boolean {
  let node = cache.get(src);
  if (!node) {
    node = parse(tokenize(src));
    cache.set(src, node);
  }
  const n = node;
  return (s) => n(s) === true;
}

function parse(tokens: string[]): Node {
  let i = 0;
  const peek = () => tokens[i];
  const take = (t?: string) => {
    const v = tokens[i++];
    if (t !== undefined && v !== t) throw new Error(`expected ${t}, got ${v ?? 'end'}`);
    return v;
  };
  const num = (v: WhenValue) => (typeof v === 'number' ? v : NaN);
  const orExpr = (): Node => {
    let left = andExpr();
    while (peek() === 'or' || peek() === '||') {
      take();
      const l = left, r = andExpr();
      left = (s) => l(s) === true || r(s) === true;
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = notExpr();
    while (peek() === 'and' || peek() === '&&') {
      take();
      const l = left, r = notExpr();
      left = (s) => l(s) === true && r(s) === true;
    }
    return left;
  };
  const notExpr = (): Node => {
    if (peek() === 'not' || peek() === '!') {
      take();
      const e = notExpr();
      return (s) => e(s) !== true;
    }
    return cmp();
  };
  const cmp = (): Node => {
    const left = sum();
    const op = peek();
    if (!['==', '!=', '<', '<=', '>', '>='].includes(op)) return left;
    take();
    const right = sum();
    return (s) => {
      const a = left(s), b = right(s);
      if (a === undefined || b === undefined) return false;
      switch (op) {
        case '==': return a === b;
        case '!=': return a !== b;
        case '<': return num(a) < num(b);
        case '<=': return num(a) <= num(b);
        case '>': return num(a) > num(b);
        default: return num(a) >= num(b);
      }
    };
  };
  const sum = (): Node => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const l = left, r = product();
      left = op === '+' ? (s) => num(l(s)) + num(r(s)) : (s) => num(l(s)) - num(r(s));
    }
    return left;
  };
  const product = (): Node => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const l = left, r = unary();
      left = op === '*' ? (s) => num(l(s)) * num(r(s)) : (s) => num(l(s)) / num(r(s));
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      take();
      const e = unary();
      return (s) => -num(e(s));
    }
    return atom();
  };
  const atom = (): Node => {
    const t = take();
    if (t === undefined) throw new Error('unexpected end of expression');
    if (t === '(') {
      const e = orExpr();
      take(')');
      return e;
    }
    if (/^\d/.test(t)) {
      const v = Number(t);
      return () => v;
    }
    if (t[0] === "'" || t[0] === '"') {
      const v = t.slice(1, -1).replace(/\\(.)/g, '$1');
      return () => v;
    }
    if (t === 'true' || t === 'false') {
      const v = t === 'true';
      return () => v;
    }
    if (peek() === '(') {
      take('(');
      const args: Node[] = [];
      if (peek() !== ')') {
        args.push(orExpr());
        while (peek() === ',') {
          take();
          args.push(orExpr());
        }
      }
      take(')');
      if (t === 'has_condition') return (s) => s.hasCondition(String(args[0]?.(s) ?? ''));
      throw new Error(`unknown function ${t}`);
    }
    return (s) => s.vars[t];
  };
  const node = orExpr();
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return node;
}
