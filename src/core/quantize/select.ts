/**
 * Which nodes a weight rewrite can take: MatMul/Gemm/Conv whose weight is a float32 initializer
 * of the right rank, minus what the user excluded. Nodes left out are listed with the reason, so
 * the report can say why a layer stayed in float.
 */
import type { GraphNode } from '../graph/types';
import type { TensorInfo } from '../onnx/types';
import type { GraphRewriter } from './graphRewriter';
import type { SkippedNode } from '../../shared/quantReport';

export type WeightOpType = 'MatMul' | 'Gemm' | 'Conv';

export interface WeightOp {
  index: number;
  node: GraphNode;
  opType: WeightOpType;
  /** The data input (A of MatMul/Gemm, X of Conv). */
  activation: string;
  weight: string;
  weightInfo: TensorInfo;
  /** Gemm's C or Conv's B, when present (an initializer). */
  bias?: string;
  /** Gemm attributes (defaults when absent). */
  gemm?: { alpha: number; beta: number; transB: boolean };
}

export interface Selection {
  /** Op types to consider (default set of the mode). */
  ops: ReadonlySet<string>;
  excludeOps?: readonly string[];
  excludeNodes?: readonly string[];
  /** Leave depthwise convolutions (one input channel per group) in float. */
  skipDepthwise?: boolean;
}

/** A Conv whose groups see one input channel each (MobileNet-style depthwise). */
export function isDepthwise(node: GraphNode, weightDims: readonly number[]): boolean {
  return (attrInt(node, 'group', 1) > 1) && weightDims[1] === 1;
}

const attrInt = (n: GraphNode, name: string, fallback: number) => n.attributes.find((a) => a.name === name)?.i ?? fallback;
const attrFloat = (n: GraphNode, name: string, fallback: number) => n.attributes.find((a) => a.name === name)?.f ?? fallback;

/** The node's weight op description, or the reason it cannot be rewritten. */
export function describeWeightOp(ed: GraphRewriter, node: GraphNode): WeightOp | string {
  const opType = node.opType as WeightOpType;
  if (node.domain !== '') return `is in domain '${node.domain}'`;
  const [activation, weight, bias] = node.info.inputs;
  const w = weight ? ed.initializer(weight) : undefined;
  if (!w) return 'its weight is computed at run time, not a constant initializer';
  if (ed.isOverridable(weight)) return 'its weight is also a graph input, so callers may replace it';
  if (w.elemType !== 1) return `its weight is not float32`;
  if (!activation || ed.initializer(activation)) return 'its data input is a constant';
  const withBias = (b: string | undefined): string | undefined | null => {
    if (!b) return undefined;
    const t = ed.initializer(b);
    return t && t.elemType === 1 && !ed.isOverridable(b) ? b : null;
  };
  if (opType === 'MatMul') {
    if (w.dims.length !== 2) return `its weight has rank ${w.dims.length}, not 2`;
    return { index: node.index, node, opType, activation, weight, weightInfo: w };
  }
  if (opType === 'Gemm') {
    if (w.dims.length !== 2) return `its weight has rank ${w.dims.length}, not 2`;
    if (attrInt(node, 'transA', 0) !== 0) return 'it transposes its data input (transA)';
    const b = withBias(bias);
    if (b === null) return 'its bias C is not a float32 constant';
    const gemm = { alpha: attrFloat(node, 'alpha', 1), beta: attrFloat(node, 'beta', 1), transB: attrInt(node, 'transB', 0) !== 0 };
    return { index: node.index, node, opType, activation, weight, weightInfo: w, bias: b, gemm };
  }
  if (opType === 'Conv') {
    if (w.dims.length < 3) return `its weight has rank ${w.dims.length}`;
    const b = withBias(bias);
    if (b === null) return 'its bias is not a float32 constant';
    return { index: node.index, node, opType, activation, weight, weightInfo: w, bias: b };
  }
  return `${node.opType} has no weight rewrite`;
}

/** The weight ops to rewrite, in graph order, and the candidates skipped with a reason. */
export function selectWeightOps(ed: GraphRewriter, sel: Selection): { ops: WeightOp[]; skipped: SkippedNode[] } {
  const ops: WeightOp[] = [];
  const skipped: SkippedNode[] = [];
  const excludedOps = new Set(sel.excludeOps ?? []);
  const excludedNodes = new Set(sel.excludeNodes ?? []);
  for (const node of ed.graph.nodes) {
    if (!sel.ops.has(node.opType)) continue;
    const skip = (reason: string) => skipped.push({ node: node.name, opType: node.opType, reason });
    if (excludedOps.has(node.opType)) skip(`op type ${node.opType} is excluded`);
    else if (excludedNodes.has(node.name)) skip('excluded by name');
    else {
      const d = describeWeightOp(ed, node);
      if (typeof d === 'string') skip(d);
      else if (sel.skipDepthwise && d.opType === 'Conv' && isDepthwise(node, d.weightInfo.dims)) {
        skip('depthwise convolution: few weights, and its run-time quantized input costs accuracy (kept in float unless depthwise is asked for)');
      } else ops.push(d);
    }
  }
  return { ops, skipped };
}

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/** A weight op's weight as [K, N] (Gemm's transB undone, alpha folded in), the layout MatMul reads. */
export function matmulWeight(ed: GraphRewriter, op: WeightOp): { values: Float32Array; K: number; N: number } {
  const w = ed.floatWeight(op.weight)!;
  const [d0, d1] = op.weightInfo.dims;
  let values = op.gemm?.transB ? transpose2d(w, d0, d1) : w;
  const [K, N] = op.gemm?.transB ? [d1, d0] : [d0, d1];
  const alpha = op.gemm?.alpha ?? 1;
  if (alpha !== 1) values = values.map((v) => Math.fround(v * alpha));
  return { values, K, N };
}

/** Gemm's bias as beta·C (a new float32 tensor when beta ≠ 1), or null. */
export function gemmBias(ed: GraphRewriter, op: WeightOp): { values: Float32Array; dims: number[] } | null {
  if (!op.bias) return null;
  const c = ed.floatWeight(op.bias)!;
  const beta = op.gemm?.beta ?? 1;
  return { values: beta === 1 ? c : c.map((v) => Math.fround(v * beta)), dims: [...ed.initializer(op.bias)!.dims] };
}
