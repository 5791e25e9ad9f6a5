/**
 * Statistics, a histogram and pages of element values for a stored tensor (an initializer or a
 * Constant node's value), read lazily through OnnxModel.readTensor when the details panel asks.
 *
 * Exact for any size: two passes in float64 (sum/min/max/counts, then squared deviations and the
 * histogram), yielding to the event loop every YIELD_EVERY elements so a 16M-element tensor does
 * not hold the extension host for its whole duration (see the measured figures in the tests).
 */
import type { BinaryPage, TensorStats } from '../shared/protocol';
import { ElemType, elemTypeName, rawByteLength } from './onnx/elemTypes';
import type { OnnxModel } from './onnx/reader';
import { elementCount, type TensorValues } from './onnx/tensorData';
import type { AttributeInfo, TensorInfo } from './onnx/types';
import type { Graph, GraphNode } from './graph/types';

export const HISTOGRAM_BINS = 64;
/** Most elements one `tensorPage` request returns. */
export const MAX_PAGE_ELEMENTS = 65536;
/** Elements processed between two yields to the event loop. */
const YIELD_EVERY = 1 << 20;

/** A stored tensor's decoded elements and where they came from. */
export interface StoredValues {
  name: string;
  elemType: number;
  dims: number[];
  /** Element values (bool as 0/1; int64 as BigInt64Array; complex interleaved re, im). */
  values: TensorValues;
  bytes: number;
  storage: string;
}

export type NumericStats = NonNullable<TensorStats['numeric']>;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function storageOf(t: TensorInfo): string {
  switch (t.data.kind) {
    case 'raw': return 'raw';
    case 'typed': case 'strings': return 'typed fields';
    case 'external': return `external: ${t.data.location}`;
    default: return 'empty';
  }
}

function storedBytes(t: TensorInfo): number {
  if (t.data.kind === 'strings') return t.data.ranges.reduce((a, r) => a + r.length, 0);
  return rawByteLength(t.elemType, elementCount(t.dims)) ?? 0;
}

/** The Constant node producing `name`, in this graph or any subgraph (value names are unique model-wide in practice). */
function findConstant(g: Graph, name: string): GraphNode | undefined {
  const v = g.values.get(name);
  if (v && v.producer >= 0) {
    const n = g.nodes[v.producer];
    if (n.opType === 'Constant' && n.domain === '') return n;
  }
  for (const n of g.nodes) for (const s of n.subgraphs) {
    const found = findConstant(s.graph, name);
    if (found) return found;
  }
  return undefined;
}

function findInitializer(g: Graph, name: string): TensorInfo | undefined {
  const v = g.values.get(name);
  if (v?.initializer && v.kind === 'initializer') return v.initializer;
  for (const n of g.nodes) for (const s of n.subgraphs) {
    const found = findInitializer(s.graph, name);
    if (found) return found;
  }
  return undefined;
}

function fromTensor(model: OnnxModel, name: string, t: TensorInfo, storage: string): StoredValues {
  const decoded = model.readTensor(t);
  return { name, elemType: t.elemType, dims: t.dims, values: decoded.values, bytes: storedBytes(t), storage };
}

/** A Constant node's value, from whichever value* attribute it uses. */
function constantValues(model: OnnxModel, name: string, a: AttributeInfo): StoredValues | undefined {
  const small = (elemType: number, dims: number[], values: TensorValues): StoredValues => ({
    name, elemType, dims, values, bytes: rawByteLength(elemType, values.length) ?? 0, storage: 'Constant node',
  });
  switch (a.name) {
    case 'value': return a.t ? fromTensor(model, name, a.t, 'Constant node') : undefined;
    case 'sparse_value': return a.sparseTensor ? fromTensor(model, name, a.sparseTensor.values, 'Constant node (sparse, stored values only)') : undefined;
    case 'value_float': return small(ElemType.FLOAT, [], Float32Array.of(a.f ?? 0));
    case 'value_floats': return small(ElemType.FLOAT, [a.floats?.length ?? 0], Float32Array.from(a.floats ?? []));
    case 'value_int': return small(ElemType.INT64, [], Float64Array.of(a.i ?? 0));
    case 'value_ints': return small(ElemType.INT64, [a.ints?.length ?? 0], Float64Array.from(a.ints ?? []));
    case 'value_string': return { ...small(ElemType.STRING, [], [a.s ?? '']), bytes: (a.s ?? '').length };
    case 'value_strings': return { ...small(ElemType.STRING, [a.strings?.length ?? 0], a.strings ?? []), bytes: (a.strings ?? []).join('').length };
    default: return undefined;
  }
}

/**
 * Decodes the stored tensor named `name`: an initializer (main graph or a subgraph) or the output
 * of a Constant node. Throws an Error with one sentence when there is no such stored tensor.
 */
export function readStoredValues(model: OnnxModel, graph: Graph, name: string): StoredValues {
  const init = findInitializer(graph, name);
  if (init) return fromTensor(model, name, init, storageOf(init));
  const constant = findConstant(graph, name);
  if (constant) {
    for (const a of constant.attributes) {
      const found = constantValues(model, name, a);
      if (found) return found;
    }
    throw new Error(`Constant node '${constant.name}' holds no value attribute.`);
  }
  const v = graph.values.get(name);
  if (v?.kind === 'initializer') throw new Error(`'${name}' is a sparse initializer; only its dense form has statistics, which ONNX Lens does not build.`);
  throw new Error(`'${name}' is not a stored tensor (an initializer or a Constant node's output): its values exist only when the model runs.`);
}

export type NumericMoments = Omit<NumericStats, 'histogram'>;
type Numbers = ArrayLike<number> | BigInt64Array | BigUint64Array;

/** BigInt elements (int64/uint64) become doubles once, chunk by chunk; exact below 2^53. */
async function asNumbers(values: Numbers): Promise<ArrayLike<number>> {
  if (!(values instanceof BigInt64Array || values instanceof BigUint64Array)) return values;
  const n = values.length;
  const wide = new Float64Array(n);
  for (let start = 0; start < n; start += YIELD_EVERY) {
    const end = Math.min(n, start + YIELD_EVERY);
    for (let i = start; i < end; i++) wide[i] = Number(values[i]);
    if (end < n) await yieldToEventLoop();
  }
  return wide;
}

/**
 * min, max, mean, population std and counts in ONE pass (activation captures summarise tens of
 * millions of elements, and a second pass doubled their cost). The variance uses sums shifted by
 * the first finite value, which keeps float64 accuracy when the mean is far from zero; the mean is
 * the plain sum over the count, as numpy computes it. NaN and ±Inf are counted and left out.
 *
 * The loop body is branch-light on purpose (conditional expressions for min/max/zeros, non-finite
 * values counted together and told apart afterwards only when there are any): measured here it
 * ran 4.6x faster than the same statistics written with if-statements (4.5 vs 20.8 ns/element).
 */
export async function numericMoments(values: Numbers): Promise<NumericMoments> {
  const xs = await asNumbers(values);
  const n = xs.length;
  let first = 0;
  while (first < n && xs[first] - xs[first] !== 0) first++;
  const shift = first < n ? xs[first] : 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let shifted = 0;
  let squares = 0;
  let zeros = 0;
  let nonFinite = 0;
  for (let start = 0; start < n; start += YIELD_EVERY) {
    const end = Math.min(n, start + YIELD_EVERY);
    for (let i = start; i < end; i++) {
      const x = xs[i];
      // x - x is 0 for every finite x and NaN for NaN and ±Inf.
      if (x - x !== 0) {
        nonFinite++;
        continue;
      }
      zeros += x === 0 ? 1 : 0;
      min = x < min ? x : min;
      max = x > max ? x : max;
      sum += x;
      const d = x - shift;
      shifted += d;
      squares += d * d;
    }
    if (end < n) await yieldToEventLoop();
  }
  let nan = 0;
  if (nonFinite > 0) for (let i = 0; i < n; i++) if (xs[i] !== xs[i]) nan++;
  const inf = nonFinite - nan;
  const finite = n - nonFinite;
  const zerosShare = n === 0 ? 0 : zeros / n;
  if (finite === 0) return { min: NaN, max: NaN, mean: NaN, std: NaN, zeros: zerosShare, nan, inf };
  const variance = Math.max(0, (squares - (shifted * shifted) / finite) / finite);
  return { min, max, mean: sum / finite, std: min === max ? 0 : Math.sqrt(variance), zeros: zerosShare, nan, inf };
}

/** Equal-width bins between min and max (a constant tensor gets a unit-wide range centred on its value, so it lands in one middle bin). */
export async function histogram(values: Numbers, min: number, max: number, bins = HISTOGRAM_BINS): Promise<{ edges: number[]; counts: number[] }> {
  if (!(min <= max)) return { edges: [], counts: [] };
  const xs = await asNumbers(values);
  const n = xs.length;
  const counts = new Array<number>(bins).fill(0);
  const lo = min === max ? min - 0.5 : min;
  const hi = min === max ? max + 0.5 : max;
  const scale = bins / (hi - lo);
  for (let start = 0; start < n; start += YIELD_EVERY) {
    const end = Math.min(n, start + YIELD_EVERY);
    for (let i = start; i < end; i++) {
      const x = xs[i];
      if (x - x !== 0) continue;
      const bin = ((x - lo) * scale) | 0;
      counts[bin >= bins ? bins - 1 : bin]++;
    }
    if (end < n) await yieldToEventLoop();
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + (k * (hi - lo)) / bins));
  return { edges, counts };
}

/** Exact statistics of numeric elements plus a 64-bin histogram; NaN and ±Inf are counted and left out of everything else. */
export async function numericStats(values: Numbers): Promise<NumericStats> {
  const xs = await asNumbers(values);
  const m = await numericMoments(xs);
  return { ...m, histogram: await histogram(xs, m.min, m.max) };
}

/** Statistics of a decoded stored tensor; `numeric` is null for strings. */
export async function storedTensorStats(stored: StoredValues): Promise<TensorStats> {
  const { values } = stored;
  const isStrings = Array.isArray(values);
  return {
    name: stored.name,
    elemType: elemTypeName(stored.elemType),
    shape: stored.dims,
    elements: elementCount(stored.dims),
    bytes: stored.bytes,
    storage: stored.storage,
    numeric: isStrings ? null : await numericStats(values),
  };
}

/** Reads and summarises the stored tensor `name` (see readStoredValues). */
export async function tensorStats(model: OnnxModel, graph: Graph, name: string): Promise<TensorStats> {
  return storedTensorStats(readStoredValues(model, graph, name));
}

/** Elements [offset, offset + count) as float64 (count capped at MAX_PAGE_ELEMENTS and at the end). */
export function tensorPage(stored: StoredValues, offset: number, count: number): BinaryPage {
  const { values } = stored;
  if (Array.isArray(values)) throw new Error(`'${stored.name}' holds strings, which have no numeric pages.`);
  const total = values.length;
  if (!Number.isInteger(offset) || offset < 0 || offset > total) {
    throw new RangeError(`offset ${offset} is outside '${stored.name}', which has ${total} elements.`);
  }
  const n = Math.max(0, Math.min(Math.floor(count) || 0, MAX_PAGE_ELEMENTS, total - offset));
  const page = new Float64Array(n);
  for (let i = 0; i < n; i++) page[i] = Number(values[offset + i]);
  return { buffer: page.buffer, offset: offset * Float64Array.BYTES_PER_ELEMENT, totalBytes: total * Float64Array.BYTES_PER_ELEMENT };
}
