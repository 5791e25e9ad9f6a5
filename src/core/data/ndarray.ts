/**
 * The in-memory n-dimensional array every reader (.npy, .npz, JSON, IDX) returns. Element type
 * names are the project's (see core/onnx/elemTypes.ts), so a value can be matched against a
 * model input's `elemType` directly.
 */
import type { NumericDtype } from '../../shared/tensorTypes';

/** Which typed array holds each dtype. float16 is decoded to Float32Array; bool is 0/1 bytes. */
export interface DtypeArrays {
  float16: Float32Array;
  float32: Float32Array;
  float64: Float64Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  bool: Uint8Array;
}

export type TensorArray = DtypeArrays[NumericDtype];

/** A C-order (row-major) array. `data.length` is the product of `shape` (1 for a scalar, shape []). */
export interface NdArray<D extends NumericDtype = NumericDtype> {
  dtype: D;
  shape: number[];
  data: DtypeArrays[D];
}

/** Storage bytes per element in files (float16 is 2 even though it is decoded to 4). */
export const DTYPE_BYTES: Record<NumericDtype, number> = {
  float16: 2, float32: 4, float64: 8,
  int8: 1, int16: 2, int32: 4, int64: 8,
  uint8: 1, uint16: 2, uint32: 4, uint64: 8,
  bool: 1,
};

type ArrayCtor = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TensorArray; new (length: number): TensorArray; BYTES_PER_ELEMENT: number };

const CTORS: Record<NumericDtype, ArrayCtor> = {
  float16: Float32Array, float32: Float32Array, float64: Float64Array,
  int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  bool: Uint8Array,
};

/** The typed-array constructor that holds `dtype` in memory. */
export function arrayCtor<D extends NumericDtype>(dtype: D): ArrayCtor & { new (length: number): DtypeArrays[D] } {
  return CTORS[dtype] as ArrayCtor & { new (length: number): DtypeArrays[D] };
}

export function isNumericDtype(name: string): name is NumericDtype {
  return Object.hasOwn(DTYPE_BYTES, name);
}

/** Number of elements of `shape`; 1 for a scalar. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
