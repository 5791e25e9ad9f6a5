/**
 * Weight-only quantization of MatMul (and Gemm, rewritten as MatMul + Add): weights stored as
 * 4- or 8-bit integers in blocks of `blockSize` along K with a float32 scale per block and column;
 * activations stay float. Two spellings with the same numbers:
 *  - DequantizeLinear with block_size (opset 21) → MatMul: standard ONNX; onnxruntime fuses it
 *    into MatMulNBits. Needs the model's opset at 21 (raised when safe, see opsetUpgrade.ts).
 *  - com.microsoft MatMulNBits: any opset, onnxruntime only. B is [N, K/block, block·bits/8] —
 *    each column's blocks, two 4-bit values per byte, low nibble first — and the zero point is
 *    2^(bits−1) unless given.
 * 'auto' picks MatMulNBits: onnxruntime 1.30 fuses DequantizeLinear → MatMul into MatMulNBits only
 * when no bias Add follows (it first fuses MatMul + Add into Gemm), and otherwise dequantizes the
 * blocked int4 weights on every run — measured on the 6 MB digits MLP at batch 1: 4–10 ms per run
 * against 0.2 ms for fp32 and 0.2–0.4 ms for MatMulNBits (which takes the bias itself).
 * accuracy_level is 4: onnxruntime's MatMulNBits then quantizes each block of activations to int8
 * at run time and uses its int8 dot-product kernels (SQNBitGemm CompInt8); the weights stay as
 * stored. Measured on the 6 MB MLP at batch 1, one thread, same run: level 0 (float activations,
 * weights unpacked per run) was 1.4–1.6x slower than float32, level 4 is 1.9x faster.
 */
import { ElemType } from '../onnx/elemTypes';
import type { NodeSpec } from '../onnx/write/rewrite';
import { attrs, float32Bytes, MS_DOMAIN, type GraphRewriter } from './graphRewriter';
import { QuantizeError } from './errors';
import { packQuantized, quantizeTensor, type QuantizedTensor } from './math';
import { ensureOpset } from './opsetUpgrade';
import { gemmBias, matmulWeight, transpose2d, type WeightOp } from './select';
import type { NodeChange } from '../../shared/quantizeSettings';
import { addQuantizedWeight, tensorBytes } from './weights';

export interface WeightOnlyOptions {
  bits: 4 | 8;
  blockSize: number;
  symmetric: boolean;
  format: 'auto' | 'dequantize' | 'matmulnbits';
  /** MatMulNBits' accuracy_level (4: int8 compute, 0: float activations). */
  accuracyLevel: 0 | 4;
}

export interface WeightOnlyResult {
  changes: NodeChange[];
  format: 'dequantize' | 'matmulnbits';
  warnings: string[];
}

const BLOCKED_DQ_OPSET = 21;

export function checkBlockSize(blockSize: number, file: string): void {
  if (!Number.isInteger(blockSize) || blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) {
    throw new QuantizeError(file, `cannot be quantized with block size ${blockSize}: it must be a power of two of at least 16`);
  }
}

export function weightOnlyQuantize(ed: GraphRewriter, ops: readonly WeightOp[], o: WeightOnlyOptions): WeightOnlyResult {
  checkBlockSize(o.blockSize, ed.model.file);
  const warnings: string[] = [];
  let format: 'dequantize' | 'matmulnbits' = o.format === 'dequantize' ? 'dequantize' : 'matmulnbits';
  if (format === 'dequantize') {
    ensureOpset(ed, BLOCKED_DQ_OPSET, (why) => new QuantizeError(ed.model.file, `cannot use blocked DequantizeLinear, which needs opset ${BLOCKED_DQ_OPSET}: ${why}; use the MatMulNBits format instead`));
  }
  const type = o.bits === 4 ? (o.symmetric ? 'int4' : 'uint4') : o.symmetric ? 'int8' : 'uint8';
  const changes: NodeChange[] = [];
  for (const op of ops) {
    const { values, K, N } = matmulWeight(ed, op);
    const q = quantizeTensor(values, [K, N], { type, symmetric: o.symmetric, granularity: { kind: 'block', axis: 0, blockSize: o.blockSize } });
    const out = op.node.info.outputs[0];
    const bias = op.opType === 'Gemm' ? gemmBias(ed, op) : null;
    const unbiased = bias ? ed.uniqueName(`${out}_unbiased`) : out;
    const nodes: NodeSpec[] = [];
    let after: number;
    if (format === 'dequantize') {
      const w = addQuantizedWeight(ed, q, { base: op.weight });
      const wDq = ed.uniqueName(`${op.weight}_dequantized`);
      nodes.push(
        ed.node({ opType: 'DequantizeLinear', name: `${op.weight}_DequantizeLinear`, inputs: [w.values, w.scale, ...(w.zeroPoint ? [w.zeroPoint] : [])], outputs: [wDq], attributes: [attrs.int('axis', 0), attrs.int('block_size', o.blockSize)] }),
        ed.node({ opType: 'MatMul', name: op.opType === 'MatMul' ? op.node.name : `${op.node.name}_MatMul`, inputs: [op.activation, wDq], outputs: [unbiased] }),
      );
      after = w.bytes;
    } else {
      const packed = matMulNBitsInputs(q, K, N, o.bits, o.blockSize);
      const b = ed.addInitializer({ name: `${op.weight}_quantized`, elemType: ElemType.UINT8, dims: packed.bDims, data: packed.b });
      const s = ed.addInitializer({ name: `${op.weight}_scale`, elemType: ElemType.FLOAT, dims: [packed.scales.length], data: float32Bytes(packed.scales) });
      const inputs = [op.activation, b, s, ''];
      after = packed.b.byteLength + packed.scales.byteLength;
      if (packed.zeroPoints) {
        inputs[3] = ed.addInitializer({ name: `${op.weight}_zero_point`, elemType: ElemType.UINT8, dims: [packed.zeroPoints.length], data: packed.zeroPoints });
        after += packed.zeroPoints.byteLength;
      }
      if (bias) {
        // MatMulNBits adds a [N] bias itself (input 5, after g_idx); a separate Add would stay unfused.
        inputs.push('', gemmBiasName(ed, op, bias));
        after += bias.values.byteLength;
      }
      while (inputs[inputs.length - 1] === '') inputs.pop();
      nodes.push(ed.node({
        opType: 'MatMulNBits', domain: MS_DOMAIN, name: `${op.node.name}_MatMulNBits`, inputs, outputs: [out],
        attributes: [attrs.int('K', K), attrs.int('N', N), attrs.int('bits', o.bits), attrs.int('block_size', o.blockSize), attrs.int('accuracy_level', o.accuracyLevel)],
      }));
    }
    if (bias && format === 'dequantize') {
      nodes.push(ed.node({ opType: 'Add', name: `${op.node.name}_bias_add`, inputs: [unbiased, gemmBiasName(ed, op, bias)], outputs: [out] }));
      after += bias.values.byteLength;
    }
    ed.replace(op.index, nodes);
    changes.push({
      node: op.node.name, opType: op.opType, precision: o.bits === 4 ? 'int4' : 'int8', weight: op.weight,
      scheme: `weight-only ${type} blocks of ${o.blockSize} (${format === 'dequantize' ? 'DequantizeLinear' : 'MatMulNBits'})`,
      bytesBefore: tensorBytes(ed, op.weight) + tensorBytes(ed, op.bias), bytesAfter: after, outputs: [out],
    });
  }
  return { changes, format, warnings };
}

/** Gemm's bias as an initializer name: the original one when beta = 1 (copied as is), else beta·C. */
export function gemmBiasName(ed: GraphRewriter, op: WeightOp, bias: { values: Float32Array; dims: number[] }): string {
  if (op.gemm?.beta === 1) return op.bias!;
  return ed.addInitializer({ name: `${op.bias}_scaled`, elemType: ElemType.FLOAT, dims: bias.dims, data: float32Bytes(bias.values) });
}

/**
 * MatMulNBits' inputs from blocks quantized along K of a [K, N] weight: B as unsigned values
 * (signed ones shifted by 2^(bits−1), the default zero point), column-major by block, padded with
 * the zero point up to whole blocks; scales [N · blocks]; zero points only when asymmetric.
 */
export function matMulNBitsInputs(q: QuantizedTensor, K: number, N: number, bits: 4 | 8, blockSize: number): { b: Uint8Array; bDims: number[]; scales: Float32Array; zeroPoints: Uint8Array | null } {
  const blocks = Math.ceil(K / blockSize);
  const signed = q.type === 'int4' || q.type === 'int8';
  const shift = signed ? 2 ** (bits - 1) : 0;
  // q.values is [K, N]; MatMulNBits wants, per column n, the K values in order, padded.
  const colMajor = transpose2d(Float32Array.from(q.values), K, N);
  const padded = new Uint8Array(N * blocks * blockSize);
  const zps = q.zeroPoints;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < blocks * blockSize; k++) {
      const zp = signed ? shift : zps[Math.floor(Math.min(k, K - 1) / blockSize) * N + n];
      padded[n * blocks * blockSize + k] = k < K ? colMajor[n * K + k] + shift : zp;
    }
  }
  const b = bits === 8 ? padded : packQuantized(padded, 'uint4');
  // q.scales is [blocks, N]; MatMulNBits wants [N, blocks].
  const scales = Float32Array.from(transpose2d(q.scales, blocks, N));
  let zeroPoints: Uint8Array | null = null;
  if (!signed) {
    const zpColMajor = new Uint8Array(N * blocks);
    for (let n = 0; n < N; n++) for (let g = 0; g < blocks; g++) zpColMajor[n * blocks + g] = zps[g * N + n];
    if (bits === 8) zeroPoints = zpColMajor;
    else {
      // 4-bit zero points: per column, ceil(blocks / 2) bytes.
      const perCol = Math.ceil(blocks / 2);
      zeroPoints = new Uint8Array(N * perCol);
      for (let n = 0; n < N; n++) zeroPoints.set(packQuantized(zpColMajor.subarray(n * blocks, (n + 1) * blocks), 'uint4'), n * perCol);
    }
  }
  return { b, bDims: [N, blocks, (blockSize * bits) / 8], scales, zeroPoints };
}
