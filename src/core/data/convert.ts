/** Conversions between the typed arrays data files hold and the float32 features batches carry. */
import { arrayCtor, type DtypeArrays, type TensorArray } from './ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';

/**
 * Writes `src` as float32 into `out` at `offset`. TypedArray#set converts numbers natively; 64-bit
 * integers need a loop (set refuses to mix bigint and number). Integers beyond 2^24 lose precision
 * in float32, as they would in any float32 model input.
 */
export function writeFloat32(src: TensorArray, out: Float32Array, offset: number): void {
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    for (let i = 0; i < src.length; i++) out[offset + i] = Number(src[i]);
  } else {
    out.set(src, offset);
  }
}

/**
 * Float32 features as a model input's element type. Integer types truncate toward zero (dataset
 * values for them are whole numbers anyway); float16 stays Float32Array, as NdArray holds it.
 */
export function fromFloat32<D extends NumericDtype>(src: Float32Array, dtype: D): DtypeArrays[D] {
  if (dtype === 'float32' || dtype === 'float16') return src as DtypeArrays[D];
  const Ctor = arrayCtor(dtype);
  const out = new Ctor(src.length);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < src.length; i++) out[i] = BigInt(Math.trunc(src[i]));
  } else if (dtype === 'bool') {
    for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else {
    out.set(src);
  }
  return out as DtypeArrays[D];
}
