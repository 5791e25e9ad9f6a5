/**
 * Encoding protobuf wire data: enough to splice fields into an existing message without decoding
 * (and re-encoding) the rest of it, which keeps multi-hundred-MB weights untouched byte for byte.
 */
import { WireType } from '../wire';

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as an unsigned varint`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** An int64 field value: negative numbers are their 64-bit two's complement, ten bytes long (as protobuf writes int64). */
export function encodeInt64(value: number | bigint): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`cannot encode ${value} as an int64 varint`);
    if (value >= 0) return encodeVarint(value);
  }
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Bytes an unsigned varint of `value` takes. */
export function varintSize(value: number): number {
  let n = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) n++;
  return n;
}

export function encodeKey(field: number, wire: WireType): Uint8Array {
  return encodeVarint(field * 8 + wire);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A length-delimited field: key, length, payload. */
export function lengthDelimitedField(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([encodeKey(field, WireType.LEN), encodeVarint(payload.byteLength), payload]);
}

export function stringField(field: number, value: string): Uint8Array {
  return lengthDelimitedField(field, new TextEncoder().encode(value));
}
