import { describe, expect, it } from 'vitest';
import { Sink, deltaBinaryPacked, dictionaryValues, numberDictionary } from '../../src/store/parquetEncoding.js';

/** A reader of DELTA_BINARY_PACKED (int32) written from the format's description, for these tests only. */
function decodeDeltaBinaryPacked(buf: Uint8Array): number[] {
  let p = 0;
  const uleb = (): number => {
    let v = 0, mul = 1;
    for (;;) {
      const b = buf[p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  const zigzag = (): number => {
    const u = uleb();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  };
  const blockSize = uleb(), miniblocks = uleb(), total = uleb();
  const perMini = blockSize / miniblocks;
  const out = total > 0 ? [zigzag()] : (zigzag(), []);
  while (out.length < total) {
    const min = zigzag();
    const widths = Array.from(buf.subarray(p, p + miniblocks));
    p += miniblocks;
    for (const w of widths) {
      if (out.length >= total) break;
      // perMini values of w bits, least significant bit first
      let bit = 0;
      for (let k = 0; k < perMini; k++) {
        let v = 0;
        for (let b = 0; b < w; b++, bit++) if (buf[p + (bit >> 3)] & (1 << (bit & 7))) v += 2 ** b;
        if (out.length < total) out.push((out[out.length - 1] + min + v) | 0); // int32 arithmetic wraps
      }
      p += (perMini * w) / 8;
    }
  }
  expect(p).toBe(buf.length);
  return out;
}

function encode(vals: number[]): Uint8Array {
  const s = new Sink(16);
  deltaBinaryPacked(Int32Array.from(vals), vals.length, s);
  return s.take();
}

describe('deltaBinaryPacked', () => {
  it('round-trips sequences around the miniblock and block sizes, with negative and 32-bit-wide deltas', () => {
    let x = 12345;
    const rand = () => (x = (Math.imul(x, 1103515245) + 12345) | 0);
    for (const n of [0, 1, 2, 31, 32, 33, 127, 128, 129, 130, 300, 1_000]) {
      const cases = [
        Array.from({ length: n }, () => 7), // every delta 0: widths 0, no miniblock bytes
        Array.from({ length: n }, (_, i) => 24 + (i % 3)), // small lengths
        Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * i * 1000), // negative deltas
        Array.from({ length: n }, () => rand()), // any int32: deltas up to 2^32 wide
        Array.from({ length: n }, (_, i) => (i % 2 ? 2 ** 31 - 1 : -(2 ** 31))), // the widest deltas
      ];
      cases.forEach((vals, c) => expect(decodeDeltaBinaryPacked(encode(vals)), `case ${c}, ${n} values`).toEqual(vals));
    }
  });

  it('writes the header, the smallest delta and the miniblock widths as the format lays them out', () => {
    // 5 values 10, 11, 13, 16, 20: deltas 1, 2, 3, 4, smallest 1, so 0..3 in 2 bits
    const b = encode([10, 11, 13, 16, 20]);
    expect(Array.from(b.subarray(0, 6))).toEqual([128, 1, 4, 5, 20, 2]); // 128 (ULEB), 4, 5, zigzag(10), zigzag(1)
    expect(Array.from(b.subarray(6, 10))).toEqual([2, 0, 0, 0]);
    // one miniblock of 32 values × 2 bits = 8 bytes: 0, 1, 2, 3 then zero padding
    expect(Array.from(b.subarray(10))).toEqual([0b11100100, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('numberDictionary', () => {
  it('numbers entries in first-seen order by their bits (0 and -0 apart), and gives up by the text rule', () => {
    const vals = Float64Array.from([2.5, 0, -0, 2.5, Infinity, 0, -Infinity]);
    const local = new Int32Array(vals.length);
    expect(numberDictionary(vals, vals.length, 100, 1_024, local)).toBe(5);
    expect(Array.from(local)).toEqual([0, 1, 2, 0, 3, 1, 4]);
    expect(Object.is(dictionaryValues()[2], -0)).toBe(true);
    expect(Array.from(dictionaryValues().subarray(0, 5))).toEqual([2.5, 0, -0, Infinity, -Infinity]);
    // the cap: a fifth entry when four are allowed
    expect(numberDictionary(vals, vals.length, 4, 1_024, local)).toBe(-1);
    // the probe: after 4 values, a new one when more than half were new
    expect(numberDictionary(Float64Array.from([1, 2, 3, 1, 4]), 5, 100, 4, local)).toBe(-1);
    expect(numberDictionary(Float64Array.from([1, 1, 1, 2, 3]), 5, 100, 4, local)).toBe(3);
  });

  it('finds every entry again among many (probing past collisions)', () => {
    const n = 60_000;
    const vals = Float64Array.from({ length: n }, (_, i) => (i % 20_000) * 0.1 - 1_000);
    const local = new Int32Array(n);
    expect(numberDictionary(vals, n, 65_536, n, local)).toBe(20_000);
    const dict = dictionaryValues();
    for (let i = 0; i < n; i++) expect(dict[local[i]]).toBe(vals[i]);
  });
});
