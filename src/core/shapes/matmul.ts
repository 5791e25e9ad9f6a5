/**
 * Matrix products: MatMul (numpy matmul semantics incl. 1-D operands and batch
 * broadcasting), Gemm, the quantized variants, and Einsum.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { broadcastShapes, isKnown } from './dims';
import { mergeDim } from './tensorOps';
import { registerShape } from './registry';

export interface MatMulDims {
  batch: Dim[];
  m: Dim;
  k: Dim;
  n: Dim;
  out: Dim[];
}

/** np.matmul shape rule; undefined when the shapes cannot be multiplied. */
export function matmulDims(a: Dim[], b: Dim[]): MatMulDims | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const ka = a2[a2.length - 1];
  const kb = b2[b2.length - 2];
  if (isKnown(ka) && isKnown(kb) && ka !== kb) return undefined;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return undefined;
  const m = a2[a2.length - 2];
  const n = b2[b2.length - 1];
  const out = [...batch];
  if (a.length > 1) out.push(m);
  if (b.length > 1) out.push(n);
  return { batch, m, k: mergeDim(ka, kb), n, out };
}

function matmulLike(ctx: NodeContext, ai: number, bi: number, elem: number): void {
  const a = ctx.shape(ai);
  const b = ctx.shape(bi);
  if (!a || !b) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const d = matmulDims(a, b);
  if (!d) ctx.warn(`cannot multiply [${a.join(', ')}] by [${b.join(', ')}]`);
  ctx.setOutput(0, tensor(elem, d ? d.out : null));
}

registerShape('', ['MatMul'], (ctx) => matmulLike(ctx, 0, 1, ctx.elem(0)));
registerShape('', ['MatMulInteger'], (ctx) => matmulLike(ctx, 0, 1, ElemType.INT32));
registerShape('', ['QLinearMatMul'], (ctx) => matmulLike(ctx, 0, 3, ctx.elem(7) || ctx.elem(0)));
registerShape('com.microsoft', ['MatMulIntegerToFloat'], (ctx) => matmulLike(ctx, 0, 1, ctx.elem(2) || ElemType.FLOAT));
registerShape('com.microsoft', ['FusedMatMul'], (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  // FusedMatMul = alpha * op(A) @ op(B) with optional transposes of the last two dims.
  const tr = (s: Dim[] | null, t: boolean) => (s && t && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  const ta = tr(a, ctx.attrInt('transA', 0) === 1);
  const tb = tr(b, ctx.attrInt('transB', 0) === 1);
  const d = ta && tb ? matmulDims(ta, tb) : undefined;
  ctx.setOutput(0, tensor(ctx.elem(0), d ? d.out : null));
});

/** Gemm's [M, K] x [K, N] after transA/transB; null entries when shapes are unknown. */
export function gemmDims(ctx: NodeContext): { m: Dim; k: Dim; n: Dim } | null {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  if (!a || !b || a.length !== 2 || b.length !== 2) return null;
  const ta = ctx.attrInt('transA', 0) !== 0;
  const tb = ctx.attrInt('transB', 0) !== 0;
  const [m, ka] = ta ? [a[1], a[0]] : [a[0], a[1]];
  const [kb, n] = tb ? [b[1], b[0]] : [b[0], b[1]];
  return { m, k: mergeDim(ka, kb), n };
}

registerShape('', ['Gemm'], (ctx) => {
  const d = gemmDims(ctx);
  ctx.setOutput(0, tensor(ctx.elem(0), d ? [d.m, d.n] : null));
});

export interface EinsumPlan {
  inputs: string[][];
  output: string[];
  sizes: Map<string, Dim>;
}

/**
 * Parse an einsum equation against input shapes. '...' is expanded to as many anonymous
 * letters as the broadcast rank needs. Returns null on anything it cannot follow.
 */
export function planEinsum(equation: string, shapes: (Dim[] | null)[]): EinsumPlan | null {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  const terms = lhs.split(',');
  if (terms.length !== shapes.length || shapes.some((s) => !s)) return null;
  const sizes = new Map<string, Dim>();
  const ellipsis = (n: number, rank: number) => new Array(n).fill(0).map((_, i) => `.${rank - n + i}`);
  // First pass: how many dims each '...' stands for; they broadcast right-aligned.
  const ellDims: number[] = [];
  for (let t = 0; t < terms.length; t++) {
    const letters = terms[t].replace('...', '').split('').filter((c) => c !== '');
    if (letters.some((c) => !/^[a-zA-Z]$/.test(c))) return null;
    const er = shapes[t]!.length - letters.length;
    if (er < 0 || (!terms[t].includes('...') && er !== 0)) return null;
    ellDims.push(er);
  }
  const ellRank = Math.max(0, ...ellDims);
  const inputs: string[][] = terms.map((term, t) => {
    if (!term.includes('...')) return term.split('');
    const [before, after] = term.split('...');
    return [...before.split(''), ...ellipsis(ellDims[t], ellRank), ...after.split('')].filter((c) => c !== '');
  });
  for (let t = 0; t < inputs.length; t++) {
    const shape = shapes[t]!;
    for (let i = 0; i < shape.length; i++) {
      const l = inputs[t][i];
      const prev = sizes.get(l);
      const d = shape[i];
      if (prev === undefined || prev === 1) sizes.set(l, d);
      else if (d !== 1 && isKnown(prev) && isKnown(d) && prev !== d) return null;
      else if (!isKnown(prev) && isKnown(d) && d !== 1) sizes.set(l, d);
    }
  }
  let output: string[];
  if (rhs !== undefined) {
    const [b, a] = rhs.includes('...') ? rhs.split('...') : [rhs, ''];
    output = [...b.split(''), ...(rhs.includes('...') ? ellipsis(ellRank, ellRank) : []), ...a.split('')].filter((x) => x !== '');
  } else {
    const counts = new Map<string, number>();
    for (const l of inputs.flat()) if (!l.startsWith('.')) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...ellipsis(ellRank, ellRank), ...[...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  }
  if (output.some((l) => !sizes.has(l))) return null;
  return { inputs, output, sizes };
}

registerShape('', ['Einsum'], (ctx) => {
  const shapes = ctx.node.info.inputs.map((_, i) => ctx.shape(i));
  const plan = planEinsum(ctx.attrString('equation', ''), shapes);
  if (!plan && shapes.every((s) => s)) ctx.warn(`cannot follow equation '${ctx.attrString('equation', '')}'`);
  ctx.setOutput(0, tensor(ctx.elem(0), plan ? plan.output.map((l) => plan.sizes.get(l) ?? null) : null));
});
