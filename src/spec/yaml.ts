/**
 * YAML with source positions. Parsing never throws and never prints: syntax errors, duplicate
 * keys, alias bombs, oversized or too-deep documents, list/mapping keys and bad encodings all
 * come back as diagnostics, in time linear in the file size. The parsed `Document` is kept so
 * every later stage can map a spec path back to file:line:col.
 */
import { Composer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { CST, Document, Node, Pair } from 'yaml';
import type { Diagnostic, Severity } from './diagnostic.js';
import { fail, ok, type Result } from './result.js';

export type PathSegment = string | number;
export type SpecPath = readonly PathSegment[];

export interface YamlLimits {
  /** characters; default 2,000,000 */
  maxChars: number;
  /** collection nesting depth; default 64 */
  maxDepth: number;
  /** alias expansions when converting to JS; default 100 */
  maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxChars: 2_000_000, maxDepth: 64, maxAliasCount: 100 };

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** the document as plain JS (aliases resolved) */
  value: unknown;
  /** the YAML library's warnings (unresolved tags, unsupported directives, …), positioned */
  warnings: Diagnostic[];
}

export interface Position {
  line: number;
  col: number;
  length?: number;
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7:
 * no overlongs, surrogates or code points above U+10FFFF; a truncated sequence counts as bad at
 * its first byte). -1 when every byte is fine. One linear pass.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i; // truncated at the end of the input
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Decode bytes as strict UTF-8 (a leading BOM is dropped); anything else is a diagnostic. */
export function decodeUtf8(bytes: Uint8Array, file: string): Result<string> {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return ok(text);
  } catch {
    let offset = firstInvalidUtf8(bytes);
    if (offset < 0) offset = bytes.length; // the decoder disagreed with us: point at the end
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    // the bytes before `offset` are valid, so this decodes exactly; columns count UTF-16 units
    // like every other position (a leading BOM, dropped on decoding, is not counted)
    const col = new TextDecoder('utf-8', { ignoreBOM: lineStart > 0 }).decode(bytes.subarray(lineStart, offset)).length + 1;
    return fail([
      {
        severity: 'error',
        code: 'yaml.encoding',
        message: 'file is not valid UTF-8',
        file,
        line,
        col,
        hint: 'save the file as UTF-8',
      },
    ]);
  }
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate key',
  MULTIPLE_DOCS: 'only one YAML document per file is allowed',
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tabs cannot be used for indentation',
  MISSING_CHAR: 'missing character',
  UNEXPECTED_TOKEN: 'unexpected token',
  BLOCK_AS_IMPLICIT_KEY: 'a block value cannot be an implicit key',
  MULTILINE_IMPLICIT_KEY: 'an implicit key must be on a single line',
  BAD_ALIAS: 'bad alias',
  BAD_SCALAR_START: 'a plain value cannot start with this character',
};

/** Flow-collection nesting depth, skipping quoted strings and comments (cheap pre-check). */
function maxFlowDepth(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const q = c;
      i++;
      while (i < text.length && text[i] !== q && text[i] !== '\n') {
        if (q === '"' && text[i] === '\\') i++;
        i++;
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ' '))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return max;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * The compact block collections one line opens, left to right: `- `, `? `, `: ` indicators and
 * `key: ` implicit keys (anchors, tags and a leading `---` are skipped over). Calls `open` with
 * the offset of each; stops early when `open` returns true. Returns the offset where the line's
 * value (if any) starts.
 */
function scanLine(text: string, lineStart: number, from: number, lineEnd: number, open: (offset: number) => boolean): number {
  let j = from;
  const skipSpace = (): void => {
    while (j < lineEnd && isBlank(text[j])) j++;
  };
  while (j < lineEnd) {
    const c = text[j]!;
    if ((c === '-' || c === '?' || c === ':') && (j + 1 === lineEnd || isBlank(text[j + 1]))) {
      if (open(j)) return j;
      j++;
      skipSpace();
    } else if (j === lineStart && (text.startsWith('---', j) || text.startsWith('...', j)) && (j + 3 === lineEnd || isBlank(text[j + 3]))) {
      j += 3; // document marker with content after it
      skipSpace();
    } else if (c === '&' || c === '!') {
      while (j < lineEnd && !isBlank(text[j])) j++; // anchor or tag
      skipSpace();
    } else {
      // an implicit key: quoted, or plain up to the first ': ' (not inside a comment)
      let k = j;
      if (c === '"' || c === "'") {
        k++;
        while (k < lineEnd && text[k] !== c) k += c === '"' && text[k] === '\\' ? 2 : 1;
        if (k >= lineEnd) return j;
        k++;
        while (k < lineEnd && isBlank(text[k])) k++;
        if (text[k] !== ':' || !(k + 1 >= lineEnd || isBlank(text[k + 1]))) return j;
      } else {
        if ('#[]{},|>%@`*'.includes(c)) return j;
        while (k < lineEnd && !(text[k] === ':' && (k + 1 === lineEnd || isBlank(text[k + 1])))) {
          if (text[k] === '#' && isBlank(text[k - 1])) return j;
          k++;
        }
        if (k >= lineEnd) return j;
      }
      if (open(j)) return j;
      j = k + 1;
      skipSpace();
    }
  }
  return j;
}

/**
 * Block-collection nesting estimated from the raw text (cheap pre-check: the yaml composer
 * recurses once per level and overflows the stack at about a thousand levels, which can leave
 * V8 unable to compile regular expressions for the rest of the process). Per line, the open
 * collections are those of the less-indented lines above (an indentation stack) plus the
 * compact ones the line opens itself (see scanLine). Lines that continue a scalar (block
 * scalar contents, multi-line plain or quoted values) are text: they do not change the stack,
 * but what they would open on their own still counts, so they cannot hide a deep one-line
 * nest. For well-formed YAML this never counts more levels than there are, so it only refuses
 * documents the exact checks after parsing would refuse too (the exact check on the syntax tree
 * is what guarantees the composer's depth; this one makes huge hostile documents cheap).
 * Returns the offset of the indicator or key that exceeds `maxDepth`, or -1.
 */
function blockDepthExceeds(text: string, maxDepth: number): number {
  const stack: number[] = []; // columns of the open block collections, increasing
  let scalarParent: number | null = null; // in a scalar value whose collection is at this column (-1: the root)
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text[end - 1] === '\r' ? end - 1 : end;
    const lineStart = pos;
    pos = end + 1;
    let j = lineStart;
    while (j < lineEnd && text[j] === ' ') j++;
    const indent = j - lineStart;
    if (j === lineEnd || text[j] === '#') continue; // blank or comment-only
    if (scalarParent !== null && indent > scalarParent) {
      let opened = 0;
      const at = scanLine(text, lineStart, j, lineEnd, () => ++opened > maxDepth);
      if (opened > maxDepth) return at;
      continue;
    }
    scalarParent = null;
    while (stack.length > 0 && stack[stack.length - 1]! >= indent) stack.pop();
    const at = scanLine(text, lineStart, j, lineEnd, (offset) => {
      stack.push(offset - lineStart);
      return stack.length > maxDepth;
    });
    if (stack.length > maxDepth) return at;
    // a value on this line (`key: |`, `- text`, `key: "a`, …): more-indented lines below continue it
    if (at < lineEnd && text[at] !== '#') scalarParent = stack.length > 0 ? stack[stack.length - 1]! : -1;
  }
  return -1;
}

type CstNode = CST.Token | null | undefined;

/**
 * Collection nesting of the concrete syntax tree, walked without recursion before composing
 * (the composer recurses once per level). Keys count too. Returns the offending token or
 * undefined.
 */
function cstDepthExceeds(tokens: readonly CST.Token[], maxDepth: number): CST.Token | undefined {
  const stack: Array<{ tok: CstNode; depth: number }> = tokens.map((tok) => ({ tok, depth: 0 }));
  while (stack.length > 0) {
    const { tok, depth } = stack.pop()!;
    if (!tok) continue;
    switch (tok.type) {
      case 'document':
        stack.push({ tok: tok.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth >= maxDepth) return tok;
        for (const item of tok.items) {
          const it = item as { key?: CstNode; value?: CstNode };
          stack.push({ tok: it.key, depth: depth + 1 }, { tok: it.value, depth: depth + 1 });
        }
        break;
      default:
        break;
    }
  }
  return undefined;
}

interface NodeFindings {
  /** the first collection nested deeper than the limit */
  deep?: Node;
  /** outermost mapping keys that are lists or mappings (or aliases of one) */
  collectionKeys: Node[];
  /** offsets of repeated scalar keys, in document order */
  duplicateKeys: number[];
}

/**
 * One walk over the composed document (no recursion): depth (keys included), mapping keys that
 * are collections — `toJS` would stringify them recursively, doubling time and memory per
 * level, and no spec uses them — and duplicate keys. The yaml library's own `uniqueKeys` check
 * compares every key with every earlier one (50,000 distinct keys: a minute), so it is off and
 * duplicates are found here with one Map per mapping, under the same rule (scalars with equal
 * values).
 */
function checkNodes(doc: Document.Parsed, maxDepth: number): NodeFindings {
  const found: NodeFindings = { collectionKeys: [], duplicateKeys: [] };
  const stack: Array<{ node: unknown; depth: number; inKey: boolean }> = [{ node: doc.contents, depth: 0, inKey: false }];
  while (stack.length > 0) {
    const { node, depth, inKey } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= maxDepth) {
      found.deep ??= node;
      continue;
    }
    const seen = isMap(node) ? new Set<unknown>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push({ node: item, depth: depth + 1, inKey });
        continue;
      }
      const key = item.key;
      if (seen && isScalar(key) && !Number.isNaN(key.value)) {
        if (seen.has(key.value)) found.duplicateKeys.push(key.range?.[0] ?? 0);
        else seen.add(key.value);
      }
      const target = isAlias(key) ? key.resolve(doc) : key;
      if ((isMap(target) || isSeq(target)) && !inKey) found.collectionKeys.push(key as Node);
      stack.push({ node: key, depth: depth + 1, inKey: true }, { node: item.value, depth: depth + 1, inKey });
    }
  }
  found.duplicateKeys.sort((a, b) => a - b);
  return found;
}

function diagAt(
  file: string,
  lc: LineCounter,
  offset: number,
  code: string,
  message: string,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  const { line, col } = lc.linePos(offset);
  return { severity: 'error', code, message, file, line, col, ...extra };
}

/** Parse one YAML document. Never throws. */
export function parseYaml(text: string, file: string, limits: Partial<YamlLimits> = {}): Result<YamlSource> {
  const lim = { ...DEFAULT_YAML_LIMITS, ...limits };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > lim.maxChars) {
    return fail([
      {
        severity: 'error',
        code: 'yaml.too-large',
        message: `file is ${text.length} characters; a spec may have at most ${lim.maxChars}`,
        file,
        line: 1,
        col: 1,
      },
    ]);
  }
  if (text.includes('\u0000')) {
    const lc0 = new LineCounter();
    lc0.addNewLine(0);
    const before = text.slice(0, text.indexOf('\u0000')).split('\n');
    return fail([
      {
        severity: 'error',
        code: 'yaml.encoding',
        message: 'file contains a NUL character; is it a binary file?',
        file,
        line: before.length,
        col: (before[before.length - 1]?.length ?? 0) + 1,
      },
    ]);
  }
  if (maxFlowDepth(text, lim.maxDepth) > lim.maxDepth) {
    return fail([
      {
        severity: 'error',
        code: 'yaml.too-deep',
        message: `nesting is deeper than ${lim.maxDepth} levels`,
        file,
        line: 1,
        col: 1,
      },
    ]);
  }
  const deepLine = blockDepthExceeds(text, lim.maxDepth);
  if (deepLine >= 0) {
    const lc = new LineCounter();
    lc.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0 && i < deepLine; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
    return fail([diagAt(file, lc, deepLine, 'yaml.too-deep', `nesting is deeper than ${lim.maxDepth} levels`)]);
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  // every YAML error is an Error object; capturing a stack trace for each made documents with
  // many errors ten times slower. Restored before returning (nothing else runs in between).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // parse to the concrete syntax tree (no recursion), bound its depth, then compose (recursive)
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    const deep = cstDepthExceeds(tokens, lim.maxDepth);
    if (deep) return fail([diagAt(file, lineCounter, deep.offset, 'yaml.too-deep', `nesting is deeper than ${lim.maxDepth} levels`)]);
    // logLevel 'error': the library must never print warnings (they are kept in doc.warnings)
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false, version: '1.2', logLevel: 'error' });
    for (const d of composer.compose(tokens, true, text.length)) {
      if (!doc) doc = d;
      else {
        doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    }
    if (!doc) throw new Error('no document');
  } catch (e) {
    return fail([
      { severity: 'error', code: 'yaml.syntax', message: `cannot parse YAML: ${String(e)}`, file, line: 1, col: 1 },
    ]);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const { deep, collectionKeys, duplicateKeys } = checkNodes(doc, lim.maxDepth);
  // the library's errors in its order, with the duplicate keys found above merged in by offset
  const found: Array<{ code: string; offset: number; message: string }> = [];
  let d = 0;
  for (const e of doc.errors) {
    while (d < duplicateKeys.length && duplicateKeys[d]! < e.pos[0]) found.push({ code: 'DUPLICATE_KEY', offset: duplicateKeys[d++]!, message: '' });
    found.push({ code: e.code, offset: e.pos[0], message: e.message });
  }
  while (d < duplicateKeys.length) found.push({ code: 'DUPLICATE_KEY', offset: duplicateKeys[d++]!, message: '' });
  const errors: Diagnostic[] = [];
  for (const e of found) {
    const offset = e.offset;
    if (e.code === 'DUPLICATE_KEY') {
      const m = /^("[^"]*"|'[^']*'|[^:\n]*?)\s*:/.exec(text.slice(offset));
      const key = m ? m[1]!.replace(/^["']|["']$/g, '').trim() : '';
      errors.push(
        diagAt(file, lineCounter, offset, 'yaml.duplicate-key', key ? `duplicate key "${key}"` : 'duplicate key', {
          hint: 'each key may appear only once in a mapping',
          length: key ? key.length : undefined,
        }),
      );
      continue;
    }
    const base = YAML_MESSAGES[e.code] ?? 'YAML syntax error';
    const detail = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    const ownWords = e.code === 'MULTIPLE_DOCS' || e.code === 'TAB_AS_INDENT';
    const message = ownWords || base === detail || detail === '' ? base : `${base}: ${detail}`;
    errors.push(diagAt(file, lineCounter, offset, 'yaml.syntax', message));
  }
  if (errors.length > 0) return fail(errors);

  if (deep) {
    return fail([
      diagAt(file, lineCounter, deep.range?.[0] ?? 0, 'yaml.too-deep', `nesting is deeper than ${lim.maxDepth} levels`),
    ]);
  }
  if (collectionKeys.length > 0) {
    return fail(
      collectionKeys.map((k) =>
        diagAt(file, lineCounter, k.range?.[0] ?? 0, 'yaml.complex-key', 'a mapping key must be a plain value, not a list or mapping', {
          hint: 'write the key as a single word or quoted string',
        }),
      ),
    );
  }
  const warnings = doc.warnings.map((w) =>
    diagAt(file, lineCounter, w.pos[0], 'yaml.warning', w.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, ''), {
      severity: 'warning',
    }),
  );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: lim.maxAliasCount });
  } catch (e) {
    const isAliasBomb = e instanceof ReferenceError || /alias/i.test(String(e));
    return fail([
      {
        severity: 'error',
        code: isAliasBomb ? 'yaml.alias-limit' : 'yaml.syntax',
        message: isAliasBomb
          ? `too many alias expansions (more than ${lim.maxAliasCount}); expand the anchors by hand`
          : `cannot read YAML: ${String(e)}`,
        file,
        line: 1,
        col: 1,
      },
    ]);
  }
  return ok({ file, text, doc, lineCounter, value, warnings });
}

function pairFor(coll: unknown, seg: PathSegment): Pair | undefined {
  if (!isMap(coll)) return undefined;
  for (const item of coll.items) {
    // only scalar keys can match a path segment; never stringify a collection key (it can be huge)
    const k = item.key;
    if (!isScalar(k)) continue;
    const kv = k.value;
    if (kv === seg || ((typeof kv === 'string' || typeof kv === 'number' || typeof kv === 'boolean' || kv === null) && String(kv) === String(seg))) {
      return item as Pair;
    }
  }
  return undefined;
}

function posOf(src: YamlSource, node: unknown): Position | undefined {
  const n = node as Node | null | undefined;
  const range = n && (n as { range?: [number, number, number] }).range;
  if (!range) return undefined;
  const { line, col } = src.lineCounter.linePos(range[0]);
  // only report a length for single-line spans
  const text = src.text.slice(range[0], range[1]);
  const length = text.includes('\n') ? undefined : Math.max(1, range[1] - range[0]);
  return { line, col, length };
}

/**
 * Where a spec path lives in the source. `target: 'key'` points at the mapping key of the last
 * segment (unknown keys, missing children); `'value'` at its value. A path that does not exist
 * resolves to the deepest existing ancestor.
 */
export function locate(src: YamlSource, path: SpecPath, target: 'key' | 'value' = 'value'): Position {
  let node: unknown = src.doc.contents;
  let pos: Position = posOf(src, node) ?? { line: 1, col: 1 };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isAlias(node)) node = node.resolve(src.doc);
    if (isMap(node)) {
      const pair = pairFor(node, seg);
      if (!pair) return pos;
      const keyPos = posOf(src, pair.key) ?? pos;
      if (last) {
        if (target === 'key') return keyPos;
        const empty = pair.value == null || (isScalar(pair.value) && pair.value.value === null);
        return empty ? keyPos : (posOf(src, pair.value) ?? keyPos);
      }
      pos = keyPos;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return pos;
      pos = posOf(src, item) ?? pos;
      if (last) return pos;
      node = item;
    } else {
      return pos;
    }
  }
  return pos;
}

/** `demographics.age.mean`, `clinical.comorbidities[1].code`; drops a wrapper root (`profile`). */
export function displayPath(path: SpecPath, wrapper?: string): string {
  const segs = wrapper && path[0] === wrapper ? path.slice(1) : path;
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out === '' ? (wrapper ?? 'config') : out;
}

/** Builds diagnostics for one parsed file. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  constructor(
    readonly src: YamlSource,
    readonly wrapper?: string,
  ) {}

  path(path: SpecPath): string {
    return displayPath(path, this.wrapper);
  }

  at(
    path: SpecPath,
    code: string,
    message: string,
    opts: { target?: 'key' | 'value'; hint?: string; severity?: Severity; offset?: number; length?: number } = {},
  ): Diagnostic {
    const pos = locate(this.src, path, opts.target ?? 'value');
    const d: Diagnostic = {
      severity: opts.severity ?? 'error',
      code,
      message,
      file: this.src.file,
      line: pos.line,
      col: pos.col + (opts.offset ?? 0),
      path: this.path(path),
    };
    const length = opts.length ?? pos.length;
    if (length !== undefined) d.length = length;
    if (opts.hint) d.hint = opts.hint;
    this.items.push(d);
    return d;
  }

  /** `<path> <rest>` at the path's value. */
  error(path: SpecPath, code: string, rest: string, opts: { target?: 'key' | 'value'; hint?: string } = {}): Diagnostic {
    return this.at(path, code, `${this.path(path)} ${rest}`, opts);
  }

  warn(path: SpecPath, code: string, rest: string, opts: { target?: 'key' | 'value'; hint?: string } = {}): Diagnostic {
    return this.at(path, code, `${this.path(path)} ${rest}`, { ...opts, severity: 'warning' });
  }
}
