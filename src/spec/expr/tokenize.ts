/** Hand-written tokenizer for `if:` expressions. */
export type TokenKind = 'number' | 'string' | 'ident' | 'keyword' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** decoded value for strings and numbers */
  value?: string | number;
  pos: number;
  end: number;
}

export interface ExprError {
  code: string;
  message: string;
  pos: number;
  end: number;
  hint?: string;
}

export const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'else']);

const TWO_CHAR = new Set(['==', '!=', '<=', '>=']);
const ONE_CHAR = new Set(['<', '>', '+', '-', '*', '/', '(', ')', ',', '[', ']']);
const MISTAKES: Record<string, [string, string]> = {
  '&&': ["'&&' is not an operator", "use 'and'"],
  '||': ["'||' is not an operator", "use 'or'"],
  '=': ["'=' is not a comparison", "use '=='"],
  '!': ["'!' is not an operator", "use 'not'"],
  '&': ["'&' is not an operator", "use 'and'"],
  '|': ["'|' is not an operator", "use 'or'"],
};

export function tokenize(src: string): { tokens: Token[]; errors: ExprError[] } {
  const tokens: Token[] = [];
  const errors: ExprError[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      while (i < src.length && /[0-9]/.test(src[i]!)) i++;
      if (src[i] === '.') {
        i++;
        while (i < src.length && /[0-9]/.test(src[i]!)) i++;
      }
      if (/[A-Za-z_]/.test(src[i] ?? '')) {
        while (i < src.length && /[A-Za-z0-9_.]/.test(src[i]!)) i++;
        errors.push({ code: 'expr.syntax', message: `"${src.slice(start, i)}" is not a number`, pos: start, end: i, hint: "quote codes as strings, e.g. 'E11'" });
        continue;
      }
      const text = src.slice(start, i);
      tokens.push({ kind: 'number', text, value: Number(text), pos: start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++;
      const text = src.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'ident', text, pos: start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < src.length) {
        const d = src[i]!;
        if (d === '\\' && i + 1 < src.length) {
          value += src[i + 1];
          i += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        value += d;
        i++;
      }
      if (!closed) {
        errors.push({ code: 'expr.syntax', message: 'string is not closed', pos: start, end: src.length, hint: `end it with ${c}` });
        break;
      }
      tokens.push({ kind: 'string', text: src.slice(start, i), value, pos: start, end: i });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ kind: 'op', text: two, pos: start, end: i + 2 });
      i += 2;
      continue;
    }
    const mistake = MISTAKES[two] ?? MISTAKES[c];
    if (mistake) {
      const len = MISTAKES[two] ? 2 : 1;
      errors.push({ code: 'expr.syntax', message: mistake[0], pos: start, end: start + len, hint: mistake[1] });
      i += len;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ kind: 'op', text: c, pos: start, end: i + 1 });
      i++;
      continue;
    }
    errors.push({ code: 'expr.syntax', message: `unexpected character ${JSON.stringify(c)}`, pos: start, end: start + 1 });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', pos: src.length, end: src.length });
  return { tokens, errors };
}
