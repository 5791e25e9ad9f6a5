/**
 * The per-channel affine ops right after a Conv — a BatchNormalization, a Mul and an Add by
 * constants (PP-LCNet's learnable scale and bias after every Conv) — folded into the Conv's
 * weights and bias before they are quantized: y = s·conv(x) + t ⇒ W'[m] = s[m]·W[m],
 * b'[m] = s[m]·b[m] + t[m]. onnxruntime folds them into float Convs itself (its Conv+BN, Conv+Mul
 * and Conv+Add fusions), but not across the Q an int8 Conv's output needs: left in float they
 * would run as ops of their own between the Conv and its Q, and the Conv's output would be
 * quantized on its scale before the affine rather than the one the next layer reads. Onnxruntime's
 * quantization pre-processing does the same folding through its graph optimizer.
 */
import type { GraphRewriter } from './graphRewriter';
import type { WeightOp } from './select';

export interface FoldedAffine {
  /** The folded nodes, which the Conv replaces: it writes the last one's output. */
  indices: number[];
  output: string;
  /** What each folded node was, for the report. */
  ops: string[];
  weights: Float32Array;
  bias: Float32Array;
}

/** A constant's values per output channel (length m), when it broadcasts that way over [N, M, spatial…] of rank `rank`; else null. */
function perChannel(ed: GraphRewriter, name: string, m: number, rank: number): Float64Array | null {
  if (!name || ed.isOverridable(name)) return null;
  const t = ed.initializer(name);
  const v = t ? ed.floatWeight(name) : null;
  if (!t || !v) return null;
  if (v.length === 1) return new Float64Array(m).fill(v[0]);
  if (t.dims.length > rank) return null;
  const dims = [...Array(rank - t.dims.length).fill(1), ...t.dims];
  if (dims[0] !== 1 || dims[1] !== m || dims.slice(2).some((d) => d !== 1)) return null;
  return Float64Array.from(v);
}

/** One affine step y = s·x + t per channel from the node reading x, or null if it is none. */
function affineStep(ed: GraphRewriter, index: number, x: string, m: number, rank: number): { s: Float64Array; t: Float64Array } | null {
  const n = ed.info.nodes[index];
  if (n.domain !== '' || n.outputs.filter(Boolean).length !== 1) return null;
  if (n.opType === 'BatchNormalization') {
    if (n.inputs[0] !== x || n.attributes.some((a) => (a.name === 'training_mode' && a.i) || (a.name === 'spatial' && a.i === 0))) return null;
    const [scale, shift, mean, variance] = n.inputs.slice(1, 5).map((name) => perChannel(ed, name, m, 1 + 1));
    if (!scale || !shift || !mean || !variance) return null;
    const epsilon = n.attributes.find((a) => a.name === 'epsilon')?.f ?? 1e-5;
    const s = scale.map((g, c) => g / Math.sqrt(variance[c] + epsilon));
    return { s, t: shift.map((b, c) => b - mean[c] * s[c]) };
  }
  if ((n.opType === 'Mul' || n.opType === 'Add') && n.inputs.length === 2) {
    const other = n.inputs[0] === x ? n.inputs[1] : n.inputs[1] === x ? n.inputs[0] : null;
    const c = other === null || other === x ? null : perChannel(ed, other, m, rank);
    if (!c) return null;
    return n.opType === 'Mul' ? { s: c, t: new Float64Array(m) } : { s: new Float64Array(m).fill(1), t: c };
  }
  return null;
}

/** The Conv's weights and bias with the affine ops that alone read its output (one after another) folded in, or null when there are none. */
export function foldAffineAfterConv(ed: GraphRewriter, op: WeightOp, isGraphOutput: (name: string) => boolean): FoldedAffine | null {
  if (op.opType !== 'Conv') return null;
  const m = op.weightInfo.dims[0];
  const rank = op.weightInfo.dims.length;
  const s = new Float64Array(m).fill(1);
  const t = new Float64Array(m);
  const indices: number[] = [];
  const ops: string[] = [];
  let x = op.node.info.outputs[0];
  for (;;) {
    const consumers = ed.graph.values.get(x)?.consumers ?? [];
    if (consumers.length !== 1 || isGraphOutput(x)) break;
    const step = affineStep(ed, consumers[0], x, m, rank);
    if (!step) break;
    for (let c = 0; c < m; c++) {
      s[c] *= step.s[c];
      t[c] = t[c] * step.s[c] + step.t[c];
    }
    indices.push(consumers[0]);
    ops.push(ed.info.nodes[consumers[0]].opType);
    x = ed.info.nodes[consumers[0]].outputs[0];
  }
  if (!indices.length) return null;
  const w = ed.floatWeight(op.weight)!;
  const b = op.bias ? ed.floatWeight(op.bias)! : null;
  const per = w.length / m;
  const weights = new Float32Array(w.length);
  const bias = new Float32Array(m);
  for (let c = 0; c < m; c++) {
    for (let k = c * per; k < (c + 1) * per; k++) weights[k] = w[k] * s[c];
    bias[c] = (b ? b[c] : 0) * s[c] + t[c];
  }
  return { indices, output: x, ops, weights, bias };
}
