/**
 * The Thrift compact protocol, as Parquet uses it for its footer and page headers: a generic
 * tree of (field id, wire type, value) read and written back byte for byte, so fields a caller
 * does not name pass through unchanged (parquetConcat.ts), and structs built by hand encode to
 * the bytes any Thrift library would write (parquetWriter.ts).
 */
// Thrift compact-protocol wire types
export const T_TRUE = 1;
export const T_FALSE = 2;
export const T_BYTE = 3;
export const T_I16 = 4;
export const T_I32 = 5;
export const T_I64 = 6;
export const T_DOUBLE = 7;
export const T_BINARY = 8;
export const T_LIST = 9;
export const T_SET = 10;
export const T_MAP = 11;
export const T_STRUCT = 12;

/** A decoded value: its wire type decides the shape of `v`. */
export type Value = number | bigint | Uint8Array | ListValue | MapValue | Field[] | EncodedStruct | undefined;
export interface Field { id: number; t: number; v: Value }
export interface ListValue { et: number; items: Value[] }
export interface MapValue { kt: number; vt: number; entries: [Value, Value][] }

/** A struct already encoded (its fields and stop byte): written as it is. */
export class EncodedStruct {
  constructor(readonly bytes: Uint8Array) {}
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('truncated Thrift data');
    return this.buf[this.pos++];
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  value(t: number): Value {
    switch (t) {
      case T_TRUE:
      case T_FALSE:
        return undefined; // a field's boolean lives in its type
      case T_BYTE:
        return this.byte();
      case T_I16:
      case T_I32:
        return Number(this.zigzag());
      case T_I64:
        return this.zigzag();
      case T_DOUBLE:
        return this.bytes(8);
      case T_BINARY:
        return this.bytes(Number(this.varint()));
      case T_LIST:
      case T_SET: {
        const h = this.byte();
        const et = h & 0x0f;
        const size = h >> 4 === 0x0f ? Number(this.varint()) : h >> 4;
        const items: Value[] = [];
        // booleans inside a list are one byte each (kept as that byte)
        for (let i = 0; i < size; i++) items.push(et === T_TRUE || et === T_FALSE ? this.byte() : this.value(et));
        return { et, items };
      }
      case T_MAP: {
        const size = Number(this.varint());
        if (size === 0) return { kt: 0, vt: 0, entries: [] };
        const h = this.byte();
        const kt = h >> 4;
        const vt = h & 0x0f;
        const entries: [Value, Value][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(kt), this.value(vt)]);
        return { kt, vt, entries };
      }
      case T_STRUCT:
        return this.struct();
      default:
        throw new Error(`unknown Thrift compact type ${t}`);
    }
  }

  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fields;
      const t = h & 0x0f;
      const delta = h >> 4;
      const id = delta === 0 ? Number(this.zigzag()) : last + delta;
      fields.push({ id, t, v: this.value(t) });
      last = id;
    }
  }

  private bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error('truncated Thrift data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

class Writer {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  private flushBytes(): void {
    if (this.parts.length > 0) {
      this.chunks.push(Uint8Array.from(this.parts));
      this.parts.length = 0;
    }
  }

  private raw(b: Uint8Array): void {
    this.flushBytes();
    this.chunks.push(b);
  }

  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : ((-n) << 1n) - 1n);
  }

  value(t: number, v: Value): void {
    switch (t) {
      case T_TRUE:
      case T_FALSE:
        return;
      case T_BYTE:
        this.parts.push(v as number);
        return;
      case T_I16:
      case T_I32:
        this.zigzag(BigInt(v as number));
        return;
      case T_I64:
        this.zigzag(v as bigint);
        return;
      case T_DOUBLE:
        this.raw(v as Uint8Array);
        return;
      case T_BINARY: {
        const b = v as Uint8Array;
        this.varint(BigInt(b.length));
        this.raw(b);
        return;
      }
      case T_LIST:
      case T_SET: {
        const { et, items } = v as ListValue;
        if (items.length < 15) this.parts.push((items.length << 4) | et);
        else {
          this.parts.push(0xf0 | et);
          this.varint(BigInt(items.length));
        }
        for (const item of items) {
          if (et === T_TRUE || et === T_FALSE) this.parts.push(item as number);
          else this.value(et, item);
        }
        return;
      }
      case T_MAP: {
        const { kt, vt, entries } = v as MapValue;
        this.varint(BigInt(entries.length));
        if (entries.length === 0) return;
        this.parts.push((kt << 4) | vt);
        for (const [k, val] of entries) {
          this.value(kt, k);
          this.value(vt, val);
        }
        return;
      }
      case T_STRUCT:
        if (v instanceof EncodedStruct) this.raw(v.bytes);
        else this.struct(v as Field[]);
        return;
      default:
        throw new Error(`unknown Thrift compact type ${t}`);
    }
  }

  struct(fields: readonly Field[]): void {
    let last = 0;
    for (const f of fields) {
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.parts.push((delta << 4) | f.t);
      else {
        this.parts.push(f.t);
        this.zigzag(BigInt(f.id));
      }
      this.value(f.t, f.v);
      last = f.id;
    }
    this.parts.push(0);
  }

  bytes(): Uint8Array {
    this.flushBytes();
    return Buffer.concat(this.chunks);
  }
}

/** Encodes a decoded struct again (exported for tests: decode → encode must give the same bytes). */
export function encodeStruct(fields: readonly Field[]): Uint8Array {
  const w = new Writer();
  w.struct(fields);
  return w.bytes();
}

export function decodeStruct(bytes: Uint8Array): Field[] {
  const r = new Reader(bytes);
  const s = r.struct();
  if (r.pos !== bytes.length) throw new Error('trailing bytes after the Thrift struct');
  return s;
}
