/**
 * What the runtime process (src/runtime/child/ortChild.ts) serves. Each request names the model by path;
 * the process caches sessions by (path, mtime, size, options). Results of the latest run of each
 * model stay in the process so the webview can page through them (`page`, `slab`) by run id.
 */
import type { BinaryPage, EvalSampleView } from '../shared/protocol';
import type { OpenDatasetOptions } from '../core/data/types';
import type { DatasetFormat, DatasetMapping, LabelKind } from '../shared/datasetTypes';
import type { EvalReport, TaskOption } from '../shared/evalReport';
import type { QuantizeJob } from '../core/quantize/quantize';
import type { QuantReport } from '../shared/quantReport';
import type { ExplainReport, ExplainRequest } from '../shared/explainReport';
import type { UncertaintyOptions } from '../shared/uncertaintyTypes';
import type { PerturbationKind, RobustReport } from '../shared/robustReport';
import type { DriftReport } from '../shared/driftReport';
import type { BehaviourPlan, BehaviourResult } from '../core/diff/behaviour';
import type {
  ActivationsResult, BenchConfig, BenchPoint, ExecutionProvider, InputSpec, IoSignature, ProfileResult, RunResult, SessionOptionsSpec,
} from '../shared/runtimeTypes';

export interface ModelRequest {
  model: string;
  options: SessionOptionsSpec;
}

export interface RunRequest extends ModelRequest {
  inputs: InputSpec[];
}

export type RuntimeMethods = {
  /** The inputs and outputs as ORT declares them, and the ORT version. */
  signature: {
    params: ModelRequest;
    result: {
      inputs: IoSignature[]; outputs: IoSignature[]; ortVersion: string; labels: string[] | null; labelSource: string | null; labelNote: string | null;
      /** The execution providers this platform's onnxruntime offers; the one the session runs on, and why not the one asked for. */
      providers: ExecutionProvider[]; provider: ExecutionProvider; providerNote?: string;
      /** Sizes from the model's metadata for symbolic dims (src/core/inputs/inputGuess.ts). */
      dimHints: Record<string, number>;
    };
  };
  run: { params: RunRequest; result: RunResult };
  /** One run with extra outputs: `values` (or every data-dependent value) are captured. */
  activations: { params: RunRequest & { values: string[] | 'all' }; result: ActivationsResult };
  /** Elements [offset, offset + count) of a tensor of run `runId`, as float64. */
  page: { params: { runId: number; name: string; offset: number; count: number }; result: BinaryPage };
  /** 64 equal-width bins between min and max of a tensor of run `runId` (activation summaries leave them out). */
  histogram: { params: { runId: number; name: string }; result: { edges: number[]; counts: number[] } };
  /** The sub-tensor at leading indices (e.g. [0] of [N, C, H, W] → C×H×W), as float32. */
  slab: { params: { runId: number; name: string; leading: number[] }; result: { dims: number[]; data: Float32Array } };
  /**
   * Writes tensors of run `runId`: each as a .npy file, or all as one .npz (core/files/outputFile.ts;
   * the caller has checked every destination before the run); returns the files written.
   */
  save: {
    params: ({ files: { name: string; file: string }[] } | { npz: string; names: string[] }) & { runId: number; replace: boolean };
    result: { files: string[] };
  };
  /** One benchmark configuration: warm-up, then timed runs until `runs` or `budgetMs`. */
  bench: { params: RunRequest & { config: BenchConfig; warmupRuns: number; runs: number; budgetMs: number }; result: BenchPoint };
  profile: { params: RunRequest & { runs: number }; result: ProfileResult };
  /** The dataset's columns, label column and classes, and the automatic mapping onto the model's inputs. */
  datasetInfo: { params: { model: string; options: SessionOptionsSpec; data: string; labelColumn?: string | null }; result: DatasetInfo };
  /** Drill-down: image thumbnails or row values of some samples of a dataset. */
  datasetSamples: { params: { data: string; samples: { index: number; source: number | string }[] }; result: EvalSampleView[] };
  // --- evaluation (src/runtime/eval/) ---
  /** A model (optionally a second model or dataset) on a labelled dataset → an EvalReport; progress in samples (or bytes); cancellable. */
  evaluate: { params: EvaluateParams; result: EvalReport };
  // --- end evaluation ---
  /** A robustness sweep (perturbations × severities) and an optional black-box attack → an onnx-lens.robust/1 report; progress by stage; cancellable. */
  robust: { params: RobustParams; result: RobustReport };
  /** Two datasets compared feature by feature, and the model's outputs on both (when `model` is set) → an onnx-lens.drift/1 report. */
  drift: { params: DriftParams; result: DriftReport };
  /**
   * Writes the quantized model (never over the input) and compares both models per node; progress
   * by stage; a cancelled or failed job leaves no output behind. Latency and accuracy are the
   * caller's (bench, evaluate), as for the CLI.
   */
  quantize: { params: QuantizeJob; result: QuantReport };
  /**
   * Explains one prediction (KernelSHAP, LIME, occlusion, RISE, attention rollout) or the model on
   * a dataset (permutation importance); progress in model evaluations; cancellable.
   */
  explain: { params: ExplainRequest; result: ExplainReport };
  /**
   * Both models of a diff on the same samples: per output agreement, per matched node error and
   * the first divergence (core/diff/behaviour.ts); progress by batch; cancellable.
   */
  diffBehaviour: { params: DiffBehaviourParams; result: BehaviourResult & { source: string } };
  /** Drops cached sessions and run results of one model (or all). */
  release: { params: { model?: string }; result: { released: number } };
};

/** Dataset reading options an evaluation may pass on (the rest is decided from the model). */
export type EvalDatasetOptions = Pick<OpenDatasetOptions, 'inputKey' | 'labelsPath' | 'classNames' | 'format' | 'preprocess'>;

export interface EvaluateParams {
  model: string;
  options: SessionOptionsSpec;
  /** Dataset file (CSV/TSV, JSON Lines, .npy/.npz, IDX) or image folder. */
  data: string;
  /** Label column (CSV/JSONL) or array key (.npz); default 'label' (text) or auto-detected (arrays). */
  labelColumn?: string;
  /** A saved or edited mapping of dataset columns to model inputs; default `autoMapping`. */
  mapping?: DatasetMapping;
  task?: TaskOption;
  /** The output holding scores or values; default as `chooseOutput` decides. */
  output?: string;
  /** Samples per run (the model's fixed batch wins); default 64. */
  batchSize?: number;
  /** Binary tasks: the positive class; default 1. */
  positiveClass?: number;
  /** Percentile bootstrap intervals of the headline metrics. */
  bootstrap?: { resamples: number; seed: number };
  /** Samples kept for drill-down; default 10 000. */
  keepSamples?: number;
  dataset?: EvalDatasetOptions;
  /** The same model on a second dataset (e.g. the training split), compared split against split. */
  compareData?: { data: string; labelColumn?: string; dataset?: EvalDatasetOptions; names?: [string, string] };
  /** A second model on the same samples (same inputs), compared with paired bootstrap deltas. */
  compareModel?: { model: string; output?: string };
  /** Temperature scaling and conformal prediction on a calibration split (the distributions come always). */
  uncertainty?: UncertaintyOptions;
}

export interface RobustParams {
  model: string;
  options: SessionOptionsSpec;
  data: string;
  labelColumn?: string;
  mapping?: DatasetMapping;
  task?: TaskOption;
  output?: string;
  batchSize?: number;
  dataset?: EvalDatasetOptions;
  /** Each perturbation with its severities (severity 0, the clean data, is always measured). */
  perturbations: { perturbation: PerturbationKind; severities: number[] }[];
  /** Headline metric of the curves ('accuracy', 'f1Macro' or 'f1.macro', 'mae', …); default accuracy or mae. */
  metric?: string;
  /** The metric value the breakdown severity is judged against; default 90% of the clean value (110% for lower-is-better metrics). */
  threshold?: number;
  /** Bootstrap of each point's interval; null: none; default 1000 resamples, seed 0. */
  bootstrap?: { resamples: number; seed: number } | null;
  /** Seeds the perturbations and the attack; default 0. */
  seed?: number;
  /** Only the first n samples; default all. */
  maxSamples?: number;
  /** Square Attack (L∞) on the first `samples` samples (default 100): ε a share of the input's value range, a query budget per sample. */
  attack?: { eps: number; queries: number; samples?: number };
  /** Drill-down examples kept per point (default 4). */
  examples?: number;
}

export interface DriftParams {
  reference: string;
  current: string;
  /** The model whose outputs are compared too; omitted: the data only. */
  model?: string;
  options: SessionOptionsSpec;
  /** The label column, left out of the model's inputs (default 'label' where the file has one). */
  labelColumn?: string;
  output?: string;
  task?: TaskOption;
  batchSize?: number;
  /** Significance level before the Bonferroni correction; default 0.05. */
  alpha?: number;
  /** Columns compared as categories even when they hold numbers. */
  categorical?: string[];
}

export interface DatasetInfo {
  path: string;
  format: DatasetFormat;
  /** Feature column names (the label column excluded), at most MAX_COLUMNS of them. */
  columns: string[];
  columnCount: number;
  featureCount: number;
  labelColumn: string | null;
  labelKind: LabelKind;
  numSamples: number | null;
  classNames: string[] | null;
  mapping: DatasetMapping | null;
  /** Why no mapping could be made automatically (one sentence naming the file). */
  mappingError: string | null;
}

export interface DiffBehaviourParams {
  /** The old and new model files. */
  a: string;
  b: string;
  options: SessionOptionsSpec;
  /** What to compare, from the node matching (core/diff/behaviour.ts: behaviourPlan). */
  plan: BehaviourPlan;
  /** A dataset (any format the evaluation reads), mapped onto a's inputs; default seeded random inputs. */
  data?: string;
  labelColumn?: string | null;
  /** Samples: random ones to generate, or at most this many rows of `data`. */
  samples: number;
  batchSize?: number;
  seed?: number;
  /** SQNR (dB) below which a node has diverged. */
  toleranceDb?: number;
}
