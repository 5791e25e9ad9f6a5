/**
 * Static int8 in QDQ form, laid out where onnxruntime's QDQ transformer fuses it into integer
 * kernels (its selectors: onnxruntime/core/optimizer/qdq_transformer/selectors_actions/; see
 * docs/quantization.md):
 *  - Conv: DQ(x), DQ(int8 weights, per output channel), DQ(int32 bias) → Conv → Q  ⇒ QLinearConv;
 *  - MatMul: DQ(x), DQ(int8 weights) → MatMul → Q  ⇒ QLinearMatMul;
 *  - Gemm: written as MatMul + Add (weights [K, N], alpha folded in; beta·C added in float after a
 *    Q → DQ of the product), because onnxruntime 1.30 leaves DQ → Gemm → Q unfused: the Gemm then
 *    runs in float on weights dequantized at every run (1.6x slower than float32 on the 6 MB MLP);
 *  - a Conv's output is always quantized (without a Q after it, DQ → Conv stays a float Conv on
 *    weights dequantized at every run); a BatchNormalization, Mul or Add by constants that alone
 *    reads it is folded into its weights first (convFold.ts);
 *  - a MatMul's output is quantized only where another int8 op reads it or an Add does (with no Q
 *    between them onnxruntime fuses MatMul + Add into a Gemm, which stays float, as does a split
 *    Gemm's product): otherwise DQ → MatMul becomes MatMulIntegerToFloat, int8 compute with a float
 *    output, so a float reader (a LayerNorm, a Reshape, a graph output) gets the exact product
 *    and no Q → DQ runs for it;
 *  - the Q of an op's output sits after a Relu (or a Clip from 0) that is its only reader, so the
 *    Relu is folded away (the selectors' "redundant clip"); a Conv whose output is a graph output
 *    writes a new value and the graph output is its Q → DQ, else the Conv would stay unfused.
 * Activations are uint8 with calibrated ranges, one Q → DQ pair per tensor right after it is
 * produced, read by every consumer (a fused op's output edges must all be Q nodes: consumers left
 * in float read the DQ). Weights int8 symmetric, biases int32 with scale = input scale × weight scale.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ElemType } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import type { NodeSpec } from '../onnx/write/rewrite';
import { writeModelFile } from '../onnx/write/writeModel';
import { foldAffineAfterConv, type FoldedAffine } from './convFold';
import { calibrate, type CalibrateOptions } from './calibrate';
import type { TensorRange } from '../../shared/quantReport';
import { attrs, float32Bytes, GraphRewriter } from './graphRewriter';
import { QuantizeError } from './errors';
import { quantizeTensor, roundHalfEven, scaleZeroPoint, type Granularity } from './math';
import { ensureOpset } from './opsetUpgrade';
import type { ModelRunner } from './runner';
import type { SampleSet } from './samples';
import { gemmBias, matmulWeight, type WeightOp } from './select';
import type { NodeChange } from '../../shared/quantizeSettings';
import { gemmBiasName } from './weightOnly';
import { addQuantizedWeight, tensorBytes } from './weights';

export interface StaticOptions {
  /** MatMul/Gemm weights per output column. */
  perChannel: boolean;
  /** Conv weights per output channel (default true). */
  perChannelConv: boolean;
  reduceRange: boolean;
  /** int8 (zero point 0) or uint8 (zero point 128) weights. */
  weightType: 'int8' | 'uint8';
}

/** Where one op's int8 version reads and writes. */
interface OpLayout {
  op: WeightOp;
  /** The value the int8 op (Conv, MatMul, or the MatMul of a split Gemm) writes (the last folded affine op's output). */
  product: string;
  /** The value whose Q → DQ pair follows the op (the product, or the Relu after it), or null. */
  quantized: string | null;
  /** The Relu/Clip folded into the op's Q, if any. */
  clip: number | null;
  /** The product is a graph output: the op writes `renamed` and the graph output is its Q → DQ. */
  renamed: string | null;
  /** The BatchNormalization / Mul / Add by constants folded into a Conv. */
  folded: FoldedAffine | null;
}

const isGraphOutput = (ed: GraphRewriter, name: string) => ed.info.outputs.some((o) => o.name === name);

/** A Relu, or a Clip whose minimum is a constant 0 (in an attribute or an input). */
function isZeroClip(ed: GraphRewriter, index: number): boolean {
  const n = ed.info.nodes[index];
  if (n.domain !== '') return false;
  if (n.opType === 'Relu') return true;
  if (n.opType !== 'Clip') return false;
  const attr = n.attributes.find((a) => a.name === 'min');
  if (attr) return attr.f === 0;
  const min = n.inputs[1] ? ed.floatWeight(n.inputs[1]) : null;
  return min !== null && min.length === 1 && min[0] === 0;
}

/** The single reader of `value` when it is a Relu/Clip-from-0 whose output is no graph output. */
function foldableClip(ed: GraphRewriter, value: string): number | null {
  const consumers = ed.graph.values.get(value)?.consumers ?? [];
  if (consumers.length !== 1 || isGraphOutput(ed, value)) return null;
  const c = consumers[0];
  const out = ed.info.nodes[c].outputs[0];
  return isZeroClip(ed, c) && ed.info.nodes[c].inputs[0] === value && !isGraphOutput(ed, out) ? c : null;
}

/** The product value of each split Gemm with a bias (MatMul's output before the Add), named the same in the calibration copy and the quantized model. */
function gemmProducts(ed: GraphRewriter, ops: readonly WeightOp[]): Map<number, string> {
  return new Map(ops.filter((o) => o.opType === 'Gemm' && o.bias).map((o) => [o.index, ed.uniqueName(`${o.node.info.outputs[0]}_MatMul_Output`)]));
}

function layout(ed: GraphRewriter, ops: readonly WeightOp[], products: ReadonlyMap<number, string>): OpLayout[] {
  /** The values some int8 op reads. */
  const read = new Set(ops.map((o) => o.activation));
  return ops.map((op) => {
    const product = products.get(op.index);
    // A split Gemm's product feeds its own Add only: its Q → DQ comes right after the MatMul.
    if (product) return { op, product, quantized: product, clip: null, renamed: null, folded: null };
    if (op.opType !== 'Conv') {
      const out = op.node.info.outputs[0];
      const clip = foldableClip(ed, out);
      const after = clip === null ? out : ed.info.nodes[clip].outputs[0];
      if (read.has(after)) return { op, product: out, quantized: after, clip, renamed: null, folded: null };
      // Before an Add, the Q stays: onnxruntime would fuse MatMul + Add into a Gemm first, which stays float.
      const beforeAdd = (ed.graph.values.get(out)?.consumers ?? []).some((c) => ed.info.nodes[c].opType === 'Add');
      return { op, product: out, quantized: beforeAdd ? out : null, clip: null, renamed: null, folded: null };
    }
    const folded = foldAffineAfterConv(ed, op, (name) => isGraphOutput(ed, name));
    const out = folded?.output ?? op.node.info.outputs[0];
    if (isGraphOutput(ed, out)) return { op, product: out, quantized: out, clip: null, renamed: ed.uniqueName(`${out}_before_QuantizeLinear`), folded };
    const clip = foldableClip(ed, out);
    return { op, product: out, quantized: clip === null ? out : ed.info.nodes[clip].outputs[0], clip, renamed: null, folded };
  });
}

/** Gemm → MatMul + Add in float32, for the copy of the model that is calibrated. */
function splitGemmFloat(ed: GraphRewriter, op: WeightOp, product: string): void {
  const { values, K, N } = matmulWeight(ed, op);
  const w = ed.addInitializer({ name: `${op.weight}_KxN`, elemType: ElemType.FLOAT, dims: [K, N], data: float32Bytes(values) });
  const out = op.node.info.outputs[0];
  const bias = gemmBias(ed, op);
  const nodes: NodeSpec[] = [ed.node({ opType: 'MatMul', name: `${op.node.name}_MatMul`, inputs: [op.activation, w], outputs: [bias ? product : out] })];
  if (bias) nodes.push(ed.node({ opType: 'Add', name: `${op.node.name}_Add`, inputs: [product, gemmBiasName(ed, op, bias)], outputs: [out] }));
  ed.replace(op.index, nodes);
}

export interface StaticRun {
  runner: ModelRunner;
  samples: SampleSet;
  calibration: Omit<CalibrateOptions, 'signal' | 'onProgress'>;
  signal?: AbortSignal;
  onProgress?: CalibrateOptions['onProgress'];
}

/**
 * Calibrates the activations the static layout quantizes (on a float copy with the Gemms split
 * when there are any, so that their products exist) and rewrites the model; returns the rewriter to
 * finish, the changes and the ranges.
 */
export async function staticQuantizeModel(model: OnnxModel, ops: readonly WeightOp[], o: StaticOptions, r: StaticRun): Promise<{ ed: GraphRewriter; changes: NodeChange[]; ranges: Map<string, TensorRange> }> {
  const ed = new GraphRewriter(model);
  const products = gemmProducts(ed, ops);
  const plan = layout(ed, ops, products);
  const values = [...new Set(plan.flatMap((p) => [p.op.activation, ...(p.quantized ? [p.quantized] : [])]))];
  let calibrated = model.file;
  let tmp: string | null = null;
  try {
    if (products.size) {
      const copy = new GraphRewriter(model);
      const same = gemmProducts(copy, ops);
      for (const op of ops) if (op.opType === 'Gemm') splitGemmFloat(copy, op, same.get(op.index)!);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-static-'));
      calibrated = path.join(tmp, 'calibration.onnx');
      writeModelFile(model, copy.finish(), calibrated);
    }
    const ranges = await calibrate(r.runner, calibrated, values, r.samples, { ...r.calibration, signal: r.signal, onProgress: r.onProgress });
    return { ed, changes: staticQuantize(ed, plan, ranges, o), ranges };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function staticQuantize(ed: GraphRewriter, plan: readonly OpLayout[], ranges: ReadonlyMap<string, TensorRange>, o: StaticOptions): NodeChange[] {
  const perAxis = o.perChannel || (o.perChannelConv && plan.some((p) => p.op.opType === 'Conv'));
  ensureOpset(ed, perAxis ? 13 : 10, (why) => new QuantizeError(ed.model.file, `cannot be quantized statically: QDQ ${perAxis ? 'with per-channel weights needs opset 13' : 'needs opset 10'} and raising it is not safe: ${why}`));
  const activations = new Map<string, { dq: string; scale: number }>();
  /** One Q → DQ pair for a value; `source` is what the Q reads when it differs from `name` (a renamed graph output). */
  const pair = (name: string, opts: { after?: number; source?: string; dq?: string } = {}): { dq: string; scale: number } | null => {
    const done = activations.get(name);
    if (done) return done;
    const r = ranges.get(name);
    if (!r) return null;
    const { scale, zeroPoint } = scaleZeroPoint(r.lo, r.hi, 'uint8', false);
    const base = name.replace(/[^A-Za-z0-9_./:-]/g, '_');
    const s = ed.addInitializer({ name: `${base}_scale`, elemType: ElemType.FLOAT, dims: [], data: float32Bytes(Float32Array.of(scale)) });
    const z = ed.addInitializer({ name: `${base}_zero_point`, elemType: ElemType.UINT8, dims: [], data: Uint8Array.of(zeroPoint) });
    const q = ed.uniqueName(`${base}_QuantizeLinear_Output`);
    const dq = opts.dq ?? ed.uniqueName(`${base}_DequantizeLinear_Output`);
    const nodes = [
      ed.node({ opType: 'QuantizeLinear', name: `${base}_QuantizeLinear`, inputs: [opts.source ?? name, s, z], outputs: [q] }),
      ed.node({ opType: 'DequantizeLinear', name: `${base}_DequantizeLinear`, inputs: [q, s, z], outputs: [dq] }),
    ];
    const producer = opts.after ?? ed.graph.values.get(name)?.producer ?? -1;
    if (producer >= 0) ed.insertAfter(producer, nodes);
    else ed.insertAtStart(nodes);
    const a = { dq, scale };
    activations.set(name, a);
    return a;
  };
  const replaced = new Set(plan.map((p) => p.op.index));
  /** Every reader of `value` left as it is reads `dq` instead (quantized ops get it through `pair`). */
  const repoint = (value: string, dq: string) => {
    for (const c of ed.graph.values.get(value)?.consumers ?? []) {
      if (replaced.has(c) || !ed.isUntouched(c)) continue;
      ed.editSource(c, { inputs: ed.sourceInputs(c).map((x) => (x === value ? dq : x)) });
    }
  };
  const changes: NodeChange[] = [];
  for (const p of plan) {
    const { op } = p;
    const a = pair(op.activation);
    if (!a) continue;
    const isConv = op.opType === 'Conv';
    // Weights: Conv [M, C/g, k…] per output channel (axis 0); MatMul and a split Gemm [K, N] (axis 1).
    const { values, K, N } = isConv ? { values: p.folded?.weights ?? ed.floatWeight(op.weight)!, K: 0, N: 0 } : matmulWeight(ed, op);
    const dims = isConv ? op.weightInfo.dims : [K, N];
    const axis = isConv ? 0 : 1;
    const perChannel = isConv ? o.perChannelConv : o.perChannel;
    const granularity: Granularity = perChannel ? { kind: 'axis', axis } : { kind: 'tensor' };
    const q = quantizeTensor(values, dims, { type: o.weightType, symmetric: true, granularity, reduceRange: o.reduceRange });
    const wq = addQuantizedWeight(ed, q, { base: op.weight, alwaysZeroPoint: false });
    const wDq = ed.uniqueName(`${op.weight}_DequantizeLinear_Output`);
    const nodes: NodeSpec[] = [ed.node({
      opType: 'DequantizeLinear', name: `${op.weight}_DequantizeLinear`, inputs: [wq.values, wq.scale, ...(wq.zeroPoint ? [wq.zeroPoint] : [])], outputs: [wDq],
      attributes: perChannel ? [attrs.int('axis', axis)] : [],
    })];
    let after = wq.bytes;
    const out = op.node.info.outputs[0];
    let scheme = `static int8 (QDQ), ${perChannel ? 'per-channel' : 'per-tensor'} weights`;
    if (isConv) {
      const inputs = [...ed.sourceInputs(op.index)];
      inputs[0] = a.dq;
      inputs[1] = wDq;
      const b = p.folded?.bias ?? (op.bias ? ed.floatWeight(op.bias)! : null);
      const biasName = op.bias ?? `${op.weight}_bias`;
      if (b) {
        // Bias as int32, scale = activation scale × weight scale, zero point 0 (QLinearConv's bias).
        const scales = Float32Array.from(b, (_, i) => Math.fround(a.scale * q.scales[perChannel ? i : 0]));
        const bq = new Int32Array(b.length);
        for (let i = 0; i < b.length; i++) bq[i] = scales[i] === 0 ? 0 : Math.max(-2147483648, Math.min(2147483647, roundHalfEven(b[i] / scales[i])));
        const bName = ed.addInitializer({ name: `${biasName}_quantized`, elemType: ElemType.INT32, dims: [b.length], data: new Uint8Array(bq.buffer) });
        const sName = ed.addInitializer({ name: `${biasName}_quantized_scale`, elemType: ElemType.FLOAT, dims: perChannel ? [b.length] : [], data: float32Bytes(perChannel ? scales : scales.subarray(0, 1)) });
        const bDq = ed.uniqueName(`${biasName}_DequantizeLinear_Output`);
        nodes.push(ed.node({ opType: 'DequantizeLinear', name: `${biasName}_DequantizeLinear`, inputs: [bName, sName], outputs: [bDq], attributes: perChannel ? [attrs.int('axis', 0)] : [] }));
        inputs[2] = bDq;
        after += bq.byteLength + (perChannel ? scales.byteLength : 4);
        scheme += ', int32 bias';
      }
      if (p.folded) {
        for (const i of p.folded.indices) ed.replace(i, []);
        scheme += `, ${p.folded.ops.join(' + ')} folded in`;
      }
      nodes.push({ source: op.index, inputs, ...(p.renamed || p.folded ? { outputs: [p.renamed ?? p.product] } : {}) });
    } else if (op.opType === 'MatMul') {
      nodes.push({ source: op.index, inputs: [a.dq, wDq] });
    } else {
      // Gemm → MatMul (→ Q → DQ → Add(beta·C), the Add inserted below after the product's pair).
      nodes.push(ed.node({ opType: 'MatMul', name: `${op.node.name}_MatMul`, inputs: [a.dq, wDq], outputs: [p.product] }));
      scheme += op.bias ? ', as MatMul + Add' : ', as MatMul';
    }
    ed.replace(op.index, nodes);
    const bias = op.opType === 'Gemm' ? gemmBias(ed, op) : null;
    if (bias) {
      const y = pair(p.product, { after: op.index });
      ed.insertAfter(op.index, [ed.node({ opType: 'Add', name: `${op.node.name}_Add`, inputs: [y?.dq ?? p.product, gemmBiasName(ed, op, bias)], outputs: [out] })]);
      after += bias.values.byteLength;
    } else if (p.renamed) {
      // The graph output keeps its name: it is the DQ of the op's new output.
      pair(p.product, { after: op.index, source: p.renamed, dq: p.product });
    } else if (p.quantized) {
      const y = pair(p.quantized, { after: p.clip ?? op.index });
      if (y) repoint(p.quantized, y.dq);
    }
    changes.push({
      node: op.node.name, opType: op.opType, precision: 'int8', weight: op.weight, scheme,
      bytesBefore: tensorBytes(ed, op.weight) + tensorBytes(ed, op.bias), bytesAfter: after, outputs: p.folded ? [p.product] : [...op.node.info.outputs],
    });
  }
  return changes;
}
