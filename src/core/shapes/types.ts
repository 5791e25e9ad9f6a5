import type { Dim } from '../../shared/tensorTypes';

/** What inference knows about one tensor value. `shape === null` means the rank is unknown. */
export interface TensorType {
  elemType: number; // 0 = unknown
  shape: Dim[] | null;
  /**
   * Set when the value is not a plain tensor (ZipMap's sequence of maps, Loop/Scan sequences
   * ...): elemType/shape then describe what is known, usually nothing, and this says why.
   */
  note?: string;
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
  /**
   * The same count with every symbolic dim (e.g. 'batch', 'seq', 'batch*128') evaluated as 1.
   * Still null when a dim is entirely unknown (null) or the op is not counted. Equals `macs`
   * when all dims are fixed.
   */
  macsBatch1: number | null;
}

export interface InferenceResult {
  /** Per value name in the analysed graph (and its subgraphs, with their own names). */
  types: Map<string, TensorType>;
  consts: Map<string, ConstValue>;
  /** Per node index of the main graph. */
  costs: NodeCost[];
  /** Sum over costs with macs !== null; null when no node has a known MAC count. */
  totalMacs: number | null;
  /**
   * Sum over costs with macsBatch1 !== null; null when none is known.
   *
   * Reporting policy (CLI, UI): `totalMacs` is the honest number and is shown only when every
   * counted node is fully static. Models with a symbolic batch/sequence dim are reported with
   * `totalMacsBatch1` and labelled "with symbolic dims = 1" — a per-sample figure, which is
   * what people compare between models. Nodes whose MACs are unknown even then (a null dim)
   * are left out of both sums, so a caller that needs completeness checks `costs`.
   */
  totalMacsBatch1: number | null;
  /** Total parameters: sum of costs[].parameters (each initializer/Constant counted once). */
  totalParameters: number;
  /** Non-fatal notes, e.g. an op with no shape function. */
  warnings: string[];
}
