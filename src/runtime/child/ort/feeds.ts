/**
 * The one conversion between the project's arrays and ORT tensors, both ways (run, bench, profile,
 * evaluate and quantize feed through here), and the batch dimension of a benchmark configuration.
 */
import type * as ort from 'onnxruntime-node';
import { loadOnnxRuntime } from './onnxruntime';
import { encodeFloat16 } from '../../../core/data/float16';
import { elementCount, type NdArray } from '../../../core/data/ndarray';
import { float16ToFloat32 } from '../../../core/onnx/floatFormats';
import type { NumericDtype } from '../../../shared/tensorTypes';
import type { AnyArray } from '../../../core/data/npyStrings';
import type { InputSpec, IoSignature } from '../../../shared/runtimeTypes';

export function toOrtTensor(a: AnyArray): ort.Tensor {
  if (a.dtype === 'string') return new (loadOnnxRuntime().Tensor)('string', a.data, a.shape);
  // ORT's float16 tensors take the raw half-precision bits; ndarrays hold float16 decoded.
  const data = a.dtype === 'float16' ? encodeFloat16(a.data as Float32Array) : a.data;
  return new (loadOnnxRuntime().Tensor)(a.dtype as ort.Tensor.Type, data as ort.Tensor.DataType, a.shape);
}

export function toFeeds(inputs: ReadonlyMap<string, AnyArray>): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, a] of inputs) feeds[name] = toOrtTensor(a);
  return feeds;
}

/** A numeric ORT tensor as an ndarray (float16 decoded to Float32Array, as the data readers hold it). */
export function fromOrtTensor(t: ort.Tensor): NdArray {
  const shape = [...t.dims];
  if (t.type === 'float16') return { dtype: 'float16', shape, data: Float32Array.from(t.data as Uint16Array, float16ToFloat32) };
  return { dtype: t.type as NumericDtype, shape, data: t.data as NdArray['data'] };
}

/** True when the input's leading dimension is symbolic (a batch the user may choose). */
export function hasSymbolicBatch(sig: IoSignature): boolean {
  return sig.dims.length > 0 && typeof sig.dims[0] !== 'number';
}

/** Specs with the symbolic batch dim of generated inputs set to `batch`. */
export function withBatch(specs: readonly InputSpec[], signature: readonly IoSignature[], batch: number): InputSpec[] {
  return specs.map((s) => {
    const sig = signature.find((x) => x.name === s.name);
    if (!sig || !hasSymbolicBatch(sig) || s.dims.length === 0) return s;
    return { ...s, dims: [batch, ...s.dims.slice(1)] };
  });
}

/** A loaded array repeated along its leading dim to `batch` samples (file inputs in a batch sweep). */
export function tileBatch<A extends AnyArray>(a: A, batch: number): A {
  if (a.shape.length === 0 || a.shape[0] === batch) return a;
  const per = elementCount(a.shape.slice(1));
  if (a.dtype === 'string') {
    const data = Array.from({ length: per * batch }, (_, i) => (a.data as string[])[(Math.floor(i / per) % a.shape[0]) * per + (i % per)]);
    return { ...a, shape: [batch, ...a.shape.slice(1)], data };
  }
  const out = new (a.data.constructor as { new (n: number): NdArray['data'] })(per * batch);
  const have = a.shape[0];
  for (let b = 0; b < batch; b++) {
    const from = (b % have) * per;
    (out as Float32Array).set((a.data as Float32Array).subarray(from, from + per), b * per);
  }
  return { ...a, shape: [batch, ...a.shape.slice(1)], data: out } as NdArray as A;
}
