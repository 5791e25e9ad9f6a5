/**
 * Quantization arithmetic as ONNX defines it (QuantizeLinear / DequantizeLinear, opsets 10–21):
 *   q = saturate(round_half_to_even(x / scale) + zero_point),   x' = (q - zero_point) * scale
 * Scales are float32, zero points integers of the quantized type. Ranges always include 0 so that
 * zero (padding, ReLU outputs) is exact. Per-tensor, per-axis and blocked (opset 21) layouts.
 * https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
 */

export type QuantType = 'uint8' | 'int8' | 'uint4' | 'int4';

/** TensorProto.DataType codes of the quantized types. */
export const QUANT_ELEM_TYPE: Record<QuantType, number> = { uint8: 2, int8: 3, uint4: 21, int4: 22 };

export interface QuantRange {
  qmin: number;
  qmax: number;
}

/**
 * The integer range used. Symmetric signed ranges drop the most negative value (int8 → [-127, 127])
 * so that zero point 0 sits in the middle; `reduceRange` keeps one bit less (7-bit weights avoid the
 * int16 saturation of u8s8 kernels on CPUs without VNNI, as onnxruntime's quantizer does).
 */
export function quantRange(type: QuantType, symmetric: boolean, reduceRange = false): QuantRange {
  const bits = (type.endsWith('8') ? 8 : 4) - (reduceRange ? 1 : 0);
  const signed = type.startsWith('int');
  if (signed) {
    const hi = 2 ** (bits - 1) - 1;
    return { qmin: symmetric ? -hi : -hi - 1, qmax: hi };
  }
  return { qmin: 0, qmax: 2 ** bits - 1 };
}

/** Rounds to the nearest integer, ties to the even one (IEEE 754 roundTiesToEven, as ONNX specifies). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface ScaleZeroPoint {
  /** float32-representable. */
  scale: number;
  zeroPoint: number;
}

/**
 * Scale and zero point mapping [rmin, rmax] (widened to include 0) onto the type's range. Symmetric:
 * the range is [-max|r|, max|r|] and the zero point is the middle of the integer range (0 for
 * signed types, 128 for uint8). An all-zero range gets scale 1 so dequantization stays finite.
 */
export function scaleZeroPoint(rmin: number, rmax: number, type: QuantType, symmetric: boolean, reduceRange = false): ScaleZeroPoint {
  const { qmin, qmax } = quantRange(type, symmetric, reduceRange);
  let lo = Math.min(rmin, 0);
  let hi = Math.max(rmax, 0);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`cannot quantize a range [${rmin}, ${rmax}] that is not finite`);
  if (symmetric) {
    const m = Math.max(-lo, hi);
    lo = -m;
    hi = m;
  }
  if (hi === lo) return { scale: 1, zeroPoint: symmetric ? roundHalfEven((qmin + qmax) / 2) : qmin };
  const scale = Math.fround((hi - lo) / (qmax - qmin));
  if (scale === 0) return { scale: 1, zeroPoint: symmetric ? roundHalfEven((qmin + qmax) / 2) : qmin };
  const zeroPoint = symmetric ? roundHalfEven((qmin + qmax) / 2) : clamp(roundHalfEven(qmin - lo / scale), qmin, qmax);
  return { scale, zeroPoint };
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** QuantizeLinear of one value; `scale` must be a float32 value. Saturates to the full type range. */
export function quantizeValue(x: number, scale: number, zeroPoint: number, type: QuantType): number {
  const { qmin, qmax } = quantRange(type, false);
  // x / scale in float32, as onnxruntime computes it (a double quotient rounded to float32 is the
  // correctly rounded float32 quotient).
  const q = roundHalfEven(Math.fround(x / scale)) + zeroPoint;
  return Number.isNaN(q) ? zeroPoint : clamp(q, qmin, qmax);
}

export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround((q - zeroPoint) * scale);
}

/** How a tensor is quantized: one scale, one per slice along `axis`, or one per block of `blockSize` along `axis`. */
export type Granularity =
  | { kind: 'tensor' }
  | { kind: 'axis'; axis: number }
  | { kind: 'block'; axis: number; blockSize: number };

export interface QuantizeOptions {
  type: QuantType;
  symmetric: boolean;
  granularity: Granularity;
  reduceRange?: boolean;
}

export interface QuantizedTensor {
  type: QuantType;
  dims: number[];
  /** One element per value (not packed): Int8Array for signed types, Uint8Array for unsigned. */
  values: Int8Array | Uint8Array;
  /** Scales laid out as `scaleDims` (a scalar: []). */
  scales: Float32Array;
  zeroPoints: Int8Array | Uint8Array;
  scaleDims: number[];
  /** The normalized axis (-1 for per-tensor). */
  axis: number;
  blockSize: number;
}

function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new RangeError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  return a;
}

/**
 * Quantizes a float tensor. For axis/block granularity, each group (a slice along `axis`, or a block
 * of `blockSize` consecutive indices along it, the last one possibly shorter) gets its own scale
 * and zero point computed from its own min and max.
 */
export function quantizeTensor(values: Float32Array, dims: readonly number[], o: QuantizeOptions): QuantizedTensor {
  const signed = o.type.startsWith('int');
  const n = values.length;
  const out = signed ? new Int8Array(n) : new Uint8Array(n);
  if (o.granularity.kind === 'tensor') {
    const [lo, hi] = minMax(values, 0, n, 1);
    const { scale, zeroPoint } = scaleZeroPoint(lo, hi, o.type, o.symmetric, o.reduceRange);
    for (let i = 0; i < n; i++) out[i] = quantizeValue(values[i], scale, zeroPoint, o.type);
    const zp = signed ? Int8Array.of(zeroPoint) : Uint8Array.of(zeroPoint);
    return { type: o.type, dims: [...dims], values: out, scales: Float32Array.of(scale), zeroPoints: zp, scaleDims: [], axis: -1, blockSize: 0 };
  }
  const axis = normalizeAxis(o.granularity.axis, dims.length);
  const len = dims[axis];
  const block = o.granularity.kind === 'block' ? o.granularity.blockSize : 1;
  if (!Number.isInteger(block) || block < 1) throw new RangeError(`block size must be a positive whole number, not ${block}`);
  const groups = Math.ceil(len / block);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  // Scales: per axis → [len]; blocked → dims with dims[axis] = groups, laid out like the tensor.
  const scaleDims = o.granularity.kind === 'axis' ? [len] : dims.map((d, i) => (i === axis ? groups : d));
  const scaleCount = o.granularity.kind === 'axis' ? len : outer * groups * inner;
  const scales = new Float32Array(scaleCount);
  const zps = signed ? new Int8Array(scaleCount) : new Uint8Array(scaleCount);
  if (o.granularity.kind === 'axis') {
    // Per slice: min/max over every (outer, inner) position of index k along the axis.
    for (let k = 0; k < len; k++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let a = 0; a < outer; a++) {
        const [l, h] = minMax(values, (a * len + k) * inner, inner, 1);
        lo = Math.min(lo, l);
        hi = Math.max(hi, h);
      }
      const { scale, zeroPoint } = scaleZeroPoint(lo, hi, o.type, o.symmetric, o.reduceRange);
      scales[k] = scale;
      zps[k] = zeroPoint;
      for (let a = 0; a < outer; a++) {
        const base = (a * len + k) * inner;
        for (let j = 0; j < inner; j++) out[base + j] = quantizeValue(values[base + j], scale, zeroPoint, o.type);
      }
    }
  } else {
    for (let a = 0; a < outer; a++) {
      for (let g = 0; g < groups; g++) {
        const k0 = g * block;
        const rows = Math.min(block, len - k0);
        for (let j = 0; j < inner; j++) {
          // A block: `rows` elements along the axis at fixed (outer a, inner j), stride `inner`.
          const start = (a * len + k0) * inner + j;
          const [lo, hi] = minMax(values, start, rows, inner);
          const { scale, zeroPoint } = scaleZeroPoint(lo, hi, o.type, o.symmetric, o.reduceRange);
          const s = (a * groups + g) * inner + j;
          scales[s] = scale;
          zps[s] = zeroPoint;
          for (let r = 0; r < rows; r++) out[start + r * inner] = quantizeValue(values[start + r * inner], scale, zeroPoint, o.type);
        }
      }
    }
  }
  return { type: o.type, dims: [...dims], values: out, scales, zeroPoints: zps, scaleDims, axis, blockSize: o.granularity.kind === 'block' ? block : 0 };
}

/** Min and max (NaN ignored) of `count` elements from `start` with a stride. */
function minMax(values: Float32Array, start: number, count: number, stride: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0, p = start; i < count; i++, p += stride) {
    const v = values[p];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

/** DequantizeLinear of a whole quantized tensor (for error estimates and tests). */
export function dequantizeTensor(q: QuantizedTensor): Float32Array {
  const n = q.values.length;
  const out = new Float32Array(n);
  if (q.axis < 0) {
    for (let i = 0; i < n; i++) out[i] = dequantizeValue(q.values[i], q.scales[0], q.zeroPoints[0]);
    return out;
  }
  const len = q.dims[q.axis];
  const inner = q.dims.slice(q.axis + 1).reduce((a, b) => a * b, 1);
  const groups = q.blockSize ? Math.ceil(len / q.blockSize) : len;
  for (let i = 0; i < n; i++) {
    const j = i % inner;
    const k = Math.floor(i / inner) % len;
    const a = Math.floor(i / (inner * len));
    const s = q.blockSize ? (a * groups + Math.floor(k / q.blockSize)) * inner + j : k;
    out[i] = dequantizeValue(q.values[i], q.scales[s], q.zeroPoints[s]);
  }
  return out;
}

/** Raw bytes of quantized values as stored in TensorProto.raw_data: 8-bit as is, 4-bit two per byte, low nibble first. */
export function packQuantized(values: Int8Array | Uint8Array, type: QuantType): Uint8Array {
  if (type === 'int8' || type === 'uint8') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) {
    const nibble = values[i] & 0x0f;
    out[i >> 1] |= i & 1 ? nibble << 4 : nibble;
  }
  return out;
}

/** Signal-to-quantization-noise ratio in dB: 10·log10(Σx² / Σ(x−y)²); Infinity when identical. */
export function sqnrDb(reference: ArrayLike<number>, actual: ArrayLike<number>): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i];
    const d = x - actual[i];
    signal += x * x;
    noise += d * d;
  }
  if (noise === 0) return Infinity;
  if (signal === 0) return -Infinity;
  return 10 * Math.log10(signal / noise);
}

/** Cosine similarity; 1 for two all-zero tensors, 0 when only one is all zero. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (aa === 0 && bb === 0) return 1;
  if (aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
}
