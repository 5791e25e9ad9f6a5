/**
 * The quantization report (schema onnx-lens.quant/1): one JSON document per run, for the CLI's
 * --report, the VS Code report panel and the graph's error overlay (nodeErrors by node name).
 * Latency and accuracy are filled in by whoever can run the runtime process (the CLI, the
 * extension); everything else comes from quantizeModelFile.
 */
import type { ReportBase } from '../report/reportFiles';
import type { TensorRange } from './calibrate';
import type { Comparison } from './compare';
import type { SensitivityScan } from './mixed';
import type { SkippedNode } from './select';
import type { NodeChange, QuantizeSettings } from './types';

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
