/** Typed AST of the small `if:` expression language. Offsets are 0-based into the source. */
export type BinaryOp = 'and' | 'or' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';

interface Span {
  /** 0-based offset of the first character */
  pos: number;
  /** 0-based offset after the last character */
  end: number;
}

export type Expr =
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'bool'; value: boolean })
  | (Span & { kind: 'var'; name: string })
  | (Span & { kind: 'call'; name: string; args: Expr[] })
  | (Span & { kind: 'not'; operand: Expr })
  | (Span & { kind: 'neg'; operand: Expr })
  | (Span & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr })
  | (Span & { kind: 'in'; value: Expr; items: Expr[] })
  /** `else`: true when no earlier sibling rule matched (the caller decides) */
  | (Span & { kind: 'else' });

export type ExprType = 'number' | 'string' | 'boolean';
export type Value = number | string | boolean | undefined;

export interface FunctionSig {
  params: ExprType[];
  returns: ExprType;
}

/** The variables and functions an `if:` may use, with their types. */
export interface ExprScope {
  variables: Record<string, ExprType>;
  functions: Record<string, FunctionSig>;
}

export const DEFAULT_SCOPE: ExprScope = {
  variables: {
    age: 'number',
    sex: 'string',
    severity: 'string',
    bmi: 'number',
    hba1c: 'number',
    product: 'string',
    arm: 'string',
  },
  functions: {
    has_condition: { params: ['string'], returns: 'boolean' },
  },
};
