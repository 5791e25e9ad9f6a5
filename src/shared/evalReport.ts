/**
 * The evaluation report: what `onnx-lens eval`, the `evaluate` runtime method and the Evaluation
 * panel produce and read. One versioned JSON document (`schema: 'onnx-lens.eval/1'`), documented
 * field by field in docs/eval-report-schema.md. Types only (no runtime imports), so the webview can
 * import it too.
 *
 * Every number is finite or `null` (JSON has no NaN); every array is a plain `number[]`.
 * Per-sample data is columnar: `drilldown.index[i]`, `drilldown.yTrue[i]`, … describe one sample.
 */
import type { DatasetFormat, DatasetMapping, LabelKind } from './datasetTypes';
import type {
  ClassificationMetrics, ClassifierComparison, HeadlineMetric, Interval, ProbabilitySource, RegressionMetrics,
  RegressorComparison, SplitComparison,
} from './metricTypes';
import type { SessionOptionsSpec } from './runtimeTypes';
import type { EvalUncertainty } from './uncertaintyTypes';

export const EVAL_REPORT_SCHEMA = 'onnx-lens.eval/1';

export type EvalTask = 'classification' | 'regression';

/** The model file as it was when evaluated (the pair (bytes, mtimeMs) tells a stale report apart). */
export interface EvalModelInfo {
  /** Absolute path. */
  path: string;
  bytes: number;
  mtimeMs: number;
}

export interface EvalDataInfo {
  /** Absolute path of the dataset file (or image folder). */
  path: string;
  format: DatasetFormat;
  /** Samples evaluated (every sample of the file). */
  samples: number;
  /** Bytes of the dataset file(s). */
  bytes: number;
  /** The label column or array key. */
  labelColumn: string;
  labelKind: LabelKind;
  /** Class names, index = class; null when not known (then views show the index). */
  classNames: string[] | null;
  /** Where they came from: 'labels.txt', 'folder names', 'model metadata', 'option'; null when none. */
  classNamesSource: string | null;
}

/**
 * The model output the metrics read.
 * - `role: 'scores'`: a float output, n × `columns` scores (probabilities or logits, see
 *   `probabilitySource`); `columns` 1 = a single-output binary model.
 * - `role: 'labels'`: an integer output of predicted classes only; scores are one-hot
 *   (`probabilitySource: 'one-hot'`), so AUC, AP, log loss and calibration say nothing useful and
 *   `warnings` says so.
 * - `role: 'values'`: regression predictions, `columns` 1.
 */
export interface EvalOutputInfo {
  name: string;
  elemType: string;
  role: 'scores' | 'labels' | 'values';
  /** Last dim of the output (values per sample). */
  columns: number;
  /** How scores became probabilities; 'one-hot' for label-only outputs; null for regression. */
  probabilitySource: ProbabilitySource | 'one-hot' | null;
  /** The other outputs of the model (not evaluated). */
  otherOutputs: string[];
}

export interface EvalTiming {
  /** Wall time of the whole evaluation in the runtime process (session, data, inference, metrics), ms. */
  totalMs: number;
  /** Sum of `session.run` times, ms. */
  inferenceMs: number;
  /** Time the inference loop waited for the data reader (0 when reading fully overlaps inference), ms. */
  dataWaitMs: number;
  /** From the start of the pass to its first batch in hand: opening the data, its labels, the mapping, the first read, ms (absent in older reports). */
  openMs?: number;
  /** Metrics, bootstrap and report assembly, ms. */
  metricsMs: number;
  /** Session creation, ms (0 when a cached session was used). */
  sessionMs: number;
  /** Wall time of the pass over the data: starting the reader, reading, inference, ms. */
  passMs: number;
  /** samples / passMs · 1000: the end-to-end throughput of reading plus inference. */
  samplesPerSecond: number;
  batchSize: number;
  batches: number;
  /**
   * Sessions that ran batches side by side, each with its share of the intra-op threads (the
   * runtime's main thread and its lane workers: docs/evaluation.md); absent in older reports, 1:
   * one session as configured.
   */
  lanes?: number;
  /** Of `batches`, those the lane workers ran. */
  laneBatches?: number;
  /**
   * The data was not read: the runtime replayed the batches it decoded from the same, unchanged
   * file in an earlier pass (text formats; docs/evaluation.md). Absent when the file was read.
   */
  dataFromMemory?: boolean;
}

/**
 * How the pass ran, after the batch size: ', 2 parallel sessions' when batches ran side by side
 * (the runtime's inference lanes), ', data from memory' when the file was not read again
 * (docs/evaluation.md); '' otherwise.
 */
export function passNotes(t: EvalTiming): string {
  const sessions = t.lanes !== undefined && t.lanes > 1 ? `, ${t.lanes} parallel sessions` : '';
  return sessions + (t.dataFromMemory ? ', data from memory' : '');
}

/** A headline metric's value and, when bootstrapped, its percentile interval. */
export interface HeadlineValue {
  value: number | null;
  ci?: Interval | null;
}

/**
 * Per-sample data for drill-down (click a confusion-matrix cell → its samples), columnar.
 *
 * Which samples are kept when there are more than the limit (`keepSamples`, default 10 000):
 * classification keeps every misclassified sample first, then correct ones in dataset order;
 * regression keeps the largest absolute errors first, then the rest in dataset order. Kept samples
 * are listed in ascending dataset order either way.
 */
export interface EvalDrilldown {
  /** Samples kept here. */
  count: number;
  /** Samples evaluated. */
  total: number;
  /** True when `count < total`. */
  samplesTruncated: boolean;
  /** 0-based sample number in the dataset, ascending. */
  index: number[];
  /**
   * Where each sample came from: the 1-based line for CSV/TSV/JSONL, the image path for image
   * folders, the 0-based array index for .npy/.npz/IDX (see `sourceKind`).
   */
  source: (number | string)[];
  sourceKind: 'line' | 'path' | 'index';
  /** True class (classification) or target value (regression). */
  yTrue: number[];
  /** Predicted class (argmax of the probabilities) or predicted value. */
  yPred: number[];
  /** Classification: the probability of the predicted class; null for regression. */
  confidence: number[] | null;
  /**
   * Classification: every class's probability, one row per kept sample (row length = numClasses),
   * when count × numClasses ≤ 1 000 000; otherwise null (`probabilitiesOmitted` true).
   */
  probabilities: number[][] | null;
  probabilitiesOmitted: boolean;
}

/**
 * Binary classification: the positive-class probability and truth of EVERY sample (up to
 * 1 000 000, else `truncated`), so a threshold slider can recompute precision/recall/F1 exactly.
 */
export interface EvalBinaryScores {
  positiveClass: number;
  /** P(positive class) per sample, dataset order. */
  score: number[];
  /** 1 when the sample's true class is the positive class, else 0; dataset order. */
  truth: number[];
  truncated: boolean;
}

/** `--compare-data`: the same model on a second dataset (e.g. train vs test), for the over-fitting check. */
export interface EvalSplits {
  /** Names of the two splits: [this report's data, the second data]. */
  names: [string, string];
  data: EvalDataInfo;
  classification?: ClassificationMetrics;
  regression?: RegressionMetrics;
  /** `compareSplits(first = this report's metrics, second)`. */
  comparison: SplitComparison;
}

/** `--compare-model`: a second model on the same samples, with paired bootstrap deltas b − a. */
export interface EvalComparison {
  /** Model b (this report's model is a). */
  model: EvalModelInfo;
  output: EvalOutputInfo;
  classification?: ClassifierComparison;
  regression?: RegressorComparison;
  /** Samples (0-based dataset index, ascending) whose predicted class differs; empty for regression. */
  disagreeing: number[];
}

/** One `--fail-under metric=limit` check. */
export interface ThresholdResult {
  /** As given: a headline name or a `--json` path, e.g. 'accuracy', 'f1.macro', 'topK.3'. */
  metric: string;
  limit: number;
  /** The metric's value; null when it is undefined for this data (then the check fails). */
  value: number | null;
  /**
   * 'higher': higher is better, fails when value < limit. 'lower': lower is better (log loss, MAE,
   * ECE, …), fails when value > limit. Either way "fails when worse than the limit".
   */
  better: 'higher' | 'lower';
  passed: boolean;
}

export interface EvalReport {
  schema: typeof EVAL_REPORT_SCHEMA;
  /** ISO 8601. */
  createdAt: string;
  tool: { name: 'onnx-lens'; version: string; ortVersion: string };
  model: EvalModelInfo;
  data: EvalDataInfo;
  /** Which dataset columns fed which model input (saved/edited, else automatic). */
  mapping: DatasetMapping;
  mappingSource: 'auto' | 'saved';
  output: EvalOutputInfo;
  task: EvalTask;
  sessionOptions: SessionOptionsSpec;
  timing: EvalTiming;
  classification?: ClassificationMetrics;
  regression?: RegressionMetrics;
  /** Headline metrics of the task (`classificationHeadlines`/`regressionHeadlines`), in report order. */
  headline: Partial<Record<HeadlineMetric, HeadlineValue>>;
  drilldown: EvalDrilldown;
  /** Binary classification only. */
  binary?: EvalBinaryScores;
  splits?: EvalSplits;
  comparison?: EvalComparison;
  /** How far to trust the answers: distributions and selective prediction (classification), temperature and conformal when asked. */
  uncertainty?: EvalUncertainty;
  /** `--fail-under` results, when thresholds were given. */
  thresholds?: ThresholdResult[];
  /** Plain sentences: label-only output, renormalised rows, metric caveats from the metrics core. */
  warnings: string[];
}

export type TaskOption = 'auto' | EvalTask;
