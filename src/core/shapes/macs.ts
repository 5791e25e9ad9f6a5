/**
 * Multiply-accumulate counts from inferred shapes. Each op is a sum of products of dims;
 * the same factors give `macs` (every dim must be a number) and `macsBatch1` (symbolic dims
 * taken as 1, see InferenceResult.totalMacsBatch1). Elementwise ops, normalisations and
 * pooling are not counted: they are memory-bound and would drown the products people compare.
 */
import type { GraphNode } from '../graph/types';
import type { Dim } from '../../shared/tensorTypes';
import { countProduct, dimDiv } from './dims';
import { matmulDims, planEinsum } from './matmul';
import type { TensorType } from './types';

export interface MacCount {
  macs: number | null;
  macsBatch1: number | null;
}

const NONE: MacCount = { macs: null, macsBatch1: null };

type Shapes = (i: number) => Dim[] | null;

function intAttr(node: GraphNode, name: string, def: number): number {
  const v = node.attributes.find((a) => a.name === name)?.i;
  return v !== undefined && Number.isFinite(v) ? v : def;
}

function intsAttr(node: GraphNode, name: string): number[] | null {
  return node.attributes.find((a) => a.name === name)?.ints ?? null;
}

function conv(out: Dim[] | null, w: Dim[] | null): Dim[][] | null {
  // N * Cout * out_spatial * (Cin / group) * kernel_spatial; W is [Cout, Cin/group, k...].
  if (!out || !w || out.length < 3 || w.length !== out.length) return null;
  return [[out[0], w[0], ...out.slice(2), w[1], ...w.slice(2)]];
}

function convTranspose(x: Dim[] | null, w: Dim[] | null): Dim[][] | null {
  // N * Cin * in_spatial * (Cout / group) * kernel_spatial; W is [Cin, Cout/group, k...].
  if (!x || !w || x.length < 3 || w.length !== x.length) return null;
  return [[x[0], w[0], ...x.slice(2), w[1], ...w.slice(2)]];
}

function matmul(a: Dim[] | null, b: Dim[] | null): Dim[][] | null {
  const d = a && b ? matmulDims(a, b) : undefined;
  return d ? [[...d.batch, d.m, d.n, d.k]] : null;
}

function transposeLast(s: Dim[] | null, t: boolean): Dim[] | null {
  return s && t && s.length >= 2 ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s;
}

function gemm(node: GraphNode, shape: Shapes): Dim[][] | null {
  const a = transposeLast(shape(0), intAttr(node, 'transA', 0) !== 0);
  const b = transposeLast(shape(1), intAttr(node, 'transB', 0) !== 0);
  if (!a || !b || a.length !== 2 || b.length !== 2) return null;
  return [[a[0], a[1], b[1]]];
}

function einsum(node: GraphNode, shape: Shapes): Dim[][] | null {
  if (node.info.inputs.length !== 2) return null;
  const eq = node.attributes.find((a) => a.name === 'equation')?.s ?? '';
  const plan = planEinsum(eq, [shape(0), shape(1)]);
  // A two-operand einsum does one multiply-add per combination of all its distinct indices.
  return plan ? [[...plan.sizes.values()]] : null;
}

function attention(node: GraphNode, shape: Shapes): Dim[][] | null {
  const x = shape(0);
  const w = shape(1);
  if (!x || x.length !== 3 || !w || w.length !== 2) return null;
  const [b, s, hin] = x;
  const sizes = intsAttr(node, 'qkv_hidden_sizes');
  const q: Dim = sizes?.length === 3 ? sizes[0] : dimDiv(w[1], 3);
  const v: Dim = sizes?.length === 3 ? sizes[2] : q;
  // QKV projection, Q·Kᵀ over all heads (B·S·S·hidden_q), and weights·V (B·S·S·hidden_v).
  return [[b, s, hin, w[1]], [b, s, s, q], [b, s, s, v]];
}

function multiHead(shape: Shapes): Dim[][] | null {
  const q = shape(0);
  const k = shape(1);
  const v = shape(2);
  if (!q || !k || !v || q.length !== 3 || k.length !== 3 || v.length !== 3) return null;
  return [[q[0], q[1], k[1], q[2]], [q[0], q[1], k[1], v[2]]];
}

function recurrent(node: GraphNode, shape: Shapes): Dim[][] | null {
  const x = shape(0);
  const w = shape(1);
  const r = shape(2);
  if (!x || x.length !== 3 || !w || w.length !== 3 || !r || r.length !== 3) return null;
  const batchFirst = intAttr(node, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [x[1], x[0]] : [x[0], x[1]];
  // Per step and direction: input (gates·H × I) and recurrent (gates·H × H) products.
  return [[seq, batch, w[0], w[1], w[2]], [seq, batch, r[0], r[1], r[2]]];
}

function factors(node: GraphNode, shape: Shapes, out: Shapes): Dim[][] | null {
  if (node.domain === '') {
    switch (node.opType) {
      case 'Conv': return conv(out(0), shape(1));
      case 'ConvInteger': return conv(out(0), shape(1));
      case 'QLinearConv': return conv(out(0), shape(3));
      case 'ConvTranspose': return convTranspose(shape(0), shape(1));
      case 'Gemm': return gemm(node, shape);
      case 'MatMul': case 'MatMulInteger': return matmul(shape(0), shape(1));
      case 'QLinearMatMul': return matmul(shape(0), shape(3));
      case 'Einsum': return einsum(node, shape);
      case 'LSTM': case 'GRU': case 'RNN': return recurrent(node, shape);
      default: return null;
    }
  }
  if (node.domain === 'com.microsoft') {
    switch (node.opType) {
      case 'FusedConv': return conv(out(0), shape(1));
      case 'FusedMatMul':
        return matmul(transposeLast(shape(0), intAttr(node, 'transA', 0) !== 0), transposeLast(shape(1), intAttr(node, 'transB', 0) !== 0));
      case 'MatMulIntegerToFloat': case 'DynamicQuantizeMatMul': return matmul(shape(0), shape(1));
      case 'Attention': return attention(node, shape);
      case 'MultiHeadAttention': return multiHead(shape);
      default: return null;
    }
  }
  return null;
}

function sum(terms: Dim[][], symbolsAsOne: boolean): number | null {
  let total = 0;
  for (const t of terms) {
    const p = countProduct(t, symbolsAsOne);
    if (p === null) return null;
    total += p;
  }
  return Number.isSafeInteger(total) ? total : null;
}

/** MACs of one node given the types of its inputs and outputs; null where not counted or unknown. */
export function nodeMacs(node: GraphNode, typeOf: (name: string) => TensorType | null): MacCount {
  const shapeOf = (names: string[]) => (i: number) => {
    const n = names[i];
    return n ? (typeOf(n)?.shape ?? null) : null;
  };
  const terms = factors(node, shapeOf(node.info.inputs), shapeOf(node.info.outputs));
  if (!terms) return NONE;
  return { macs: sum(terms, false), macsBatch1: sum(terms, true) };
}
