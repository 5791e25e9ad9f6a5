/** Summaries of tensors a run fed or produced: statistics, a histogram, the first values, top-k. */
import { float16ToFloat32 } from '../../core/onnx/floatFormats';
import { numericMoments, numericStats } from '../../core/tensorStats';
import type { TensorSummary } from '../types';

/** A tensor as the runtime holds it between runs (ORT's Tensor has this shape too). */
export interface RuntimeTensor {
  type: string;
  dims: readonly number[];
  data: ArrayLike<number> | BigInt64Array | BigUint64Array | readonly string[];
}

const HEAD = 16;
const TOP_K = 5;
/** Beyond this many classes a "class score" reading of the last axis is implausible. */
const MAX_CLASSES = 100_000;

/** Element values as numbers ORT returned them: float16 arrives as raw bits. */
export function numericView(t: RuntimeTensor): ArrayLike<number> | BigInt64Array | BigUint64Array | null {
  if (Array.isArray(t.data) || t.type === 'string') return null;
  if (t.type === 'float16' && t.data instanceof Uint16Array) {
    const out = new Float32Array(t.data.length);
    for (let i = 0; i < out.length; i++) out[i] = float16ToFloat32(t.data[i]);
    return out;
  }
  return t.data as ArrayLike<number> | BigInt64Array | BigUint64Array;
}

function topK(values: ArrayLike<number>, allDims: readonly number[], labels: readonly string[] | undefined): TensorSummary['topK'] {
  // A 1×1-conv head gives [N, C, 1, 1]: the trailing ones say nothing about classes.
  const dims = [...allDims];
  while (dims.length > 2 && dims[dims.length - 1] === 1) dims.pop();
  const classes = dims[dims.length - 1];
  const classifierLike = (dims.length === 1 || (dims.length === 2 && dims[0] >= 1)) && classes > 1 && classes <= MAX_CLASSES;
  if (!classifierLike || values.length < classes) return undefined;
  const order = Array.from({ length: classes }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  return order.slice(0, Math.min(TOP_K, classes)).map((index) => ({
    index,
    score: values[index],
    ...(labels?.[index] !== undefined ? { label: labels[index] } : {}),
  }));
}

export interface SummaryOptions {
  /** Look for top-k scores (model outputs). */
  scores?: boolean;
  /** Class names for top-k, when known. */
  labels?: readonly string[];
  /** Leave out the histogram (a second pass over the data). */
  momentsOnly?: boolean;
}

export async function summarizeTensor(name: string, t: RuntimeTensor, { scores = false, labels, momentsOnly = false }: SummaryOptions = {}): Promise<TensorSummary> {
  const values = numericView(t);
  const head: (number | string)[] = [];
  const n = t.data.length;
  for (let i = 0; i < Math.min(HEAD, n); i++) {
    const v = values ? values[i] : (t.data as readonly string[])[i];
    head.push(typeof v === 'bigint' ? Number(v) : v);
  }
  const isFloat = t.type === 'float32' || t.type === 'float64' || t.type === 'float16';
  return {
    name,
    elemType: t.type,
    dims: [...t.dims],
    elements: n,
    numeric: values ? await (momentsOnly ? numericMoments(values) : numericStats(values)) : null,
    head,
    ...(scores && isFloat && values ? { topK: topK(values as ArrayLike<number>, t.dims, labels) } : {}),
  };
}
