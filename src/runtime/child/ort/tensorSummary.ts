/** Summaries of tensors a run fed or produced: statistics, a histogram, the first values, top-k. */
import type { LabelLookup } from '../../../core/modelLabels';
import { float16ToFloat32 } from '../../../core/onnx/floatFormats';
import { numericMoments, numericStats } from '../../../core/tensorStats';
import type { TensorSummary } from '../../../shared/runtimeTypes';

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

/** The class axis of a classifier-like output ([N, C], [C], or [N, C, 1, 1] from a 1×1-conv head), or undefined. */
export function classCountOf(allDims: readonly (number | string | null)[]): number | undefined {
  const dims = [...allDims];
  while (dims.length > 2 && dims[dims.length - 1] === 1) dims.pop();
  const classes = dims[dims.length - 1];
  if (typeof classes !== 'number') return undefined;
  const rows = dims.length === 2 ? dims[0] : 1;
  const classifierLike = (dims.length === 1 || (dims.length === 2 && (typeof rows !== 'number' || rows >= 1))) && classes > 1 && classes <= MAX_CLASSES;
  return classifierLike ? classes : undefined;
}

function topK(values: ArrayLike<number>, dims: readonly number[], labelsFor: SummaryOptions['labelsFor']): Pick<TensorSummary, 'topK' | 'labelSource' | 'labelNote'> {
  const classes = classCountOf(dims);
  if (classes === undefined || values.length < classes) return {};
  const order = Array.from({ length: classes }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const lookup = labelsFor?.(classes);
  const labels = lookup?.found?.labels;
  return {
    topK: order.slice(0, Math.min(TOP_K, classes)).map((index) => ({
      index,
      score: values[index],
      ...(labels?.[index] !== undefined ? { label: labels[index] } : {}),
    })),
    ...(lookup?.found ? { labelSource: lookup.found.source } : {}),
    ...(lookup?.note ? { labelNote: lookup.note } : {}),
  };
}

export interface SummaryOptions {
  /** Look for top-k scores (model outputs). */
  scores?: boolean;
  /** Class names for top-k of an output with this many classes (a list of another length is not applied). */
  labelsFor?: (classes: number) => LabelLookup;
  /** Leave out the histogram (a second pass over the data). */
  momentsOnly?: boolean;
}

export async function summarizeTensor(name: string, t: RuntimeTensor, { scores = false, labelsFor, momentsOnly = false }: SummaryOptions = {}): Promise<TensorSummary> {
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
    ...(scores && isFloat && values ? topK(values as ArrayLike<number>, t.dims, labelsFor) : {}),
  };
}
