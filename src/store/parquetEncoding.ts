/**
 * Encodings of Parquet pages (parquet-format Encodings.md) and the byte sink they write to.
 */

/** Growable byte buffer with the little-endian writes Parquet needs. */
export class Sink {
  buf: Uint8Array;
  pos = 0;
  private view: DataView;
  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
  varint(n: number): void {
    this.ensure(10);
    let v = n;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  i64(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setUint32(this.pos, v - hi * 4294967296, true);
    this.view.setInt32(this.pos + 4, hi, true);
    this.pos += 8;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  /** A PLAIN BYTE_ARRAY: 4-byte length, then the string's UTF-8 bytes. */
  text(s: string): void {
    const n = s.length;
    this.ensure(4 + n);
    const at = this.pos;
    let p = at + 4;
    const b = this.buf;
    for (let k = 0; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) {
        this.pos = at;
        this.bytes(utf8Bytes(s));
        return;
      }
      b[p++] = c;
    }
    this.view.setInt32(at, n, true);
    this.pos = p;
  }
  /** 4-byte length and the bytes. */
  bytes(u: Uint8Array): void {
    this.ensure(4 + u.length);
    this.view.setInt32(this.pos, u.length, true);
    this.buf.set(u, this.pos + 4);
    this.pos += 4 + u.length;
  }
  /** A PLAIN BYTE_ARRAY from `bytes[from .. from + len)`: 4-byte length, then the bytes. */
  slice(bytes: Uint8Array, from: number, len: number): void {
    this.ensure(4 + len);
    const b = this.buf;
    let p = this.pos;
    b[p] = len & 0xff;
    b[p + 1] = (len >>> 8) & 0xff;
    b[p + 2] = (len >>> 16) & 0xff;
    b[p + 3] = len >>> 24;
    p += 4;
    for (let k = from; k < from + len; k++) b[p++] = bytes[k];
    this.pos = p;
  }
  raw(u: Uint8Array): void {
    this.ensure(u.length);
    this.buf.set(u, this.pos);
    this.pos += u.length;
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
  /** The bytes written so far, without a copy (valid until the next write or reset). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
  reset(): void {
    this.pos = 0;
  }
}

export const encoder = new TextEncoder();
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Values in the RLE/bit-packed hybrid of width `w`, in aligned groups of 8: a group of 8 equal
 * values starts or extends a run, others join a bit-packed run (the last group padded with 0).
 */
export function hybrid(vals: ArrayLike<number>, n: number, w: number, out: Sink): void {
  const valueBytes = (w + 7) >> 3;
  let rleVal = 0, rleCount = 0, litStart = -1, litGroups = 0;
  const flushRle = () => {
    if (rleCount === 0) return;
    out.varint(rleCount * 2);
    out.ensure(valueBytes);
    let v = rleVal;
    for (let k = 0; k < valueBytes; k++) {
      out.buf[out.pos++] = v & 0xff;
      v >>>= 8;
    }
    rleCount = 0;
  };
  const flushLiteral = () => {
    if (litGroups === 0) return;
    out.varint(litGroups * 2 + 1);
    out.ensure(litGroups * w);
    const b = out.buf;
    let p = out.pos, acc = 0, bits = 0;
    const end = litStart + litGroups * 8;
    for (let i = litStart; i < end; i++) {
      acc |= (i < n ? vals[i] : 0) << bits;
      bits += w;
      while (bits >= 8) {
        b[p++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    out.pos = p;
    litGroups = 0;
    litStart = -1;
  };
  for (let i = 0; i < n; i += 8) {
    const g = Math.min(8, n - i);
    const v = vals[i];
    let same = true;
    for (let k = 1; k < g; k++) if (vals[i + k] !== v) { same = false; break; }
    if (same && rleCount > 0 && v === rleVal) rleCount += g;
    else if (same && g === 8) {
      flushLiteral();
      flushRle();
      rleVal = v;
      rleCount = g;
    } else {
      flushRle();
      if (litGroups === 0) litStart = i;
      litGroups++;
    }
  }
  flushLiteral();
  flushRle();
}

export function bitWidth(maxValue: number): number {
  return maxValue <= 0 ? 1 : 32 - Math.clz32(maxValue);
}

/** DELTA_BINARY_PACKED blocks: 128 deltas in 4 miniblocks of 32, as parquet-mr and Arrow write them. */
const DELTA_BLOCK = 128;
const DELTA_MINIBLOCKS = 4;
const DELTA_MINI = DELTA_BLOCK / DELTA_MINIBLOCKS;

/** ULEB128 of the zigzag encoding of a safe integer. */
function zigzag(v: number, out: Sink): void {
  out.varint(v >= 0 ? v * 2 : -v * 2 - 1);
}

/**
 * `vals[0..n)` as DELTA_BINARY_PACKED: the header (block size, miniblocks, count, first value),
 * then for each block of 128 deltas its smallest delta, the bit widths of its 4 miniblocks and
 * each miniblock's (delta − smallest) bit-packed, least significant bit first. The last
 * miniblock in use is padded with zeros to 32 values; the widths of unused ones are 0 and they
 * take no bytes. Values are int32 and the arithmetic wraps as the format's int32 arithmetic does
 * (a delta is `(v[i] − v[i−1]) | 0`, a packed value `(delta − smallest) >>> 0`), so a packed
 * value needs at most 32 bits.
 */
export function deltaBinaryPacked(vals: Int32Array, n: number, out: Sink): void {
  out.varint(DELTA_BLOCK);
  out.varint(DELTA_MINIBLOCKS);
  out.varint(n);
  zigzag(n > 0 ? vals[0] : 0, out);
  const widths = [0, 0, 0, 0];
  for (let b = 1; b < n; b += DELTA_BLOCK) {
    const end = Math.min(n, b + DELTA_BLOCK);
    let min = Infinity;
    for (let i = b; i < end; i++) {
      const d = (vals[i] - vals[i - 1]) | 0;
      if (d < min) min = d;
    }
    zigzag(min, out);
    for (let k = 0; k < DELTA_MINIBLOCKS; k++) {
      const from = b + k * DELTA_MINI;
      let max = 0;
      for (let i = from; i < Math.min(end, from + DELTA_MINI); i++) {
        const v = (((vals[i] - vals[i - 1]) | 0) - min) >>> 0;
        if (v > max) max = v;
      }
      widths[k] = max === 0 ? 0 : max >= 2 ** 31 ? 32 : 32 - Math.clz32(max);
    }
    out.ensure(DELTA_MINIBLOCKS + DELTA_BLOCK * 4);
    for (let k = 0; k < DELTA_MINIBLOCKS; k++) out.buf[out.pos++] = widths[k];
    for (let k = 0; k < DELTA_MINIBLOCKS; k++) {
      const from = b + k * DELTA_MINI;
      const w = widths[k];
      if (from >= end || w === 0) continue;
      const buf = out.buf;
      let p = out.pos;
      if (w <= 24) {
        // a value of ≤ 24 bits shifted by < 8 stays within 31 bits: integer arithmetic
        let acc = 0, bits = 0;
        for (let i = from; i < from + DELTA_MINI; i++) {
          acc |= (i < end ? ((vals[i] - vals[i - 1]) | 0) - min : 0) << bits;
          bits += w;
          while (bits >= 8) {
            buf[p++] = acc & 0xff;
            acc >>>= 8;
            bits -= 8;
          }
        }
      } else {
        // wider (deltas of key lengths never are): bits accumulate in a double, below 2^40
        let acc = 0, bits = 0;
        for (let i = from; i < from + DELTA_MINI; i++) {
          acc += (i < end ? (((vals[i] - vals[i - 1]) | 0) - min) >>> 0 : 0) * 2 ** bits;
          bits += w;
          while (bits >= 8) {
            const byte = acc % 256;
            buf[p++] = byte;
            acc = (acc - byte) / 256;
            bits -= 8;
          }
        }
      }
      out.pos = p;
    }
  }
}

/**
 * Sorted byte strings as DELTA_BYTE_ARRAY: each value's prefix shared with the one before, then
 * the rest (DELTA_BINARY_PACKED prefix lengths, DELTA_BINARY_PACKED suffix lengths, the suffixes'
 * bytes). Value r is `bytes[offs[at(r)] .. offs[at(r) + 1])` for r in [0, n).
 */
export function deltaByteArray(bytes: Uint8Array, offs: Int32Array, at: (r: number) => number, n: number, out: Sink): void {
  const prefix = scratchInts(0, n), suffix = scratchInts(1, n);
  let prevFrom = 0, prevTo = 0, total = 0;
  for (let r = 0; r < n; r++) {
    const i = at(r);
    const from = offs[i], to = offs[i + 1];
    const most = Math.min(to - from, prevTo - prevFrom);
    let k = 0;
    while (k < most && bytes[from + k] === bytes[prevFrom + k]) k++;
    prefix[r] = k;
    suffix[r] = to - from - k;
    total += to - from - k;
    prevFrom = from;
    prevTo = to;
  }
  deltaBinaryPacked(prefix, n, out);
  deltaBinaryPacked(suffix, n, out);
  out.ensure(total);
  const buf = out.buf;
  let p = out.pos;
  for (let r = 0; r < n; r++) {
    const i = at(r);
    const to = offs[i + 1];
    for (let k = to - suffix[r]; k < to; k++) buf[p++] = bytes[k];
  }
  out.pos = p;
}

/** Int32 work arrays of deltaByteArray, kept between calls. */
const ints: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
function scratchInts(slot: number, n: number): Int32Array {
  if (ints[slot].length < n) ints[slot] = new Int32Array(Math.max(n, ints[slot].length * 2));
  return ints[slot];
}

/** Open-addressing slots for at most `cap` entries: a power of two, at most half full. */
function slotCount(cap: number): number {
  let size = 16;
  while (size < cap * 2) size *= 2;
  return size;
}

/** Work arrays of numberDictionary: open-addressing slots, and each entry's bits and value. */
const nd = { slots: new Int32Array(0), lo: new Uint32Array(0), hi: new Uint32Array(0), values: new Float64Array(0) };
const bitsOf = new Float64Array(1);
const bitsWords = new Uint32Array(bitsOf.buffer);

/** Lets the work arrays of the encoders go. */
export function releaseEncodingScratch(): void {
  ints[0] = new Int32Array(0);
  ints[1] = new Int32Array(0);
  nd.slots = new Int32Array(0);
  nd.lo = new Uint32Array(0);
  nd.hi = new Uint32Array(0);
  nd.values = new Float64Array(0);
  bd.slots = new Int32Array(0);
  bd.hashes = new Int32Array(0);
  bd.starts = new Int32Array(0);
  bd.lens = new Int32Array(0);
}

/**
 * A chunk's dictionary of numbers, in first-seen order and by their bits (so 0 and -0 are two
 * entries, like two strings): `local[k]` gets the entry of `vals[k]` for k < m. Gives up (returns
 * -1) as soon as an entry would be the `cap`-th, or once `probe` values are in and more than half
 * of them were new — the same rule as a text column's dictionary. Else returns the entry count;
 * `dictionaryValues()` holds the entries.
 */
export function numberDictionary(vals: Float64Array, m: number, cap: number, probe: number, local: Int32Array): number {
  const size = slotCount(cap);
  if (nd.slots.length < size) nd.slots = new Int32Array(size);
  if (nd.lo.length < cap) {
    nd.lo = new Uint32Array(cap);
    nd.hi = new Uint32Array(cap);
    nd.values = new Float64Array(cap);
  }
  const slots = nd.slots, lo = nd.lo, hi = nd.hi, values = nd.values;
  slots.fill(-1, 0, size);
  const mask = size - 1;
  let count = 0;
  for (let k = 0; k < m; k++) {
    const v = vals[k];
    bitsOf[0] = v;
    const a = bitsWords[0], b = bitsWords[1];
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    let s = h & mask;
    let id: number;
    for (;;) {
      id = slots[s];
      if (id < 0 || (lo[id] === a && hi[id] === b)) break;
      s = (s + 1) & mask;
    }
    if (id < 0) {
      id = count;
      if (id >= cap || (k >= probe && id * 2 > k)) return -1;
      slots[s] = id;
      lo[id] = a;
      hi[id] = b;
      values[id] = v;
      count++;
    }
    local[k] = id;
  }
  return count;
}

/** The entries of the last numberDictionary, valid until the next call. */
export function dictionaryValues(): Float64Array {
  return nd.values;
}

/** Work arrays of bytesDictionary: open-addressing slots, each entry's hash and its first slice. */
const bd = { slots: new Int32Array(0), hashes: new Int32Array(0), starts: new Int32Array(0), lens: new Int32Array(0) };

/** Compares two byte strings of `bytes`: negative, 0 or positive, in byte order (UTF-8's code point order). */
export function compareSlices(bytes: Uint8Array, a: number, aLen: number, b: number, bLen: number): number {
  const n = Math.min(aLen, bLen);
  for (let k = 0; k < n; k++) {
    const d = bytes[a + k] - bytes[b + k];
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/**
 * The dictionary of a chunk of byte strings held in one arena, in first-seen order: the chunk's
 * r-th row is row `i = order ? order[lo + r] : lo + r`, whose value is `bytes[starts[i] ..
 * starts[i] + lens[i])`, NULL when `lens[i]` is -1. `local[m]` gets the entry of the m-th value
 * that is not NULL. The rule is numberDictionary's (and a text column's): -1 as soon as an entry
 * would be the `cap`-th, or once `probe` values are in and more than half of them were new; else
 * the entry count, with the entries' slices in `bytesEntries()`. A row whose slice is the one
 * before it (a run, stored once) takes its entry without hashing.
 */
export function bytesDictionary(bytes: Uint8Array, starts: Int32Array, lens: Int32Array, order: Int32Array | undefined, lo: number, n: number, cap: number, probe: number, local: Int32Array): number {
  const size = slotCount(cap);
  if (bd.slots.length < size) bd.slots = new Int32Array(size);
  if (bd.starts.length < cap) {
    bd.hashes = new Int32Array(cap);
    bd.starts = new Int32Array(cap);
    bd.lens = new Int32Array(cap);
  }
  const slots = bd.slots, hashes = bd.hashes, es = bd.starts, el = bd.lens;
  slots.fill(-1, 0, size);
  const mask = size - 1;
  let count = 0, m = 0, prevStart = -1, prevLen = -1, prevId = -1;
  for (let r = 0; r < n; r++) {
    const i = order ? order[lo + r] : lo + r;
    const len = lens[i];
    if (len < 0) continue;
    const st = starts[i];
    let id: number;
    if (st === prevStart && len === prevLen) id = prevId;
    else {
      // FNV-1a over the bytes
      let h = 0x811c9dc5 | 0;
      for (let k = st; k < st + len; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
      let s = (h ^ (h >>> 15)) & mask;
      for (;;) {
        id = slots[s];
        if (id < 0 || (hashes[id] === h && el[id] === len && compareSlices(bytes, es[id], len, st, len) === 0)) break;
        s = (s + 1) & mask;
      }
      if (id < 0) {
        id = count;
        if (id >= cap || (m >= probe && id * 2 > m)) return -1;
        slots[s] = id;
        hashes[id] = h;
        es[id] = st;
        el[id] = len;
        count++;
      }
      prevStart = st;
      prevLen = len;
      prevId = id;
    }
    local[m++] = id;
  }
  return count;
}

/** The entries (first slices) of the last bytesDictionary, valid until the next call. */
export function bytesEntries(): { starts: Int32Array; lens: Int32Array } {
  return { starts: bd.starts, lens: bd.lens };
}
