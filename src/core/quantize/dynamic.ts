/**
 * Dynamic int8: weights quantized offline, activations at run time by DynamicQuantizeLinear
 * (uint8, asymmetric, per tensor). Two forms:
 *  - 'integer': MatMulInteger / ConvInteger → Cast → Mul by (activation scale · weight scale), the
 *    pattern onnxruntime fuses into DynamicQuantizeMatMul (MatMul, Gemm) — and what its own
 *    quantize_dynamic writes;
 *  - 'qdq': DynamicQuantizeLinear → DequantizeLinear on the activation and DequantizeLinear on the
 *    weight in front of the original op.
 * ConvInteger takes only a scalar weight zero point, so per-channel Conv weights are symmetric.
 */
import { ElemType } from '../onnx/elemTypes';
import type { NodeSpec } from '../onnx/write/rewrite';
import { attrs, float32Bytes, type GraphRewriter } from './graphRewriter';
import { QuantizeError } from './errors';
import { ensureOpset } from './opsetUpgrade';
import { quantizeTensor, type Granularity, type QuantType } from './math';
import { gemmBias, matmulWeight, type WeightOp } from './select';
import type { NodeChange } from '../../shared/quantizeSettings';
import { addQuantizedWeight, tensorBytes } from './weights';

export interface DynamicOptions {
  format: 'integer' | 'qdq';
  /** MatMul/Gemm: per output column. */
  perChannel: boolean;
  /** Conv: per output channel (default true). */
  perChannelConv: boolean;
  /** Weight type: int8 (symmetric by default) or uint8 (asymmetric by default). */
  weightType: 'int8' | 'uint8';
  symmetric: boolean;
  reduceRange: boolean;
}

interface ActivationQ {
  q: string;
  scale: string;
  zeroPoint: string;
  /** The QDQ form's dequantized activation. */
  dequantized?: string;
}

/** DynamicQuantizeLinear exists from opset 11; per-axis DequantizeLinear (the QDQ form's per-channel weights) from 13. */
export function dynamicOpset(o: Pick<DynamicOptions, 'format' | 'perChannel' | 'perChannelConv'>): number {
  return o.format === 'qdq' && (o.perChannel || o.perChannelConv) ? 13 : 11;
}

export function dynamicQuantize(ed: GraphRewriter, ops: readonly WeightOp[], o: DynamicOptions): NodeChange[] {
  ensureOpset(ed, dynamicOpset(o), (why) => new QuantizeError(ed.model.file, `cannot be quantized dynamically: DynamicQuantizeLinear needs opset ${dynamicOpset(o)} and raising it is not safe: ${why}`));
  const activations = new Map<string, ActivationQ>();
  const changes: NodeChange[] = [];
  /** DynamicQuantizeLinear (and DequantizeLinear in QDQ form) of an activation, placed before its first quantized consumer. */
  const quantizeActivation = (name: string, before: NodeSpec[]): ActivationQ => {
    let a = activations.get(name);
    if (!a) {
      const base = name.replace(/[^A-Za-z0-9_./:-]/g, '_');
      a = { q: ed.uniqueName(`${base}_quantized`), scale: ed.uniqueName(`${base}_scale`), zeroPoint: ed.uniqueName(`${base}_zero_point`) };
      before.push(ed.node({ opType: 'DynamicQuantizeLinear', name: `${base}_QuantizeLinear`, inputs: [name], outputs: [a.q, a.scale, a.zeroPoint] }));
      if (o.format === 'qdq') {
        a.dequantized = ed.uniqueName(`${base}_dequantized`);
        before.push(ed.node({ opType: 'DequantizeLinear', name: `${base}_DequantizeLinear`, inputs: [a.q, a.scale, a.zeroPoint], outputs: [a.dequantized] }));
      }
      activations.set(name, a);
    }
    return a;
  };
  for (const op of ops) {
    const nodes: NodeSpec[] = [];
    const a = quantizeActivation(op.activation, nodes);
    const out = op.node.info.outputs[0];
    const before = tensorBytes(ed, op.weight) + tensorBytes(ed, op.bias);
    let after: number;
    let scheme: string;
    const type: QuantType = o.weightType;
    if (op.opType === 'Conv') {
      const granularity: Granularity = o.perChannelConv ? { kind: 'axis', axis: 0 } : { kind: 'tensor' };
      // ConvInteger needs a scalar weight zero point: per-channel weights are symmetric.
      const symmetric = o.symmetric || (o.perChannelConv && o.format === 'integer');
      const q = quantizeTensor(ed.floatWeight(op.weight)!, op.weightInfo.dims, { type, symmetric, granularity, reduceRange: o.reduceRange });
      const M = op.weightInfo.dims[0];
      const spatial = op.weightInfo.dims.length - 2;
      const perChannel = granularity.kind === 'axis';
      if (o.format === 'integer') {
        // Scales broadcast over [N, M, spatial…] as [M, 1, …, 1].
        const w = addQuantizedWeight(ed, q, { base: op.weight, alwaysZeroPoint: true, scalarZeroPoint: true, scaleDims: perChannel ? [M, ...Array(spatial).fill(1)] : [] });
        const yInt = ed.uniqueName(`${out}_int32`);
        const yFloat = ed.uniqueName(`${out}_cast`);
        const scale = ed.uniqueName(`${out}_scale`);
        const unbiased = op.bias ? ed.uniqueName(`${out}_unbiased`) : out;
        nodes.push(
          { source: op.index, opType: 'ConvInteger', inputs: [a.q, w.values, a.zeroPoint, w.zeroPoint!], outputs: [yInt], name: ed.uniqueName(`${op.node.name}_quant`) },
          ed.node({ opType: 'Cast', name: `${op.node.name}_cast`, inputs: [yInt], outputs: [yFloat], attributes: [attrs.int('to', ElemType.FLOAT)] }),
          ed.node({ opType: 'Mul', name: `${op.node.name}_scales_mul`, inputs: [a.scale, w.scale], outputs: [scale] }),
          ed.node({ opType: 'Mul', name: `${op.node.name}_output_scale_mul`, inputs: [yFloat, scale], outputs: [unbiased] }),
        );
        after = w.bytes;
        if (op.bias) {
          const b = ed.floatWeight(op.bias)!;
          const bias = ed.addInitializer({ name: `${op.bias}_reshaped`, elemType: ElemType.FLOAT, dims: [M, ...Array(spatial).fill(1)], data: float32Bytes(b) });
          nodes.push(ed.node({ opType: 'Add', name: `${op.node.name}_bias_add`, inputs: [unbiased, bias], outputs: [out] }));
          after += b.byteLength;
        }
        scheme = `dynamic int8 (ConvInteger), ${perChannel ? 'per-channel' : 'per-tensor'} ${type} weights`;
      } else {
        const w = addQuantizedWeight(ed, q, { base: op.weight });
        const wDq = ed.uniqueName(`${op.weight}_dequantized`);
        nodes.push(ed.node({ opType: 'DequantizeLinear', name: `${op.weight}_DequantizeLinear`, inputs: [w.values, w.scale, ...(w.zeroPoint ? [w.zeroPoint] : [])], outputs: [wDq], attributes: perChannel ? [attrs.int('axis', 0)] : [] }));
        nodes.push({ source: op.index, inputs: [a.dequantized!, wDq, ...op.node.info.inputs.slice(2)] });
        after = w.bytes + tensorBytes(ed, op.bias);
        scheme = `dynamic int8 (QDQ), ${perChannel ? 'per-channel' : 'per-tensor'} ${type} weights`;
      }
    } else {
      const { values, K, N } = matmulWeight(ed, op);
      const granularity: Granularity = o.perChannel ? { kind: 'axis', axis: 1 } : { kind: 'tensor' };
      const q = quantizeTensor(values, [K, N], { type, symmetric: o.symmetric, granularity, reduceRange: o.reduceRange });
      const perChannel = o.perChannel;
      const bias = op.opType === 'Gemm' ? gemmBias(ed, op) : null;
      const unbiased = bias ? ed.uniqueName(`${out}_unbiased`) : out;
      if (o.format === 'integer') {
        const w = addQuantizedWeight(ed, q, { base: op.weight, alwaysZeroPoint: true, scalarZeroPoint: true });
        const yInt = ed.uniqueName(`${out}_int32`);
        const yFloat = ed.uniqueName(`${out}_cast`);
        const scale = ed.uniqueName(`${out}_scale`);
        nodes.push(
          ed.node({ opType: 'MatMulInteger', name: `${op.node.name}_quant`, inputs: [a.q, w.values, a.zeroPoint, w.zeroPoint!], outputs: [yInt] }),
          ed.node({ opType: 'Cast', name: `${op.node.name}_cast`, inputs: [yInt], outputs: [yFloat], attributes: [attrs.int('to', ElemType.FLOAT)] }),
          ed.node({ opType: 'Mul', name: `${op.node.name}_scales_mul`, inputs: [a.scale, w.scale], outputs: [scale] }),
          ed.node({ opType: 'Mul', name: `${op.node.name}_output_scale_mul`, inputs: [yFloat, scale], outputs: [unbiased] }),
        );
        after = w.bytes;
        scheme = `dynamic int8 (MatMulInteger), ${perChannel ? 'per-channel' : 'per-tensor'} ${type} weights`;
      } else {
        const w = addQuantizedWeight(ed, q, { base: op.weight });
        const wDq = ed.uniqueName(`${op.weight}_dequantized`);
        nodes.push(ed.node({ opType: 'DequantizeLinear', name: `${op.weight}_DequantizeLinear`, inputs: [w.values, w.scale, ...(w.zeroPoint ? [w.zeroPoint] : [])], outputs: [wDq], attributes: perChannel ? [attrs.int('axis', 1)] : [] }));
        nodes.push(ed.node({ opType: 'MatMul', name: op.node.name, inputs: [a.dequantized!, wDq], outputs: [unbiased] }));
        after = w.bytes;
        scheme = `dynamic int8 (QDQ), ${perChannel ? 'per-channel' : 'per-tensor'} ${type} weights`;
      }
      if (bias) {
        // beta = 1: the original bias initializer is read as is (copied byte for byte by the writer).
        const b = op.gemm?.beta === 1 ? op.bias! : ed.addInitializer({ name: `${op.bias}_scaled`, elemType: ElemType.FLOAT, dims: bias.dims, data: float32Bytes(bias.values) });
        nodes.push(ed.node({ opType: 'Add', name: `${op.node.name}_bias_add`, inputs: [unbiased, b], outputs: [out] }));
        after += bias.values.byteLength;
      }
    }
    ed.replace(op.index, nodes);
    changes.push({ node: op.node.name, opType: op.opType, precision: 'int8', scheme, weight: op.weight, bytesBefore: before, bytesAfter: after, outputs: [out] });
  }
  return changes;
}
