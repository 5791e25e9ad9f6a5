import type { Dim } from '../onnx/types';

/** What inference knows about one tensor value. `shape === null` means the rank is unknown. */
export interface TensorType {
  elemType: number; // 0 = unknown
  shape: Dim[] | null;
}

/** A small constant known at analysis time (shape subgraphs, Reshape targets, Slice bounds...). */
export interface ConstValue {
  elemType: number;
  dims: number[];
  /** int/bool tensors as numbers, floats as numbers; only small tensors are folded. */
  data: number[];
}

export interface NodeCost {
  /** Elements of initializers and Constant tensors this node reads (each counted once per graph). */
  parameters: number;
  /** Multiply-accumulates for Conv/ConvTranspose/Gemm/MatMul/attention-like ops; null when unknown or not counted. */
  macs: number | null;
}

export interface InferenceResult {
  /** Per value name in the analysed graph (and its subgraphs, with their own names). */
  types: Map<string, TensorType>;
  consts: Map<string, ConstValue>;
  /** Per node index of the main graph. */
  costs: NodeCost[];
  /** Sum over costs with macs !== null; null when no node has a known MAC count. */
  totalMacs: number | null;
  /** Non-fatal notes, e.g. an op with no shape function. */
  warnings: string[];
}
