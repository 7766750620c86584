/**
 * SAS XPORT version 5 (transport) writer, after SAS technical note TS-140:
 *
 *   library header   3 × 80-byte records (LIBRARY HEADER, SAS/SASLIB/version/OS/created, modified)
 *   member header    4 × 80 (MEMBER HEADER with NAMESTR length 140, DSCRPTR HEADER,
 *                    SAS/dataset name/SASDATA/created, modified/label/type)
 *   NAMESTR header   1 × 80 (variable count), then one 140-byte NAMESTR per variable,
 *                    blank-padded to a multiple of 80
 *   OBS header       1 × 80, then the observations back to back, blank-padded to 80
 *
 * Numbers are 8-byte IBM System/360 hexadecimal floating point (big-endian); a missing
 * numeric is '.' (0x2E) followed by seven 0x00 bytes. Character values are ASCII, blank-padded
 * to the variable length. The creation/modification stamp comes from the caller (a date in the
 * data), never the clock, so the bytes are reproducible.
 */

export interface XptVariable {
  /** ≤ 8 characters, upper case. */
  name: string;
  /** ≤ 40 characters. */
  label: string;
  type: 'Char' | 'Num';
  /** Bytes: 1–200 for Char, 8 for Num. */
  length: number;
}

export interface XptDataset {
  /** ≤ 8 characters (the SDTM domain code). */
  name: string;
  /** ≤ 40 characters. */
  label: string;
  variables: readonly XptVariable[];
  /** Values in variable order: string | null for Char, number | null for Num. */
  rows: readonly (readonly (string | number | null)[])[];
}

const RECORD = 80;
const NAMESTR_LENGTH = 140;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** 'YYYY-MM-DD' → the header stamp 'ddMMMyy:hh:mm:ss' (midnight). */
export function xptTimestamp(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`XPORT timestamp needs a YYYY-MM-DD date (got "${isoDate}")`);
  return `${m[3]}${MONTHS[Number(m[2]) - 1]}${m[1].slice(2)}:00:00:00`;
}

function ascii(s: string, width: number): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`XPORT text must be printable ASCII: ${JSON.stringify(s)}`);
  return s.length >= width ? s.slice(0, width) : s + ' '.repeat(width - s.length);
}

function record(text: string): Buffer {
  return Buffer.from(ascii(text, RECORD), 'latin1');
}

function padTo80(buf: Buffer): Buffer {
  const rest = buf.length % RECORD;
  return rest === 0 ? buf : Buffer.concat([buf, Buffer.alloc(RECORD - rest, 0x20)]);
}

/** IEEE 754 double → 8-byte IBM System/360 hexadecimal float. null/NaN → SAS missing '.'. */
export function ibmDouble(value: number | null): Buffer {
  const out = Buffer.alloc(8);
  if (value === null || Number.isNaN(value)) {
    out[0] = 0x2e;
    return out;
  }
  if (!Number.isFinite(value)) throw new Error(`XPORT cannot store ${value}`);
  if (value === 0) return out;
  let v = Math.abs(value);
  let exponent = 0;
  // Normalize to 1/16 ≤ v < 1; dividing by 16 is exact in binary floating point.
  while (v >= 1) {
    v /= 16;
    exponent++;
  }
  while (v < 1 / 16) {
    v *= 16;
    exponent--;
  }
  if (exponent + 64 > 127) throw new Error(`XPORT cannot store ${value}: too large`);
  if (exponent + 64 < 0) return out; // below the IBM range: store as 0
  // 56-bit fraction. The IEEE 53-bit significand lies within these bits, so this is exact.
  const fraction = v * 2 ** 56;
  const hi = Math.floor(fraction / 2 ** 32);
  const lo = fraction - hi * 2 ** 32;
  out[0] = (value < 0 ? 0x80 : 0) | (exponent + 64);
  out[1] = (hi >>> 16) & 0xff;
  out[2] = (hi >>> 8) & 0xff;
  out[3] = hi & 0xff;
  out.writeUInt32BE(lo, 4);
  return out;
}

function namestr(v: XptVariable, index: number, position: number): Buffer {
  const b = Buffer.alloc(NAMESTR_LENGTH, 0);
  b.writeInt16BE(v.type === 'Num' ? 1 : 2, 0); // ntype
  b.writeInt16BE(0, 2); // nhfun
  b.writeInt16BE(v.length, 4); // nlng
  b.writeInt16BE(index + 1, 6); // nvar0 (varnum)
  b.write(ascii(v.name, 8), 8, 'latin1'); // nname
  b.write(ascii(v.label, 40), 16, 'latin1'); // nlabel
  b.write(ascii('', 8), 56, 'latin1'); // nform
  b.writeInt16BE(0, 64); // nfl
  b.writeInt16BE(0, 66); // nfd
  b.writeInt16BE(0, 68); // nfj
  // nfill[2] at 70 stays 0
  b.write(ascii('', 8), 72, 'latin1'); // niform
  b.writeInt16BE(0, 80); // nifl
  b.writeInt16BE(0, 82); // nifd
  b.writeInt32BE(position, 84); // npos
  // rest[52] stays 0
  return b;
}

function checkDataset(ds: XptDataset): void {
  if (!/^[A-Z_][A-Z0-9_]{0,7}$/.test(ds.name)) throw new Error(`XPORT dataset name "${ds.name}" must be ≤ 8 characters A–Z, 0–9, _`);
  if (ds.label.length > 40) throw new Error(`XPORT dataset label of ${ds.name} is longer than 40 characters`);
  const seen = new Set<string>();
  for (const v of ds.variables) {
    if (!/^[A-Z_][A-Z0-9_]{0,7}$/.test(v.name)) throw new Error(`XPORT variable name "${v.name}" must be ≤ 8 characters A–Z, 0–9, _`);
    if (seen.has(v.name)) throw new Error(`XPORT variable ${v.name} appears twice in ${ds.name}`);
    seen.add(v.name);
    if (v.label.length > 40) throw new Error(`XPORT label of ${ds.name}.${v.name} is longer than 40 characters`);
    if (v.type === 'Num' && v.length !== 8) throw new Error(`XPORT numeric ${ds.name}.${v.name} must have length 8`);
    if (v.type === 'Char' && (v.length < 1 || v.length > 200)) throw new Error(`XPORT character ${ds.name}.${v.name} must have length 1–200`);
  }
}

/** One dataset as a complete .xpt file. `stamp` is a 'YYYY-MM-DD' date used as created/modified. */
export function writeXport(ds: XptDataset, stamp: string): Buffer {
  checkDataset(ds);
  const ts = xptTimestamp(stamp);
  const parts: Buffer[] = [
    record('HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000'),
    record(`SAS     SAS     SASLIB  9.4     ${ascii('Linux', 8)}${' '.repeat(24)}${ts}`),
    record(ts),
    record(`HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!${'0'.repeat(17)}16${'0'.repeat(8)}${NAMESTR_LENGTH}`),
    record('HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!000000000000000000000000000000'),
    record(`SAS     ${ascii(ds.name, 8)}SASDATA 9.4     ${ascii('Linux', 8)}${' '.repeat(24)}${ts}`),
    record(`${ts}${' '.repeat(16)}${ascii(ds.label, 40)}${ascii('', 8)}`),
    record(`HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000${String(ds.variables.length).padStart(4, '0')}00000000000000000000`),
  ];
  let position = 0;
  const namestrs: Buffer[] = [];
  ds.variables.forEach((v, i) => {
    namestrs.push(namestr(v, i, position));
    position += v.length;
  });
  parts.push(padTo80(Buffer.concat(namestrs)));
  parts.push(record('HEADER RECORD*******OBS     HEADER RECORD!!!!!!!000000000000000000000000000000'));

  const obsLength = position;
  const obs = Buffer.alloc(obsLength * ds.rows.length, 0x20);
  ds.rows.forEach((row, r) => {
    let at = r * obsLength;
    ds.variables.forEach((v, i) => {
      const value = row[i] ?? null;
      if (v.type === 'Num') {
        if (value !== null && typeof value !== 'number') throw new Error(`${ds.name}.${v.name} expects a number (got ${JSON.stringify(value)})`);
        ibmDouble(value).copy(obs, at);
      } else {
        const s = value === null ? '' : String(value);
        if (s.length > v.length) throw new Error(`${ds.name}.${v.name} value longer than ${v.length}: ${JSON.stringify(s)}`);
        obs.write(ascii(s, v.length), at, 'latin1');
      }
      at += v.length;
    });
  });
  parts.push(padTo80(obs));
  return Buffer.concat(parts);
}
