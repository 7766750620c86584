/**
 * X12 5010 building blocks: element sanitizing, amounts, dates, the ISA/GS…GE/IEA envelope.
 * Delimiters: element '*', component ':', repetition '^', segment '~' followed by LF (a common
 * human-readable layout that X12 parsers accept).
 */
import { toAscii } from '../common.js';

export const ELEMENT = '*';
export const COMPONENT = ':';
export const REPETITION = '^';
export const TERMINATOR = '~';

/** Upper-case ASCII text without delimiter characters, at most `max` characters. */
export function x12Text(v: unknown, max = 60): string {
  if (v === null || v === undefined) return '';
  return toAscii(String(v))
    .toUpperCase()
    .replace(/[*~:^\\|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}

/** An identifier: letters, digits and '-' only. */
export function x12Id(v: unknown, max = 30): string {
  return x12Text(v, max * 2).replace(/[^A-Z0-9-]/g, '').slice(0, max);
}

/** Cents → X12 decimal ('125', '125.5', '125.25', '-3'): no trailing zeros, as the R type prefers. */
export function x12Amount(centsValue: number): string {
  const sign = centsValue < 0 ? '-' : '';
  const abs = Math.abs(centsValue);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** 'YYYY-MM-DD' → CCYYMMDD. */
export function x12Date(iso: string): string {
  return iso.replace(/-/g, '');
}

/** A segment from its id and elements; trailing empty elements are dropped. */
export function seg(id: string, ...elements: (string | number | undefined)[]): string {
  const els = elements.map((e) => (e === undefined ? '' : String(e)));
  while (els.length > 0 && els[els.length - 1] === '') els.pop();
  return [id, ...els].join(ELEMENT);
}

export interface EnvelopeOptions {
  senderId: string;
  receiverId: string;
  /** 'YYYY-MM-DD' used for ISA09/GS04. */
  date: string;
  /** ISA13 / GS06 control number. */
  control: number;
  /** GS01: HC (837) or HP (835). */
  functionalId: 'HC' | 'HP';
  /** GS08: 005010X222A1 or 005010X221A1. */
  version: string;
  usage: 'T' | 'P';
}

function fixed(s: string, width: number): string {
  return s.slice(0, width).padEnd(width, ' ');
}

/**
 * Wraps transaction sets (each a list of segments starting with ST, without SE) in one
 * interchange with one functional group; fills in SE01/SE02, GE01/GE02 and IEA01/IEA02.
 */
export function interchange(transactions: readonly string[][], o: EnvelopeOptions): string {
  const isa13 = String(o.control).padStart(9, '0');
  const ymd = x12Date(o.date);
  const segments: string[] = [
    [
      'ISA', '00', fixed('', 10), '00', fixed('', 10),
      'ZZ', fixed(o.senderId, 15), 'ZZ', fixed(o.receiverId, 15),
      ymd.slice(2), '0000', REPETITION, '00501', isa13, '0', o.usage, COMPONENT,
    ].join(ELEMENT),
    seg('GS', o.functionalId, o.senderId, o.receiverId, ymd, '0000', o.control, 'X', o.version),
  ];
  transactions.forEach((body, i) => {
    const st02 = String(i + 1).padStart(4, '0');
    const withControl = [body[0].replace(/^ST\*([^*]+)\*[^*]*/, `ST*$1*${st02}`), ...body.slice(1)];
    segments.push(...withControl, seg('SE', withControl.length + 1, st02));
  });
  segments.push(seg('GE', transactions.length, o.control), seg('IEA', 1, isa13));
  return segments.map((s) => s + TERMINATOR + '\n').join('');
}
