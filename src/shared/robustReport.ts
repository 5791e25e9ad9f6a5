/**
 * The robustness report (`schema: 'onnx-lens.robust/1'`): a model's metric on its labelled data
 * under perturbations of growing severity, and under a black-box adversarial attack. What
 * `onnx-lens robust --report`, `robust --json` (its `report`) and the Evaluate tab's Robustness view
 * produce and read; documented field by field in docs/robust-report-schema.md. Types only.
 */
import type { EvalDataInfo, EvalModelInfo, EvalOutputInfo, EvalTask } from './evalReport';

export const ROBUST_REPORT_SCHEMA = 'onnx-lens.robust/1';

export type PerturbationKind = 'noise' | 'feature-noise' | 'dropout' | 'brightness' | 'contrast' | 'blur' | 'jpeg' | 'shift' | 'rotate';

export interface PerturbationInfo {
  /** How views name it. */
  title: string;
  /** What the severity means, for help text, axes and reports. */
  severity: string;
  imageOnly: boolean;
  /** Severities a sweep uses when none are given. */
  defaults: number[];
  /** JPEG's quality gets worse as it falls; every other severity as it rises. */
  worseAs: 'higher' | 'lower';
}

/** The perturbations (applied by src/core/robustness/perturbations.ts), as the CLI, the views and reports describe them. */
export const PERTURBATION_INFO: Record<PerturbationKind, PerturbationInfo> = {
  noise: { title: 'Gaussian noise', severity: 'σ (share of the value range)', imageOnly: false, defaults: [0.02, 0.05, 0.1, 0.2], worseAs: 'higher' },
  'feature-noise': { title: 'Noise per feature', severity: 'σ (feature standard deviations)', imageOnly: false, defaults: [0.1, 0.25, 0.5, 1], worseAs: 'higher' },
  dropout: { title: 'Dropout to the mean', severity: 'probability a feature becomes its mean', imageOnly: false, defaults: [0.1, 0.25, 0.5], worseAs: 'higher' },
  brightness: { title: 'Brightness', severity: 'share of the value range added', imageOnly: true, defaults: [0.1, 0.2, 0.4], worseAs: 'higher' },
  contrast: { title: 'Contrast', severity: '1 − contrast factor', imageOnly: true, defaults: [0.25, 0.5, 0.75], worseAs: 'higher' },
  blur: { title: 'Gaussian blur', severity: 'σ (pixels)', imageOnly: true, defaults: [0.5, 1, 2], worseAs: 'higher' },
  jpeg: { title: 'JPEG', severity: 'quality (1–100)', imageOnly: true, defaults: [75, 50, 25, 10], worseAs: 'lower' },
  shift: { title: 'Shift', severity: 'pixels right and down', imageOnly: true, defaults: [1, 2, 4], worseAs: 'higher' },
  rotate: { title: 'Rotation', severity: 'degrees clockwise', imageOnly: true, defaults: [5, 15, 30], worseAs: 'higher' },
};

export const PERTURBATION_KINDS = Object.keys(PERTURBATION_INFO) as PerturbationKind[];

/** One point of a curve: the metric on the data perturbed at one severity (severity 0: the clean data). */
export interface RobustPoint {
  perturbation: PerturbationKind;
  severity: number;
  /** The metric's value (its name is the report's `metricName`); null when undefined on this data. */
  metric: number | null;
  /** Percentile bootstrap 95% interval; null without bootstrap or when undefined. */
  ci95: [number, number] | null;
  /** Classification: share of samples whose predicted class differs from the clean prediction; null for regression. */
  flipRate: number | null;
}

/** The first severity at which the metric is worse than `threshold` (null: it never is, at the severities tried). */
export interface RobustBreakdown {
  perturbation: PerturbationKind;
  threshold: number;
  severity: number | null;
}

/** What a drill-down shows of one sample: an image thumbnail and/or values with their names. */
export interface SampleView {
  /** `data:image/png;base64,…`, at most 96 px on a side. */
  thumbnail?: string;
  columns?: string[];
  values?: number[];
}

export interface RobustExample {
  /** A perturbation, or 'attack' for an adversarial example. */
  perturbation: PerturbationKind | 'attack';
  severity: number;
  /** 0-based sample number in the dataset, and where it came from (line, path or index). */
  index: number;
  source: number | string;
  yTrue: number;
  /** Predicted class (regression: value) on the clean and the perturbed sample. */
  cleanPrediction: number;
  perturbedPrediction: number;
  /** Classification: the probability of the predicted class, clean and perturbed. */
  cleanConfidence: number | null;
  perturbedConfidence: number | null;
  original: SampleView;
  perturbed: SampleView;
}

/** A query-based L∞ attack on every correctly classified sample. */
export interface AttackResult {
  method: 'square';
  norm: 'linf';
  /** ε as given: a share of the attacked input's value range. */
  eps: number;
  /** ε in the input's own units: eps · (hi − lo). */
  epsAbsolute: number;
  /** Query budget per sample. */
  queries: number;
  seed: number;
  /** Samples attacked (correctly classified to begin with) and those already wrong (not attacked). */
  attacked: number;
  alreadyWrong: number;
  successes: number;
  /** successes / attacked; null when nothing could be attacked. */
  successRate: number | null;
  /** Median queries of the successful attacks; null when none succeeded. */
  medianQueries: number | null;
  /** Accuracy on the attacked data: (attacked − successes) / all samples. */
  robustAccuracy: number;
  /** The input the attack perturbs. */
  input: string;
}

/** One `--fail-under metric@perturbation=severity:limit` check. */
export interface RobustGate {
  spec: string;
  metric: string;
  perturbation: PerturbationKind | 'attack';
  severity: number;
  limit: number;
  value: number | null;
  better: 'higher' | 'lower';
  passed: boolean;
}

export interface RobustInputInfo {
  name: string;
  /** Per-sample shape and how it was read: an image (C×H×W) or a vector of features. */
  shape: number[];
  layout: 'image' | 'vector';
  /** The dataset's value range of this input (the scale of noise, brightness and ε). */
  lo: number;
  hi: number;
  perturbed: boolean;
}

export interface RobustReport {
  schema: typeof ROBUST_REPORT_SCHEMA;
  createdAt: string;
  tool: { name: 'onnx-lens'; version: string; ortVersion: string };
  model: EvalModelInfo;
  data: EvalDataInfo;
  output: EvalOutputInfo;
  task: EvalTask;
  /** 'accuracy', 'f1.macro', 'r2', 'mae', … and which way is better. */
  metricName: string;
  better: 'higher' | 'lower';
  settings: {
    seed: number;
    perturbations: { perturbation: PerturbationKind; severities: number[] }[];
    bootstrap: { resamples: number; seed: number } | null;
    /** Samples used (the first n of the dataset); null: all. */
    maxSamples: number | null;
  };
  inputs: RobustInputInfo[];
  clean: { metric: number | null; ci95: [number, number] | null };
  curves: RobustPoint[];
  breakdown: RobustBreakdown[];
  attack?: AttackResult;
  examples: RobustExample[];
  thresholds?: RobustGate[];
  timing: { totalMs: number; inferenceMs: number; perturbMs: number; attackMs: number; samples: number };
  warnings: string[];
}
