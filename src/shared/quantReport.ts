/**
 * The quantization report (schema onnx-lens.quant/1): one JSON document per run, for the CLI's
 * --report, the VS Code report panel and the graph's error overlay (nodeErrors by node name).
 * Latency and accuracy are filled in by whoever can run the runtime process (the CLI, the
 * extension); everything else comes from quantizeModelFile.
 */
import type { ReportBase } from './reportBase';
import type { NodeChange, Precision, QuantizeSettings } from './quantizeSettings';

export const QUANT_REPORT_SCHEMA = 'onnx-lens.quant/1';

export interface LatencySummary {
  /** Milliseconds. */
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  runs: number;
}

export interface QuantReport extends ReportBase {
  schema: typeof QUANT_REPORT_SCHEMA;
  createdAt: string;
  tool: { name: 'onnx-lens'; version: string };
  /** The input model: file bytes plus the external data it uses. */
  model: { path: string; bytes: number };
  output: { path: string; bytes: number; dataFile: string | null; dataBytes: number; referencedDataBytes: number };
  settings: QuantizeSettings;
  size: { before: number; after: number; ratio: number };
  /** Every rewritten node, in graph order. */
  nodes: NodeChange[];
  /** Candidates left as they were, with the reason. */
  skipped: SkippedNode[];
  summary: { rewritten: number; skipped: number; byPrecision: Record<string, number>; byOpType: Record<string, number> };
  warnings: string[];
  timing: { totalMs: number; rewriteMs: number; writeMs: number; calibrationMs: number | null; sensitivityMs: number | null; compareMs: number | null };
  calibration: { data: string; samples: number; method: string; ranges: TensorRange[] } | null;
  sensitivity: SensitivityScan | null;
  /** Both models on the same samples: output agreement and per-node error (worst first). */
  comparison: (Comparison & { data: string | null; source: 'data' | 'random' }) | null;
  /** Top-1 accuracy before and after on labelled evaluation data (from the runtime's evaluate). */
  accuracy: {
    data: string; samples: number; before: number; after: number; delta: number; agreement: number | null;
    /** Paired bootstrap interval of `delta` (both models on the same resamples), when bootstrapped. */
    deltaCi?: { low: number; high: number; level: number };
  } | null;
  /** Latency of both models measured in the same run (from the runtime's bench). */
  latency: { before: LatencySummary; after: LatencySummary; ratio: number; batch: number | null } | null;
}

export function summarize(nodes: readonly NodeChange[], skipped: readonly SkippedNode[]): QuantReport['summary'] {
  const count = (key: (n: NodeChange) => string) => nodes.reduce<Record<string, number>>((acc, n) => ({ ...acc, [key(n)]: (acc[key(n)] ?? 0) + 1 }), {});
  return { rewritten: nodes.length, skipped: skipped.length, byPrecision: count((n) => n.precision), byOpType: count((n) => n.opType) };
}

/**
 * Nodes the user kept in float32, by op type or by name: counted as nodes (the report lists each
 * with its reason), never as op types, so a headline agrees with the node table.
 */
export function excludedNodes(r: Pick<QuantReport, 'skipped'>): number {
  return r.skipped.filter((n) => /excluded/.test(n.reason)).length;
}

export interface TensorRange {
  value: string;
  /** Observed extremes. */
  min: number;
  max: number;
  /** The range chosen by the method (always within [min, max] widened to 0). */
  lo: number;
  hi: number;
}

export interface OutputAgreement {
  output: string;
  /** 'top1': arg-max over the last axis of float scores (or equal integer labels); 'values': errors only. */
  kind: 'top1' | 'values';
  /** Float scores (true) or integer labels (false). */
  scores: boolean;
  /** Share of rows (samples, or steps of [N, T, C] outputs) with the same top-1 class; null for 'values'. */
  top1: number | null;
  rows: number;
  maxAbsError: number;
  meanAbsError: number;
  /** Relative RMS error: √(Σ(x−y)² / Σx²). */
  relativeError: number;
}

export interface NodeError {
  node: string;
  opType: string;
  precision: Precision;
  value: string;
  sqnrDb: number;
  cosine: number;
  maxAbsError: number;
}

export interface Comparison {
  samples: number;
  outputs: OutputAgreement[];
  /** The first classifier-like output's agreement, else the first output's. */
  headline: OutputAgreement | null;
  /** Worst first (lowest SQNR). */
  nodes: NodeError[];
  /** Top-1 accuracy of both models when the samples are labelled (first classifier-like output). */
  accuracy: { before: number; after: number } | null;
}

export interface SensitivityEntry {
  node: string;
  opType: string;
  /** The precision tried for this layer alone. */
  tried: Precision;
  /** Output error with only this layer quantized (relative RMS, or accuracy drop). */
  error: number;
  /** What the layer got in the end. */
  chosen: Precision;
}

export interface SensitivityScan {
  metric: 'relative-error' | 'accuracy-drop';
  budget: number;
  /** The rows the budget was checked on, and the batch size besides 1. */
  check: { source: 'eval' | 'calibration-split' | 'calibration'; data: string | null; samples: number; batch: number };
  /** The whole model's error as written: on the rows the scan ranked layers on, and on the checked rows at batch 1 and at `check.batch`. */
  errors: { scan: number; batch1: number | null; batch: number | null };
  layers: SensitivityEntry[];
  /** Layers kept in float32 to meet the budget (int4 scans first move sensitive layers to int8). */
  kept: number;
  /** The whole model's error as written, as checked (the larger of `errors.batch1` and `errors.batch`). */
  finalError: number;
  /** Whole-model evaluations the search took (besides the one per layer). */
  evaluations: number;
  met: boolean;
}

export interface SkippedNode {
  node: string;
  opType: string;
  reason: string;
}

