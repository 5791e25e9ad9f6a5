/**
 * Turning a TensorInfo's recorded byte ranges into element values, only when asked.
 */
import { OnnxLensError, TensorDataError } from '../errors';
import type { ByteSource } from './byteSource';
import { ElemType, elemTypeName, rawByteLength } from './elemTypes';
import { readExternalTensor } from './externalData';
import { bfloat16ToFloat32, float16ToFloat32, float4e2m1ToFloat32, float8e8m0ToFloat32, float8ToFloat32 } from './floatFormats';
import type { TensorInfo } from './types';
import { Cursor } from './wire';

export type TensorValues =
  | Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
  | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | string[];

export interface DecodedTensor {
  name: string;
  elemType: number;
  dims: number[];
  /** Element values; small floats (float16, bfloat16, float8, float4) are widened to Float32Array,
   *  complex numbers are interleaved (re, im), 4-bit integers become one element per byte. */
  values: TensorValues;
}

export interface TensorContext {
  file: string;
  dir: string | undefined;
  source: ByteSource;
}

export function elementCount(dims: number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Raw little-endian bytes of a tensor stored in raw_data or externally (typed fields: undefined), as a fresh copy the caller owns. */
export function rawTensorBytes(ctx: TensorContext, t: TensorInfo): Uint8Array | undefined {
  const d = t.data;
  // A copy in one memcpy (Uint8Array.from iterates element by element; Buffer#slice does not copy at all).
  if (d.kind === 'raw') return new Uint8Array(ctx.source.read(d.range.offset, d.range.length));
  if (d.kind === 'external') return readExternalTensor(ctx.file, ctx.dir, t);
  return undefined;
}

export function decodeTensor(ctx: TensorContext, t: TensorInfo): DecodedTensor {
  const count = elementCount(t.dims);
  const fail = (why: string) => new TensorDataError(ctx.file, `tensor '${t.name}' (${elemTypeName(t.elemType)} ${JSON.stringify(t.dims)}) ${why}`);
  try {
    const d = t.data;
    if (d.kind === 'empty') {
      if (count !== 0) throw fail('has no data');
      return { name: t.name, elemType: t.elemType, dims: t.dims, values: fromRaw(t.elemType, new Uint8Array(0), 0) };
    }
    if (d.kind === 'strings') {
      const values = d.ranges.map((r) => new TextDecoder().decode(ctx.source.read(r.offset, r.length)));
      if (values.length !== count) throw fail(`holds ${values.length} strings but its shape needs ${count}`);
      return { name: t.name, elemType: t.elemType, dims: t.dims, values };
    }
    if (d.kind === 'typed') return { name: t.name, elemType: t.elemType, dims: t.dims, values: fromTyped(ctx, t, count, fail) };
    const bytes = rawTensorBytes(ctx, t) ?? new Uint8Array(0);
    const expected = rawByteLength(t.elemType, count);
    if (expected === undefined) throw fail('has an element type that cannot be stored as raw bytes');
    if (bytes.length !== expected) throw fail(`holds ${bytes.length} bytes but its shape needs ${expected}`);
    return { name: t.name, elemType: t.elemType, dims: t.dims, values: fromRaw(t.elemType, bytes, count) };
  } catch (err) {
    if (err instanceof OnnxLensError) throw err;
    throw fail(`could not be decoded: ${(err as Error).message}`);
  }
}

/** Elements of `count` values stored little-endian in `bytes` (raw_data layout). */
export function fromRaw(type: number, bytes: Uint8Array, count: number): TensorValues {
  // Typed views need an aligned buffer of their own. rawTensorBytes already hands over a fresh
  // copy, so use it as is; anything else is copied (new Uint8Array copies even from a Buffer,
  // whose slice() would be a view).
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buf = owned ? bytes.buffer : new Uint8Array(bytes).buffer;
  switch (type) {
    case ElemType.FLOAT: return new Float32Array(buf);
    case ElemType.DOUBLE: return new Float64Array(buf);
    case ElemType.COMPLEX64: return new Float32Array(buf);
    case ElemType.COMPLEX128: return new Float64Array(buf);
    case ElemType.INT8: return new Int8Array(buf);
    case ElemType.UINT8: case ElemType.BOOL: return new Uint8Array(buf);
    case ElemType.INT16: return new Int16Array(buf);
    case ElemType.UINT16: return new Uint16Array(buf);
    case ElemType.INT32: return new Int32Array(buf);
    case ElemType.UINT32: return new Uint32Array(buf);
    case ElemType.INT64: return new BigInt64Array(buf);
    case ElemType.UINT64: return new BigUint64Array(buf);
    case ElemType.FLOAT16: return mapWords(new Uint16Array(buf), float16ToFloat32);
    case ElemType.BFLOAT16: return mapWords(new Uint16Array(buf), bfloat16ToFloat32);
    default: return fromSubWord(type, new Uint8Array(buf), count);
  }
}

/** float8, float4 and 4-bit integers, one stored byte (or nibble) per element. */
function fromSubWord(type: number, bytes: Uint8Array, count: number): TensorValues {
  switch (type) {
    case ElemType.FLOAT8E4M3FN: return mapWords(bytes, (v) => float8ToFloat32(v, 'e4m3fn'));
    case ElemType.FLOAT8E4M3FNUZ: return mapWords(bytes, (v) => float8ToFloat32(v, 'e4m3fnuz'));
    case ElemType.FLOAT8E5M2: return mapWords(bytes, (v) => float8ToFloat32(v, 'e5m2'));
    case ElemType.FLOAT8E5M2FNUZ: return mapWords(bytes, (v) => float8ToFloat32(v, 'e5m2fnuz'));
    case ElemType.FLOAT8E8M0: return mapWords(bytes, float8e8m0ToFloat32);
    case ElemType.INT4: return unpackNibbles(bytes, count, new Int8Array(count), (n) => (n & 0x8 ? n - 16 : n));
    case ElemType.UINT4: return unpackNibbles(bytes, count, new Uint8Array(count), (n) => n);
    case ElemType.FLOAT4E2M1: return unpackNibbles(bytes, count, new Float32Array(count), float4e2m1ToFloat32);
    default: throw new Error(`unsupported element type ${elemTypeName(type)}`);
  }
}

function mapWords(words: Uint8Array | Uint16Array, f: (v: number) => number): Float32Array {
  const out = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = f(words[i]);
  return out;
}

/** ONNX packs two 4-bit elements per byte, the first in the low nibble. */
function unpackNibbles<T extends Int8Array | Uint8Array | Float32Array>(bytes: Uint8Array, count: number, out: T, f: (n: number) => number): T {
  for (let i = 0; i < count; i++) {
    const b = bytes[i >> 1] ?? 0;
    out[i] = f(i & 1 ? b >> 4 : b & 0xf);
  }
  return out;
}

/** Typed repeated fields: float_data (fixed32), double_data (fixed64), int32/int64/uint64_data (varints). */
function fromTyped(ctx: TensorContext, t: TensorInfo, count: number, fail: (why: string) => Error): TensorValues {
  if (t.data.kind !== 'typed') throw fail('is not stored in typed fields');
  const { field, ranges } = t.data;
  const c = new Cursor(ctx.source);
  const scalars: number[] = [];
  const bigs: bigint[] = [];
  const wide = field === 'int64_data' || field === 'uint64_data';
  for (const r of ranges) {
    c.pos = r.offset;
    const end = r.offset + r.length;
    while (c.pos < end) {
      if (field === 'float_data') scalars.push(c.fixed32(end));
      else if (field === 'double_data') scalars.push(c.fixed64(end));
      else if (wide) bigs.push(c.varintBig(end));
      else scalars.push(c.varint(end));
    }
  }
  const type = t.elemType;
  if (field === 'int32_data' && [ElemType.INT4, ElemType.UINT4, ElemType.FLOAT4E2M1].includes(type as 21)) {
    // int32_data holds one packed byte (two 4-bit elements) per entry.
    if (scalars.length !== Math.ceil(count / 2)) throw fail(`holds ${scalars.length} packed values but its shape needs ${Math.ceil(count / 2)}`);
    return fromSubWord(type, Uint8Array.from(scalars), count);
  }
  const n = wide ? bigs.length : scalars.length;
  const perElement = type === ElemType.COMPLEX64 || type === ElemType.COMPLEX128 ? 2 : 1;
  if (n !== count * perElement) throw fail(`holds ${n} values but its shape needs ${count * perElement}`);
  switch (type) {
    case ElemType.FLOAT: case ElemType.COMPLEX64: return Float32Array.from(scalars);
    case ElemType.DOUBLE: case ElemType.COMPLEX128: return Float64Array.from(scalars);
    case ElemType.INT64: return BigInt64Array.from(bigs);
    case ElemType.UINT64: return BigUint64Array.from(bigs.map((b) => BigInt.asUintN(64, b)));
    case ElemType.UINT32: return Uint32Array.from(bigs.map(Number));
    case ElemType.INT32: return Int32Array.from(scalars);
    case ElemType.INT16: return Int16Array.from(scalars);
    case ElemType.UINT16: return Uint16Array.from(scalars);
    case ElemType.INT8: return Int8Array.from(scalars);
    case ElemType.UINT8: case ElemType.BOOL: return Uint8Array.from(scalars);
    case ElemType.FLOAT16: return mapWords(Uint16Array.from(scalars), float16ToFloat32);
    case ElemType.BFLOAT16: return mapWords(Uint16Array.from(scalars), bfloat16ToFloat32);
    default: return fromSubWord(type, Uint8Array.from(scalars), count);
  }
}

/** Small tensors as plain numbers (for constant folding); null when larger than `max` or unreadable. */
export function tensorToNumbers(ctx: TensorContext, t: TensorInfo, max: number): number[] | null {
  if (elementCount(t.dims) > max || t.elemType === ElemType.STRING) return null;
  try {
    const v = decodeTensor(ctx, t).values;
    return Array.from(v as ArrayLike<number | bigint>, (x) => Number(x));
  } catch {
    return null;
  }
}
