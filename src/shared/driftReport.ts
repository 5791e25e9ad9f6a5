/**
 * The drift report (`schema: 'onnx-lens.drift/1'`): two datasets (e.g. training data and what the
 * model sees now) compared feature by feature, and — with a model — its output distributions on
 * both. What `onnx-lens drift --json`/`--report` and the Evaluate tab's Drift view produce and read;
 * documented field by field in docs/drift-report-schema.md. Types only.
 */
import type { EvalModelInfo } from './evalReport';
import type { DatasetFormat } from './datasetTypes';

export const DRIFT_REPORT_SCHEMA = 'onnx-lens.drift/1';

/** Counts of one feature on both datasets, over the same bins, for its chart. */
export interface DriftHistogram {
  /** Numeric: bins + 1 equal-width edges over both datasets' range; null for categories. */
  edges: number[] | null;
  /** A label per bin: a range, or a category ('other' gathers the rarest beyond the first 20). */
  labels: string[];
  reference: number[];
  current: number[];
}

export interface DriftSide {
  /** Values present (not missing). */
  count: number;
  missing: number;
  /** Numeric features: mean and standard deviation of the values present. */
  mean: number | null;
  std: number | null;
}

export interface DriftFeature {
  name: string;
  /** Numbers compared by KS; categories (text, or whole numbers with at most 20 distinct values) by chi-square. */
  kind: 'numeric' | 'categorical';
  test: 'ks' | 'chi-square';
  /** Population stability index (reference deciles, or categories). */
  psi: number;
  /** Two-sample Kolmogorov–Smirnov statistic (numeric features); null for categories. */
  ks: number | null;
  /** Chi-square statistic and degrees of freedom (categorical features); null for numbers. */
  chiSquare: number | null;
  dof: number | null;
  /** p-value of the feature's test (KS: exact up to 10 000 values per side, else asymptotic). */
  pValue: number;
  /** The test rejects at α after Bonferroni over the features, and PSI ≥ 0.1. */
  drifted: boolean;
  reference: DriftSide;
  current: DriftSide;
  histogram: DriftHistogram;
}

/** One `--fail-if psi>0.2` check: fails when any feature (or output) is past the limit. */
export interface DriftGate {
  spec: string;
  /** 'psi', 'ks', 'pValue' or 'drifted' (the number of drifted features). */
  measure: 'psi' | 'ks' | 'pValue' | 'drifted';
  op: '>' | '>=' | '<' | '<=';
  limit: number;
  /** Features (and outputs, prefixed 'output:') past the limit; for 'drifted' the count decides. */
  offenders: string[];
  passed: boolean;
}

export interface DriftDataInfo {
  path: string;
  format: DatasetFormat;
  rows: number;
}

export interface DriftReport {
  schema: typeof DRIFT_REPORT_SCHEMA;
  createdAt: string;
  tool: { name: 'onnx-lens'; version: string };
  /** With --model: the model whose outputs were compared too; null otherwise. */
  model: EvalModelInfo | null;
  reference: DriftDataInfo;
  current: DriftDataInfo;
  settings: { alpha: number; psiDrift: number; categorical: string[] };
  /** Sorted by PSI, largest first. */
  features: DriftFeature[];
  /** The model's outputs on both datasets: each class's probability and the predicted class (or the predicted value). */
  outputs: DriftFeature[];
  /** Names of the drifted features (and outputs, prefixed 'output:'). */
  drifted: string[];
  thresholds?: DriftGate[];
  timing: { totalMs: number; readMs: number; inferenceMs: number };
  warnings: string[];
}
