/**
 * What a quantization run is asked (QuantizeSettings) and what each rewrite reports per node
 * (NodeChange). The report (report.ts) is built from these; the VS Code wizard and the CLI fill
 * the same settings.
 */

export type QuantMode = 'dynamic' | 'static' | 'weight-only' | 'mixed' | 'fp16' | 'prune';
export const QUANT_MODES: readonly QuantMode[] = ['dynamic', 'static', 'weight-only', 'mixed', 'fp16', 'prune'];

/** A bit width per node for mixed precision ('fp32' keeps the node as it is). */
export type Precision = 'int8' | 'int4' | 'fp16' | 'fp32';
export const PRECISIONS: readonly Precision[] = ['int8', 'int4', 'fp16', 'fp32'];

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

export interface CalibrationSettings {
  /** Dataset file or image folder in any format the evaluation reads. */
  data: string;
  method: CalibrationMethod;
  /** Percentile method: the share of values kept inside the range, in percent (default 99.999). */
  percentile?: number;
  /** Samples read from the data (default 256). */
  maxSamples?: number;
  /** Samples per run (default 32; a model with a fixed batch uses its own). */
  batchSize?: number;
  /** Label column of the dataset, if it has one (default 'label'); labels are not needed. */
  labelColumn?: string | null;
}

export interface QuantizeSettings {
  mode: QuantMode;
  /** Weight bits for weight-only (8 or 4; default 4) and the integer width mixed precision aims for (default 8). */
  bits?: 8 | 4;
  /** Per-output-channel weight scales for MatMul/Gemm (Conv weights are per channel unless `perChannel === false`). */
  perChannel?: boolean;
  /** Symmetric weight ranges (zero point 0). Default true for int8 weights and int4; activations stay asymmetric uint8. */
  symmetric?: boolean;
  /**
   * 7-bit weights, for CPUs whose u8s8 kernels saturate (x86 without VNNI: vpmaddubsw adds two
   * u8×s8 products into 16 bits). Default true for static (onnxruntime runs its fused QLinearConv /
   * QLinearMatMul on those kernels: a small CNN's output was 15% off with 8-bit weights, 1.6% with
   * 7-bit), false otherwise (dynamic int8 keeps 8 bits: its kernels showed no saturation here).
   */
  reduceRange?: boolean;
  /** Op types to rewrite; default per mode (dynamic: MatMul, Gemm; static: Conv, MatMul, Gemm; weight-only: MatMul, Gemm). */
  ops?: string[];
  excludeOps?: string[];
  excludeNodes?: string[];
  /**
   * Dynamic and static: also quantize depthwise convolutions. Default false: on PP-OCRv4
   * recognition they hold 6% of the Conv weights but cost 2 points of per-step agreement (dynamic
   * 97.7% → 95.6%, static 96.3% → 94.5%), and onnxruntime's int8 depthwise QLinearConv ran 3.5x
   * slower than its float one there (x86 with AVX2, no VNNI: 10 ms vs 2.9 ms of a 40 ms run).
   */
  depthwise?: boolean;
  /**
   * Dynamic and static: weight type; uint8 pairs with uint8 activations (u8u8 kernels: no 16-bit
   * saturation on x86 without VNNI, so static keeps 8 bits, but slower there). Default int8.
   */
  weightType?: 'int8' | 'uint8';
  /** Weight-only: values per block along K (power of two ≥ 16; default 32). */
  blockSize?: number;
  /** Dynamic and static: integer ops (MatMulInteger/ConvInteger) or QDQ pairs. Default: 'integer' for dynamic, 'qdq' for static. */
  format?: 'integer' | 'qdq';
  /**
   * Weight-only in MatMulNBits: onnxruntime's accuracy_level. 4 (default): activations quantized to
   * int8 per block at run time, int8 dot products (faster than float32 at batch 1); 0: float
   * activations, weights unpacked per run (exact against the dequantized weights, slower).
   */
  accuracyLevel?: 0 | 4;
  /** Weight-only: standard DequantizeLinear (opset 21; raising the model's opset when that is safe) or com.microsoft MatMulNBits. Default 'auto'. */
  weightOnlyFormat?: 'auto' | 'dequantize' | 'matmulnbits';
  calibration?: CalibrationSettings;
  /** Prune: the share of weights set to zero (0..1), per layer or over all layers together. */
  sparsity?: number;
  pruneScope?: 'layer' | 'global';
  /** fp16: keep float32 graph inputs and outputs (Casts at the edges). Default true. */
  keepIoTypes?: boolean;
  /** fp16: op types kept in float32 on top of the built-in list of ops without fp16 kernels. */
  fp16BlockOps?: string[];
  /** Mixed: precision chosen by hand per node name (wins over the automatic choice). */
  nodePrecision?: Record<string, Precision>;
  /** Mixed: largest relative output error allowed (RMS error / RMS of the fp32 outputs), e.g. 0.02. */
  maxError?: number;
  /** Mixed: largest top-1 accuracy drop allowed on labelled calibration data, e.g. 0.01 (one point). */
  maxAccuracyDrop?: number;
  /** Mixed: the batch size the model will run at; the budget is checked at batch 1 and at this size (default 32). */
  evalBatch?: number;
}

/** What happened to one node. */
export interface NodeChange {
  node: string;
  opType: string;
  precision: Precision;
  /** One phrase, e.g. 'dynamic int8 (MatMulInteger), per-channel weights'. */
  scheme: string;
  weight?: string;
  /** Bytes of the node's weight (and bias, scales, zero points) before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** The node's outputs, named the same in both models (compared for the per-node error). */
  outputs: string[];
  /** Prune: share of zero weights before and after. */
  sparsity?: { before: number; after: number };
}
