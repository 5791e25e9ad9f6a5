/**
 * Unstructured magnitude pruning: the smallest-magnitude weights of MatMul/Gemm/Conv set to zero,
 * either the same share in every layer or one threshold over all layers together (so layers with
 * many small weights lose more). Weights stay dense float32: pruning prepares for sparse formats
 * or compression; it does not shrink the file by itself. Zeros already there count towards the target.
 */
import { ElemType } from '../onnx/elemTypes';
import { float32Bytes, type GraphRewriter } from './graphRewriter';
import type { WeightOp } from './select';
import type { NodeChange } from '../../shared/quantizeSettings';

export interface PruneOptions {
  sparsity: number;
  scope: 'layer' | 'global';
}

export function zeroShare(values: Float32Array): number {
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
  return values.length ? zeros / values.length : 0;
}

/** The k-th smallest |value| (0-based) — the magnitude at and below which weights go. */
function kthMagnitude(mags: Float32Array, k: number): number {
  const sorted = Float32Array.from(mags).sort();
  return sorted[Math.min(Math.max(k, 0), sorted.length - 1)];
}

/** Zeroes exactly `count` smallest-magnitude elements (ties broken by position), returning a new array. */
function zeroSmallest(values: Float32Array, count: number, threshold: number): Float32Array {
  const out = Float32Array.from(values);
  let below = 0;
  for (let i = 0; i < out.length; i++) if (Math.abs(out[i]) < threshold) below++;
  let ties = count - below;
  for (let i = 0; i < out.length; i++) {
    const m = Math.abs(out[i]);
    if (m < threshold) out[i] = 0;
    else if (m === threshold && ties > 0) {
      out[i] = 0;
      ties--;
    }
  }
  return out;
}

export function magnitudePrune(ed: GraphRewriter, ops: readonly WeightOp[], o: PruneOptions): NodeChange[] {
  const unique = [...new Map(ops.map((op) => [op.weight, op])).values()];
  const weights = unique.map((op) => ed.floatWeight(op.weight)!);
  const counts: number[] = [];
  if (o.scope === 'layer') {
    for (const w of weights) counts.push(Math.round(o.sparsity * w.length));
  } else {
    const total = weights.reduce((n, w) => n + w.length, 0);
    const all = new Float32Array(total);
    let at = 0;
    for (const w of weights) {
      for (let i = 0; i < w.length; i++) all[at + i] = Math.abs(w[i]);
      at += w.length;
    }
    const k = Math.round(o.sparsity * total);
    if (k === 0) for (const _ of weights) counts.push(0);
    else {
      const threshold = kthMagnitude(all, k - 1);
      // Everything below the global threshold goes; ties at it are shared out in layer order.
      let ties = k - all.reduce((n, m) => n + (m < threshold ? 1 : 0), 0);
      for (const w of weights) {
        let c = 0;
        for (let i = 0; i < w.length; i++) {
          const m = Math.abs(w[i]);
          if (m < threshold) c++;
          else if (m === threshold && ties > 0) {
            c++;
            ties--;
          }
        }
        counts.push(c);
      }
    }
  }
  const byWeight = new Map<string, { before: number; after: number }>();
  unique.forEach((op, i) => {
    const w = weights[i];
    const before = zeroShare(w);
    const count = Math.max(counts[i], Math.round(before * w.length));
    let pruned = w;
    if (count > 0 && count > Math.round(before * w.length)) {
      const mags = w.map(Math.abs);
      pruned = zeroSmallest(w, count, kthMagnitude(mags, count - 1));
    }
    if (pruned !== w) ed.replaceInitializer(op.weight, { elemType: ElemType.FLOAT, dims: [...op.weightInfo.dims], data: float32Bytes(pruned) });
    byWeight.set(op.weight, { before, after: zeroShare(pruned) });
  });
  return ops.map((op) => {
    const p = byWeight.get(op.weight)!;
    const bytes = op.weightInfo.dims.reduce((a, b) => a * b, 1) * 4;
    return {
      node: op.node.name, opType: op.opType, precision: 'fp32' as const, weight: op.weight,
      scheme: `magnitude pruning (${o.scope === 'layer' ? 'per layer' : 'global'} ${(100 * o.sparsity).toFixed(0)}%)`,
      bytesBefore: bytes, bytesAfter: bytes, outputs: [...op.node.info.outputs], sparsity: { before: p.before, after: p.after },
    };
  });
}
