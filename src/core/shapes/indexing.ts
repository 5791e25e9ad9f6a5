/**
 * Indexing ops: Slice, Gather*, Scatter*, TopK, and ops whose output size depends on data
 * (NonZero, NonMaxSuppression, Compress, Unique: those dims are null, honestly).
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { dimSub, isKnown, normAxis, safeDim } from './dims';
import { registerShape } from './registry';

const INT64 = ElemType.INT64;

export interface SliceParams {
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
}

/** Slice parameters from attributes (opset < 10) or constant inputs; null when not folded. */
export function sliceParams(ctx: NodeContext, rank: number): SliceParams | null {
  let starts: number[] | null;
  let ends: number[] | null;
  let axes: number[] | null;
  let steps: number[] | null = null;
  if (ctx.opset < 10) {
    starts = ctx.attrInts('starts');
    ends = ctx.attrInts('ends');
    axes = ctx.attrInts('axes');
  } else {
    starts = ctx.inputInts(1);
    ends = ctx.inputInts(2);
    axes = ctx.has(3) ? ctx.inputInts(3) : null;
    steps = ctx.has(4) ? ctx.inputInts(4) : null;
    if ((ctx.has(3) && !axes) || (ctx.has(4) && !steps)) return null;
  }
  if (!starts || !ends || starts.length !== ends.length) return null;
  axes = axes ?? starts.map((_, i) => i);
  steps = steps ?? starts.map(() => 1);
  if (axes.length !== starts.length || steps.length !== starts.length || steps.some((s) => s === 0)) return null;
  const norm = axes.map((a) => normAxis(a, rank));
  if (norm.some((a) => a === null)) return null;
  return { starts, ends, axes: norm as number[], steps };
}

/** Clamped [start, end) and count along one axis of known size, per the Slice spec. */
export function sliceRange(dim: number, start: number, end: number, step: number): { start: number; count: number } {
  const fix = (v: number) => (v < 0 ? v + dim : v);
  let s = fix(start);
  let e = fix(end);
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
}

// ends beyond this are "to the end" (exporters write INT64_MAX or INT32_MAX).
const TO_END = 2 ** 31 - 1;

function slicedDim(d: Dim, start: number, end: number, step: number): Dim {
  if (isKnown(d)) return sliceRange(d, start, end, step).count;
  if (d === null || step !== 1 || start < 0 || end < TO_END) return null;
  return dimSub(d, start);
}

registerShape('', ['Slice'], (ctx) => {
  const s = ctx.shape(0);
  if (!s) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const p = sliceParams(ctx, s.length);
  if (!p) {
    const touched = ctx.opset >= 10 && ctx.has(3) ? ctx.inputInts(3) : null;
    // Unknown bounds: sliced axes become unknown; if we do not know which axes, all do.
    const axes = touched ? new Set(touched.map((a) => normAxis(a, s.length))) : null;
    ctx.setOutput(0, tensor(ctx.elem(0), s.map((d, i) => (axes && !axes.has(i) ? d : null))));
    return;
  }
  const out = s.slice();
  p.axes.forEach((a, i) => (out[a] = slicedDim(s[a], p.starts[i], p.ends[i], p.steps[i])));
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

registerShape('', ['Gather'], (ctx) => {
  const data = ctx.shape(0);
  const idx = ctx.shape(1);
  if (!data || !idx) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const axis = normAxis(ctx.attrInt('axis', 0), data.length);
  if (axis === null) ctx.warn('axis out of range');
  ctx.setOutput(0, tensor(ctx.elem(0), axis === null ? null : [...data.slice(0, axis), ...idx, ...data.slice(axis + 1)]));
});

registerShape('', ['GatherElements'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(1)));
});

registerShape('', ['GatherND'], (ctx) => {
  const data = ctx.shape(0);
  const idx = ctx.shape(1);
  const b = ctx.attrInt('batch_dims', 0);
  const last = idx?.[idx.length - 1];
  if (!data || !idx || idx.length < 1 || !isKnown(last ?? null) || b < 0 || b + (last as number) > data.length) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  ctx.setOutput(0, tensor(ctx.elem(0), [...idx.slice(0, -1), ...data.slice(b + (last as number))]));
});

registerShape('', ['ScatterND', 'ScatterElements', 'Scatter'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
});

registerShape('', ['TopK'], (ctx) => {
  const s = ctx.shape(0);
  const k = ctx.opset >= 10 ? ctx.inputInts(1)?.[0] : ctx.attrInt('k', null);
  let out: Dim[] | null = null;
  if (s) {
    const axis = normAxis(ctx.attrInt('axis', -1), s.length);
    if (axis !== null) out = s.map((d, i) => (i === axis ? (k === undefined || k === null ? null : safeDim(k)) : d));
  }
  ctx.setOutput(0, tensor(ctx.elem(0), out));
  ctx.setOutput(1, tensor(INT64, out));
});

registerShape('', ['NonZero'], (ctx) => {
  ctx.setOutput(0, tensor(INT64, [ctx.rank(0), null]));
});

registerShape('', ['NonMaxSuppression'], (ctx) => {
  ctx.setOutput(0, tensor(INT64, [null, 3]));
});

registerShape('', ['Compress'], (ctx) => {
  const s = ctx.shape(0);
  const a = ctx.attrInt('axis', null);
  if (a === null || !s) {
    ctx.setOutput(0, tensor(ctx.elem(0), a === null ? [null] : null));
    return;
  }
  const axis = normAxis(a, s.length);
  ctx.setOutput(0, tensor(ctx.elem(0), axis === null ? null : s.map((d, i) => (i === axis ? null : d))));
});

registerShape('', ['Unique'], (ctx) => {
  const s = ctx.shape(0);
  const a = ctx.attrInt('axis', null);
  const axis = a !== null && s ? normAxis(a, s.length) : null;
  ctx.setOutput(0, tensor(ctx.elem(0), a === null ? [null] : s && axis !== null ? s.map((d, i) => (i === axis ? null : d)) : null));
  ctx.setOutput(1, tensor(INT64, [null]));
  ctx.setOutput(2, tensor(INT64, [a === null ? (s ? s.reduce<Dim>((p, d) => (isKnown(p) && isKnown(d) ? p * d : null), 1) : null) : (axis !== null && s ? s[axis] : null)]));
  ctx.setOutput(3, tensor(INT64, [null]));
});
