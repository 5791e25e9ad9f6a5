/**
 * Shape-manipulating ops: Reshape, Flatten, Transpose, Concat, Split, Squeeze/Unsqueeze,
 * Shape/Size/Constant/ConstantOfShape (the sources of folded shape vectors), Expand, Tile,
 * Range, EyeLike, OneHot.
 */
import { ElemType } from '../onnx/elemTypes';
import type { TensorInfo } from '../onnx/types';
import type { Dim } from '../../shared/tensorTypes';
import { MAX_FOLD_ELEMENTS, NodeContext, elementCount, tensor, type SymValue } from './context';
import { broadcastShapes, dimAdd, dimDiv, dimMul, dimProduct, isKnown, normAxis, safeDim } from './dims';
import { registerShape } from './registry';

const INT64 = ElemType.INT64;

/** Shape of a 1-D tensor input whose values are unknown: rank = its length, dims unknown. */
function unknownDimsOfLength(ctx: NodeContext, i: number): Dim[] | null {
  const s = ctx.shape(i);
  if (s && s.length === 1 && isKnown(s[0]) && s[0] <= 64) return new Array<Dim>(s[0]).fill(null);
  return null;
}

registerShape('', ['Reshape'], (ctx) => {
  const elem = ctx.elem(0);
  const target = ctx.opset < 5 ? ctx.attrInts('shape') : ctx.inputDims(1);
  if (!target) {
    ctx.setOutput(0, tensor(elem, unknownDimsOfLength(ctx, 1)));
    return;
  }
  const input = ctx.shape(0);
  const allowZero = ctx.attrInt('allowzero', 0) === 1;
  const out: Dim[] = [];
  let inferAt = -1;
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    if (t === 0 && !allowZero) out.push(input && i < input.length ? input[i] : null);
    else if (t === -1) {
      if (inferAt >= 0) ctx.warn('more than one -1 in the target shape');
      inferAt = i;
      out.push(null);
    } else out.push(typeof t === 'number' && t < 0 ? null : t);
  }
  if (inferAt >= 0 && input) {
    const rest = out.filter((_, i) => i !== inferAt);
    out[inferAt] = dimDiv(dimProduct(input), dimProduct(rest));
  }
  ctx.setOutput(0, tensor(elem, out));
});

registerShape('', ['Flatten'], (ctx) => {
  const s = ctx.shape(0);
  if (!s) {
    ctx.setOutput(0, tensor(ctx.elem(0), [null, null]));
    return;
  }
  const raw = ctx.attrInt('axis', 1);
  const axis = raw < 0 ? raw + s.length : raw;
  if (axis < 0 || axis > s.length) {
    ctx.warn(`axis ${raw} out of range for rank ${s.length}`);
    ctx.setOutput(0, tensor(ctx.elem(0), [null, null]));
    return;
  }
  ctx.setOutput(0, tensor(ctx.elem(0), [dimProduct(s.slice(0, axis)), dimProduct(s.slice(axis))]));
});

registerShape('', ['Transpose'], (ctx) => {
  const s = ctx.shape(0);
  if (!s) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const perm = ctx.attrInts('perm') ?? s.map((_, i) => s.length - 1 - i);
  const valid = perm.length === s.length && new Set(perm.map((p) => normAxis(p, s.length))).size === s.length
    && perm.every((p) => normAxis(p, s.length) !== null);
  if (!valid) ctx.warn(`perm ${JSON.stringify(perm)} is not a permutation of rank ${s.length}`);
  ctx.setOutput(0, tensor(ctx.elem(0), valid ? perm.map((p) => s[normAxis(p, s.length)!]) : null));
});

/** Two dims that must be equal; keep whichever is more specific. */
export function mergeDim(a: Dim, b: Dim): Dim {
  if (isKnown(a)) return a;
  if (isKnown(b)) return b;
  return a ?? b;
}

registerShape('', ['Concat'], (ctx) => {
  const shapes = ctx.node.info.inputs.map((_, i) => (ctx.has(i) ? ctx.shape(i) : undefined)).filter((s) => s !== undefined);
  const elem = ctx.node.info.inputs.map((_, i) => ctx.elem(i)).find((e) => e) ?? 0;
  const known = shapes.filter((s): s is Dim[] => s !== null);
  if (known.length === 0) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const rank = known[0].length;
  const axis = normAxis(ctx.attrInt('axis', 0), rank);
  if (axis === null || known.some((s) => s.length !== rank)) {
    ctx.warn('inputs disagree in rank or axis is out of range');
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const out: Dim[] = known[0].map((_, i) => (i === axis ? 0 : null));
  for (const s of known) for (let i = 0; i < rank; i++) out[i] = i === axis ? dimAdd(out[i], s[i]) : mergeDim(out[i], s[i]);
  if (known.length !== shapes.length) out[axis] = null;
  ctx.setOutput(0, tensor(elem, out));
});

registerShape('', ['Split'], (ctx) => {
  const s = ctx.shape(0);
  const elem = ctx.elem(0);
  const n = ctx.numOutputs;
  const setAll = (dims: (Dim[] | null)[]) => dims.forEach((d, i) => ctx.setOutput(i, tensor(elem, d)));
  if (!s) return setAll(new Array(n).fill(null));
  const axis = normAxis(ctx.attrInt('axis', 0), s.length);
  if (axis === null) {
    ctx.warn('axis out of range');
    return setAll(new Array(n).fill(null));
  }
  const withDim = (d: Dim) => s.map((x, i) => (i === axis ? d : x));
  const sizes = ctx.opset >= 13 ? (ctx.has(1) ? ctx.inputInts(1) : null) : ctx.attrInts('split');
  if (sizes && sizes.length > 0) {
    if (sizes.length !== n) ctx.warn(`split has ${sizes.length} parts for ${n} outputs`);
    return setAll(new Array(n).fill(0).map((_, i) => withDim(i < sizes.length ? safeDim(sizes[i]) : null)));
  }
  if (ctx.opset >= 13 && ctx.has(1)) return setAll(new Array(n).fill(0).map(() => withDim(null)));
  const total = s[axis];
  if (!isKnown(total)) return setAll(new Array(n).fill(0).map(() => withDim(dimDiv(total, n))));
  // Equal parts; opset 18's num_outputs allows a smaller last chunk of size total - (n-1)*ceil(total/n).
  const chunk = total % n === 0 ? total / n : Math.ceil(total / n);
  if (total % n !== 0 && ctx.attr('num_outputs') === undefined) ctx.warn(`${total} does not split evenly into ${n}`);
  setAll(new Array(n).fill(0).map((_, i) => withDim(i < n - 1 ? chunk : Math.max(0, total - chunk * (n - 1)))));
});

registerShape('', ['Squeeze'], (ctx) => {
  const s = ctx.shape(0);
  const axes = ctx.axes(1, 13);
  if (!s || axes === 'unknown') {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  if (!axes || axes.length === 0) {
    // Without axes every size-1 dim goes; a symbolic dim might be 1, so the rank is unknown then.
    const unsure = s.some((d) => !isKnown(d));
    ctx.setOutput(0, tensor(ctx.elem(0), unsure ? null : s.filter((d) => d !== 1)));
    return;
  }
  const drop = new Set(axes.map((a) => normAxis(a, s.length)));
  if (drop.has(null)) ctx.warn('axes out of range');
  ctx.setOutput(0, tensor(ctx.elem(0), drop.has(null) ? null : s.filter((_, i) => !drop.has(i))));
});

registerShape('', ['Unsqueeze'], (ctx) => {
  const s = ctx.shape(0);
  const axes = ctx.axes(1, 13);
  if (!s || axes === 'unknown' || !axes) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const rank = s.length + axes.length;
  const ins = new Set(axes.map((a) => normAxis(a, rank)));
  if (ins.has(null) || ins.size !== axes.length) {
    ctx.warn('axes out of range or repeated');
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const out: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(ins.has(i) ? 1 : s[j++]);
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

registerShape('', ['Shape'], (ctx) => {
  const s = ctx.shape(0);
  if (!s) {
    ctx.setOutput(0, tensor(INT64, [null]));
    return;
  }
  // start/end (opset 15) clamp like Python slicing.
  const clamp = (v: number) => Math.min(s.length, Math.max(0, v < 0 ? v + s.length : v));
  const start = clamp(ctx.attrInt('start', 0));
  const end = clamp(ctx.attrInt('end', s.length));
  const dims = s.slice(start, Math.max(start, end));
  ctx.setOutput(0, tensor(INT64, [dims.length]));
  ctx.setValue(0, { elemType: INT64, dims: [dims.length], data: dims });
});

registerShape('', ['Size'], (ctx) => {
  ctx.setOutput(0, tensor(INT64, []));
  const s = ctx.shape(0);
  if (s) ctx.setValue(0, { elemType: INT64, dims: [], data: [dimProduct(s)] });
});

/** The type and (if small) value of a Constant node, from whichever value_* attribute it has. */
export function constantValue(ctx: NodeContext): { type: { elemType: number; shape: Dim[] }; value: SymValue | null } | null {
  const t = ctx.attrTensor('value');
  if (t) return fromTensor(ctx, t);
  const sparse = ctx.attr('sparse_value')?.sparseTensor;
  if (sparse) return { type: { elemType: sparse.values.elemType, shape: sparse.dims.map(safeDim) }, value: null };
  const numeric: [string, number, boolean][] = [
    ['value_float', ElemType.FLOAT, false], ['value_floats', ElemType.FLOAT, true],
    ['value_int', INT64, false], ['value_ints', INT64, true],
  ];
  for (const [name, elemType, list] of numeric) {
    const a = ctx.attr(name);
    if (!a) continue;
    const data = list ? (a.floats ?? a.ints ?? []) : [a.f ?? a.i ?? 0];
    const dims = list ? [data.length] : [];
    return { type: { elemType, shape: dims }, value: data.length <= MAX_FOLD_ELEMENTS ? { elemType, dims, data } : null };
  }
  if (ctx.attr('value_string')) return { type: { elemType: ElemType.STRING, shape: [] }, value: null };
  const strings = ctx.attr('value_strings');
  if (strings) return { type: { elemType: ElemType.STRING, shape: [strings.strings?.length ?? null] }, value: null };
  return null;
}

function fromTensor(ctx: NodeContext, t: TensorInfo): { type: { elemType: number; shape: Dim[] }; value: SymValue | null } {
  const shape = t.dims.map(safeDim);
  const n = elementCount(t.dims);
  let value: SymValue | null = null;
  if (n !== null && n <= MAX_FOLD_ELEMENTS && t.elemType !== ElemType.STRING) {
    const data = ctx.state.loadTensor(t, MAX_FOLD_ELEMENTS);
    if (data && data.length === n) value = { elemType: t.elemType, dims: t.dims.slice(), data };
  }
  return { type: { elemType: t.elemType, shape }, value };
}

registerShape('', ['Constant'], (ctx) => {
  const c = constantValue(ctx);
  if (!c) {
    ctx.warn('has no value attribute');
    return;
  }
  ctx.setOutput(0, c.type);
  ctx.setValue(0, c.value);
});

registerShape('', ['ConstantOfShape'], (ctx) => {
  const t = ctx.attrTensor('value');
  const elemType = t?.elemType ?? ElemType.FLOAT;
  const dims = ctx.inputDims(0);
  ctx.setOutput(0, tensor(elemType, dims ?? unknownDimsOfLength(ctx, 0)));
  if (!dims || !dims.every(isKnown)) return;
  const n = elementCount(dims as number[]);
  if (n === null || n > MAX_FOLD_ELEMENTS) return;
  const fill = t ? (ctx.state.loadTensor(t, 1)?.[0] ?? null) : 0;
  if (fill !== null) ctx.setValue(0, { elemType, dims: dims as number[], data: new Array<number>(n).fill(fill) });
});

registerShape('', ['Expand'], (ctx) => {
  const s = ctx.shape(0);
  const target = ctx.inputDims(1) ?? unknownDimsOfLength(ctx, 1);
  if (!s || !target) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const out = broadcastShapes([s, target]);
  if (!out) ctx.warn(`cannot expand [${s.join(', ')}] to [${target.join(', ')}]`);
  ctx.setOutput(0, tensor(ctx.elem(0), out ?? null));
});

registerShape('', ['Tile'], (ctx) => {
  const s = ctx.shape(0);
  const reps = ctx.inputDims(1);
  if (!s) {
    ctx.setOutput(0, tensor(ctx.elem(0), unknownDimsOfLength(ctx, 1)));
    return;
  }
  if (reps && reps.length !== s.length) ctx.warn('repeats length differs from the input rank');
  const out = s.map((d, i) => (reps && reps.length === s.length ? dimMul(d, reps[i]) : null));
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

/** Number of elements Range(start, limit, delta) yields; symbolic only for Range(0, n, 1). */
export function rangeLength(start: Dim, limit: Dim, delta: Dim): Dim {
  if (isKnown(start) && isKnown(limit) && isKnown(delta)) {
    if (delta === 0) return null;
    return safeDim(Math.max(Math.ceil((limit - start) / delta), 0));
  }
  return start === 0 && delta === 1 ? limit : null;
}

registerShape('', ['Range'], (ctx) => {
  const scalar = (i: number): Dim => {
    const v = ctx.value(i);
    return v && v.data.length === 1 ? v.data[0] : null;
  };
  const start = scalar(0);
  const limit = scalar(1);
  const delta = scalar(2);
  const n = rangeLength(start, limit, delta);
  ctx.setOutput(0, tensor(ctx.elem(0) || ctx.elem(1), [n]));
  if (isKnown(n) && n <= MAX_FOLD_ELEMENTS && isKnown(start) && isKnown(delta)) {
    const data: number[] = [];
    for (let i = 0; i < n; i++) data.push(start + i * delta);
    ctx.setValue(0, { elemType: ctx.elem(0), dims: [n], data });
  }
});

registerShape('', ['EyeLike'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.attrInt('dtype', 0) || ctx.elem(0), ctx.shape(0)));
});

registerShape('', ['OneHot'], (ctx) => {
  const s = ctx.shape(0);
  const depth = ctx.value(1);
  const d: Dim = depth && depth.data.length === 1 && isKnown(depth.data[0]) ? safeDim(Math.trunc(depth.data[0])) : null;
  const elem = ctx.elem(2);
  if (!s) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const axis = normAxis(ctx.attrInt('axis', -1), s.length + 1);
  if (axis === null) ctx.warn('axis out of range');
  ctx.setOutput(0, tensor(elem, axis === null ? null : [...s.slice(0, axis), d, ...s.slice(axis)]));
});
