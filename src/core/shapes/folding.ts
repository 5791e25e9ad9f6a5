/**
 * Constant folding of small tensors, so that shape subgraphs (Shape → Gather → Unsqueeze →
 * Concat → Reshape, Resize sizes computed with Cast/Mul/Floor, Range over a sequence length)
 * resolve to concrete or symbolic shape vectors. Elements are Dims: a symbolic element
 * survives ops that make sense on sizes (Add, Mul, exact Div, Gather, Concat, Cast...).
 * Each fold runs after the op's shape function and only when the inputs it needs are folded.
 */
import { ElemType, isFloatType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { MAX_FOLD_ELEMENTS, NodeContext, elementCount, type SymValue } from './context';
import { dimAdd, dimDiv, dimMul, dimProduct, dimSub, isKnown, normAxis } from './dims';
import { registerFold } from './registry';
import { sliceParams, sliceRange } from './indexing';
import { maxOf, minOf, pushAll } from '../lists';

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** Output dims of the node as plain numbers, when fully known and small. */
function outDims(ctx: NodeContext): number[] | null {
  const s = ctx.outputs[0]?.shape;
  if (!s || !s.every(isKnown)) return null;
  const n = elementCount(s as number[]);
  return n !== null && n <= MAX_FOLD_ELEMENTS ? (s as number[]) : null;
}

function set(ctx: NodeContext, elemType: number, dims: number[], data: Dim[]): void {
  if (elementCount(dims) === data.length) ctx.setValue(0, { elemType, dims, data });
}

// Ops that only move or relabel elements: same data, the output's dims.
registerFold('', ['Identity', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze'], (ctx) => {
  const v = ctx.value(0);
  const dims = outDims(ctx);
  if (v && dims) set(ctx, v.elemType, dims, v.data);
});

registerFold('', ['Cast', 'CastLike'], (ctx) => {
  const v = ctx.value(0);
  const to = ctx.outputs[0]?.elemType ?? 0;
  if (!v || !to) return;
  const data = v.data.map((d): Dim => {
    if (!isKnown(d)) return d; // sizes stay sizes whatever their dtype
    if (to === ElemType.BOOL) return d !== 0 ? 1 : 0;
    return isFloatType(to) ? d : Math.trunc(d);
  });
  set(ctx, to, v.dims, data);
});

function broadcastFold(ctx: NodeContext, inputs: SymValue[], f: (args: Dim[]) => Dim, elemType: number): void {
  const rank = maxOf(inputs.map((v) => v.dims.length));
  const dims = new Array<number>(rank).fill(1);
  for (const v of inputs) {
    const off = rank - v.dims.length;
    for (let i = 0; i < v.dims.length; i++) {
      const d = v.dims[i];
      if (d !== 1 && dims[off + i] !== 1 && dims[off + i] !== d) return;
      if (d !== 1) dims[off + i] = d;
    }
  }
  const n = elementCount(dims);
  if (n === null || n > MAX_FOLD_ELEMENTS) return;
  const outStrides = strides(dims);
  const data: Dim[] = [];
  for (let flat = 0; flat < n; flat++) {
    const args = inputs.map((v) => {
      const off = rank - v.dims.length;
      const st = strides(v.dims);
      let k = 0;
      for (let i = 0; i < v.dims.length; i++) {
        const coord = Math.floor(flat / outStrides[off + i]) % dims[off + i];
        k += (v.dims[i] === 1 ? 0 : coord) * st[i];
      }
      return v.data[k];
    });
    data.push(f(args));
  }
  set(ctx, elemType, dims, data);
}

function allValues(ctx: NodeContext, indices: number[]): SymValue[] | null {
  const vs = indices.map((i) => ctx.value(i));
  return vs.every((v) => v) ? (vs as SymValue[]) : null;
}

const isInt = (elem: number) => !isFloatType(elem) && elem !== 0;

/** Binary arithmetic on Dims: exact on numbers, size algebra on symbols. */
function arith(op: string, elem: number): (args: Dim[]) => Dim {
  return ([a, b]) => {
    if (isKnown(a) && isKnown(b)) {
      switch (op) {
        case 'Add': return a + b;
        case 'Sub': return a - b;
        case 'Mul': return a * b;
        case 'Div': return b === 0 ? null : isInt(elem) ? Math.trunc(a / b) : a / b;
        case 'Mod': return b === 0 ? null : isInt(elem) ? ((a % b) + b) % b : a % b;
        case 'Max': return Math.max(a, b);
        case 'Min': return Math.min(a, b);
        case 'Pow': return a ** b;
        default: return null;
      }
    }
    if (a === null || b === null) return null;
    switch (op) {
      case 'Add': return isKnown(b) && b < 0 ? dimSub(a, -b) : isKnown(a) && a < 0 ? dimSub(b, -a) : dimAdd(a, b);
      case 'Sub': return isKnown(b) && b < 0 ? dimAdd(a, -b) : dimSub(a, b);
      case 'Mul': return (isKnown(a) && (a < 0 || !Number.isInteger(a))) || (isKnown(b) && (b < 0 || !Number.isInteger(b))) ? null : dimMul(a, b);
      case 'Div': return isKnown(b) && (b <= 0 || !Number.isInteger(b)) ? null : dimDiv(a, b);
      case 'Max': return a === b ? a : isKnown(b) && b <= 1 ? a : isKnown(a) && a <= 1 ? b : null;
      case 'Min': return a === b ? a : isKnown(b) && b <= 0 ? b : isKnown(a) && a <= 0 ? a : null;
      default: return null;
    }
  };
}

registerFold('', ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow', 'Max', 'Min'], (ctx) => {
  const idx = ctx.node.info.inputs.map((_, i) => i);
  const vs = allValues(ctx, idx);
  if (!vs || vs.length === 0) return;
  const elem = ctx.outputs[0]?.elemType || vs[0].elemType;
  const f = arith(ctx.node.opType, elem);
  // Variadic Max/Min fold pairwise.
  broadcastFold(ctx, vs, (args) => args.slice(1).reduce<Dim>((acc, x) => f([acc, x]), args[0]), elem);
});

function compare(op: string): (args: Dim[]) => Dim {
  return ([a, b]) => {
    if (isKnown(a) && isKnown(b)) {
      const r = op === 'Equal' ? a === b : op === 'Less' ? a < b : op === 'Greater' ? a > b
        : op === 'LessOrEqual' ? a <= b : op === 'GreaterOrEqual' ? a >= b
          : op === 'And' ? a !== 0 && b !== 0 : op === 'Or' ? a !== 0 || b !== 0 : (a !== 0) !== (b !== 0);
      return r ? 1 : 0;
    }
    // The same symbol is the same size; sizes are never negative.
    if (a !== null && a === b) return op === 'Equal' || op === 'LessOrEqual' || op === 'GreaterOrEqual' ? 1 : op === 'Less' || op === 'Greater' ? 0 : null;
    if (op === 'Less' && isKnown(b) && b <= 0 && a !== null) return 0;
    if (op === 'Equal' && isKnown(b) && b < 0 && a !== null) return 0;
    return null;
  };
}

registerFold('', ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'], (ctx) => {
  const vs = allValues(ctx, [0, 1]);
  if (vs) broadcastFold(ctx, vs, compare(ctx.node.opType), ElemType.BOOL);
});

registerFold('', ['Not', 'Neg', 'Abs', 'Floor', 'Ceil', 'Round', 'Sqrt', 'Relu', 'Sign'], (ctx) => {
  const v = ctx.value(0);
  if (!v) return;
  const op = ctx.node.opType;
  const f = (d: Dim): Dim => {
    if (!isKnown(d)) {
      // A size is a non-negative integer: rounding and |x| leave it alone.
      return ['Floor', 'Ceil', 'Round', 'Abs', 'Relu'].includes(op) ? d : null;
    }
    switch (op) {
      case 'Not': return d === 0 ? 1 : 0;
      case 'Neg': return -d;
      case 'Abs': return Math.abs(d);
      case 'Floor': return Math.floor(d);
      case 'Ceil': return Math.ceil(d);
      case 'Round': return Math.round(d);
      case 'Sqrt': return Math.sqrt(d);
      case 'Relu': return Math.max(0, d);
      default: return Math.sign(d);
    }
  };
  set(ctx, ctx.outputs[0]?.elemType || v.elemType, v.dims, v.data.map(f));
});

registerFold('', ['Where'], (ctx) => {
  const vs = allValues(ctx, [0, 1, 2]);
  if (vs) broadcastFold(ctx, vs, ([c, x, y]) => (isKnown(c) ? (c !== 0 ? x : y) : x === y ? x : null), vs[1].elemType);
});

registerFold('', ['Expand'], (ctx) => {
  const v = ctx.value(0);
  const dims = outDims(ctx);
  if (!v || !dims) return;
  broadcastFold(ctx, [v, { elemType: 0, dims, data: new Array<Dim>(elementCount(dims) ?? 0).fill(0) }], ([x]) => x, v.elemType);
});

registerFold('', ['Concat'], (ctx) => {
  const vs = allValues(ctx, ctx.node.info.inputs.map((_, i) => i).filter((i) => ctx.has(i)));
  const dims = outDims(ctx);
  if (!vs || !dims || vs.some((v) => v.dims.length !== dims.length)) return;
  const axis = normAxis(ctx.attrInt('axis', 0), dims.length);
  if (axis === null) return;
  // Row-major: concatenation along `axis` interleaves blocks of (inner * axis-size) elements.
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const data: Dim[] = [];
  for (let o = 0; o < outer; o++) {
    for (const v of vs) {
      const block = v.dims.slice(axis).reduce((a, b) => a * b, 1);
      pushAll(data, v.data.slice(o * block, (o + 1) * block));
    }
  }
  set(ctx, vs[0].elemType, dims, data);
});

registerFold('', ['Gather'], (ctx) => {
  const v = ctx.value(0);
  const idx = ctx.inputInts(1);
  const idxDims = ctx.value(1)?.dims;
  const dims = outDims(ctx);
  if (!v || !idx || !idxDims || !dims || v.dims.length === 0) return;
  const axis = normAxis(ctx.attrInt('axis', 0), v.dims.length);
  if (axis === null) return;
  const size = v.dims[axis];
  const outer = v.dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = v.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const data: Dim[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of idx) {
      const k = raw < 0 ? raw + size : raw;
      if (k < 0 || k >= size) return;
      pushAll(data, v.data.slice((o * size + k) * inner, (o * size + k + 1) * inner));
    }
  }
  set(ctx, v.elemType, dims, data);
});

registerFold('', ['Slice'], (ctx) => {
  const v = ctx.value(0);
  const dims = outDims(ctx);
  if (!v || !dims) return;
  const p = sliceParams(ctx, v.dims.length);
  if (!p) return;
  // Per axis, the source coordinates kept.
  const picks = v.dims.map((d) => new Array(d).fill(0).map((_, i) => i));
  p.axes.forEach((a, i) => {
    const r = sliceRange(v.dims[a], p.starts[i], p.ends[i], p.steps[i]);
    picks[a] = new Array(r.count).fill(0).map((_, j) => r.start + j * p.steps[i]);
  });
  const st = strides(v.dims);
  const data: Dim[] = [];
  const walk = (axis: number, base: number): void => {
    if (axis === v.dims.length) {
      data.push(v.data[base]);
      return;
    }
    for (const c of picks[axis]) walk(axis + 1, base + c * st[axis]);
  };
  walk(0, 0);
  set(ctx, v.elemType, dims, data);
});

registerFold('', ['ReduceProd', 'ReduceSum', 'ReduceMin', 'ReduceMax'], (ctx) => {
  const v = ctx.value(0);
  const dims = outDims(ctx);
  // Shape subgraphs reduce whole vectors (e.g. ReduceProd(Shape(x)[1:]) for a flatten size).
  if (!v || !dims || elementCount(dims) !== 1 || v.data.length === 0) return;
  const op = ctx.node.opType;
  let r: Dim;
  if (op === 'ReduceProd') r = dimProduct(v.data);
  else if (op === 'ReduceSum') r = v.data.reduce<Dim>((a, b) => (isKnown(a) && isKnown(b) ? a + b : dimAdd(a, b)), 0);
  else if (!v.data.every(isKnown)) r = null;
  else r = op === 'ReduceMin' ? minOf(v.data as number[]) : maxOf(v.data as number[]);
  set(ctx, v.elemType, dims, [r]);
});
