/**
 * Static int8 in QDQ form: activations quantized with calibrated ranges (uint8, asymmetric), weights
 * int8 symmetric (per output channel for Conv by default), biases int32 with scale = input scale ×
 * weight scale — the layout onnxruntime's QDQ transformers fuse into QLinearConv / QLinearMatMul /
 * QGemm: DequantizeLinear on every input of the op, one QuantizeLinear → DequantizeLinear pair per
 * activation tensor right after it is produced (shared by every quantized consumer). Consumers that
 * are not quantized keep reading the float tensor.
 */
import { ElemType } from '../onnx/elemTypes';
import type { NodeSpec } from '../onnx/write/rewrite';
import type { TensorRange } from './calibrate';
import { attrs, float32Bytes, type GraphEditor } from './editor';
import { QuantizeError } from './errors';
import { quantizeTensor, roundHalfEven, scaleZeroPoint, type Granularity } from './math';
import { ensureOpset } from './opsetUpgrade';
import type { WeightOp } from './select';
import type { NodeChange } from './types';
import { addQuantizedWeight, tensorBytes } from './weights';

export interface StaticOptions {
  /** MatMul/Gemm weights per output column. */
  perChannel: boolean;
  /** Conv weights per output channel (default true). */
  perChannelConv: boolean;
  reduceRange: boolean;
  /**
   * Also put a QuantizeLinear → DequantizeLinear pair on each op's output (read by every consumer),
   * so onnxruntime sees DQ → op → Q and runs the op in int8 (QLinearConv, QLinearMatMul, QGemm).
   * Without it the op runs in float on dequantized inputs. Default true.
   */
  quantizeOutputs: boolean;
}

/** Activation tensors a static rewrite needs ranges for: the data inputs of the ops, and their outputs. */
export function staticActivations(ed: GraphEditor, ops: readonly WeightOp[], quantizeOutputs = true): string[] {
  const outputs = quantizeOutputs ? ops.map((o) => o.node.info.outputs[0]).filter((v) => !isGraphOutput(ed, v)) : [];
  return [...new Set([...ops.map((o) => o.activation), ...outputs])];
}

function isGraphOutput(ed: GraphEditor, name: string): boolean {
  return ed.info.outputs.some((o) => o.name === name);
}

export function staticQuantize(ed: GraphEditor, ops: readonly WeightOp[], ranges: ReadonlyMap<string, TensorRange>, o: StaticOptions): NodeChange[] {
  const perAxis = o.perChannel || (o.perChannelConv && ops.some((op) => op.opType === 'Conv'));
  ensureOpset(ed, perAxis ? 13 : 10, (why) => new QuantizeError(ed.model.file, `cannot be quantized statically: QDQ ${perAxis ? 'with per-channel weights needs opset 13' : 'needs opset 10'} and raising it is not safe: ${why}`));
  const activations = new Map<string, { dq: string; scale: number }>();
  const quantizeActivation = (name: string): { dq: string; scale: number } | null => {
    const done = activations.get(name);
    if (done) return done;
    const r = ranges.get(name);
    if (!r) return null;
    const { scale, zeroPoint } = scaleZeroPoint(r.lo, r.hi, 'uint8', false);
    const base = name.replace(/[^A-Za-z0-9_./:-]/g, '_');
    const s = ed.addInitializer({ name: `${base}_scale`, elemType: ElemType.FLOAT, dims: [], data: float32Bytes(Float32Array.of(scale)) });
    const z = ed.addInitializer({ name: `${base}_zero_point`, elemType: ElemType.UINT8, dims: [], data: Uint8Array.of(zeroPoint) });
    const q = ed.uniqueName(`${base}_QuantizeLinear_Output`);
    const dq = ed.uniqueName(`${base}_DequantizeLinear_Output`);
    const nodes = [
      ed.node({ opType: 'QuantizeLinear', name: `${base}_QuantizeLinear`, inputs: [name, s, z], outputs: [q] }),
      ed.node({ opType: 'DequantizeLinear', name: `${base}_DequantizeLinear`, inputs: [q, s, z], outputs: [dq] }),
    ];
    const producer = ed.graph.values.get(name)?.producer ?? -1;
    if (producer >= 0) ed.insertAfter(producer, nodes);
    else ed.insertAtStart(nodes);
    const a = { dq, scale };
    activations.set(name, a);
    return a;
  };
  const changes: NodeChange[] = [];
  const quantized = new Set(ops.map((op) => op.index));
  for (const op of ops) {
    const a = quantizeActivation(op.activation);
    if (!a) continue;
    const w = ed.floatWeight(op.weight)!;
    const dims = op.weightInfo.dims;
    // Output channels: Conv [M, C/g, k…] axis 0; MatMul [K, N] axis 1; Gemm with transB [N, K] axis 0.
    const axis = op.opType === 'Conv' || op.gemm?.transB ? 0 : 1;
    const perChannel = op.opType === 'Conv' ? o.perChannelConv : o.perChannel;
    const granularity: Granularity = perChannel ? { kind: 'axis', axis } : { kind: 'tensor' };
    const q = quantizeTensor(w, dims, { type: 'int8', symmetric: true, granularity, reduceRange: o.reduceRange });
    const wq = addQuantizedWeight(ed, q, { base: op.weight, alwaysZeroPoint: false });
    const wDq = ed.uniqueName(`${op.weight}_DequantizeLinear_Output`);
    const nodes: NodeSpec[] = [ed.node({
      opType: 'DequantizeLinear', name: `${op.weight}_DequantizeLinear`, inputs: [wq.values, wq.scale], outputs: [wDq],
      attributes: perChannel ? [attrs.int('axis', axis)] : [],
    })];
    const inputs = [...ed.sourceInputs(op.index)];
    inputs[0] = a.dq;
    inputs[1] = wDq;
    let after = wq.bytes;
    // Bias as int32 (scale = activation scale × weight scale, zero point 0) when the op adds it
    // exactly once per output channel: Conv's B, and Gemm's 1-D C with alpha = beta = 1.
    const biasable = op.bias && (op.opType === 'Conv' || (op.gemm?.alpha === 1 && op.gemm.beta === 1 && ed.initializer(op.bias)!.dims.length === 1));
    if (op.bias && biasable) {
      const b = ed.floatWeight(op.bias)!;
      const scales = Float32Array.from(b, (_, i) => Math.fround(a.scale * q.scales[perChannel ? i : 0]));
      const bq = new Int32Array(b.length);
      for (let i = 0; i < b.length; i++) bq[i] = scales[i] === 0 ? 0 : Math.max(-2147483648, Math.min(2147483647, roundHalfEven(b[i] / scales[i])));
      const bName = ed.addInitializer({ name: `${op.bias}_quantized`, elemType: ElemType.INT32, dims: [b.length], data: new Uint8Array(bq.buffer) });
      const sName = ed.addInitializer({ name: `${op.bias}_quantized_scale`, elemType: ElemType.FLOAT, dims: perChannel ? [b.length] : [], data: float32Bytes(perChannel ? scales : scales.subarray(0, 1)) });
      const bDq = ed.uniqueName(`${op.bias}_DequantizeLinear_Output`);
      nodes.push(ed.node({ opType: 'DequantizeLinear', name: `${op.bias}_DequantizeLinear`, inputs: [bName, sName], outputs: [bDq], attributes: perChannel ? [attrs.int('axis', 0)] : [] }));
      inputs[2] = bDq;
      after += bq.byteLength + (perChannel ? scales.byteLength : 4);
    } else after += tensorBytes(ed, op.bias);
    nodes.push({ source: op.index, inputs });
    ed.replace(op.index, nodes);
    const out = op.node.info.outputs[0];
    if (o.quantizeOutputs && !isGraphOutput(ed, out)) {
      const y = quantizeActivation(out);
      // Every consumer reads the dequantized output; quantized ones do anyway (their input pair is this one).
      if (y) for (const c of ed.graph.values.get(out)?.consumers ?? []) {
        if (quantized.has(c) || !ed.isUntouched(c)) continue;
        ed.editSource(c, { inputs: ed.sourceInputs(c).map((x) => (x === out ? y.dq : x)) });
      }
    }
    changes.push({
      node: op.node.name, opType: op.opType, precision: 'int8', weight: op.weight,
      scheme: `static int8 (QDQ), ${perChannel ? 'per-channel' : 'per-tensor'} weights${biasable ? ', int32 bias' : ''}`,
      bytesBefore: tensorBytes(ed, op.weight) + tensorBytes(ed, op.bias), bytesAfter: after, outputs: [...op.node.info.outputs],
    });
  }
  return changes;
}
