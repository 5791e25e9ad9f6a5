/**
 * Data shapes of the evaluation metrics, declared once. Every result is plain JSON: numbers are
 * finite or `null` (never NaN/Infinity, which JSON cannot carry), arrays are `number[]`.
 *
 * A metric scikit-learn leaves undefined (it raises, or returns NaN) is `null` here, and
 * `undefinedMetrics` says why. A metric scikit-learn defines by convention with a warning (e.g.
 * precision of a class never predicted = 0, its `zero_division` default) carries that value, and
 * `warnings` repeats the warning, so views can show the same caveat.
 */

/** Why a metric is `null`: `metric` is its path in the result, e.g. `rocAuc.macro`. */
export interface UndefinedMetric {
  metric: string;
  reason: string;
}

/** Averages of a per-class score, named like scikit-learn's `average=` argument. */
export interface Averages {
  macro: number;
  micro: number;
  weighted: number;
  /** Binary tasks only: the positive class's score (`average='binary'`). */
  binary?: number;
}

export interface PerClassRow {
  label: number;
  precision: number;
  recall: number;
  f1: number;
  /** Samples whose true label is this class. */
  support: number;
  /** Samples predicted as this class. */
  predicted: number;
  /** One-vs-rest ROC AUC; null when the class is absent from, or is all of, y_true. */
  rocAuc: number | null;
  /** One-vs-rest average precision (0 when the class is absent from y_true, like scikit-learn). */
  averagePrecision: number;
}

/** One class's ROC curve, one-vs-rest, as scikit-learn's `roc_curve(drop_intermediate=True)`. */
export interface RocCurve {
  label: number;
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is `max(score) + 1`, the extra point that puts (0, 0) on the curve. */
  thresholds: number[];
  auc: number | null;
  /** Points of the full curve; more than `fpr.length` when it was thinned to `maxCurvePoints`. */
  pointCount: number;
  /** Set (with empty arrays) when the curve is undefined: no positive or no negative samples. */
  undefinedReason?: string;
}

/** One class's precision-recall curve, one-vs-rest, as scikit-learn's `precision_recall_curve`. */
export interface PrCurve {
  label: number;
  /** Ends with precision 1 at recall 0, like scikit-learn. */
  precision: number[];
  recall: number[];
  /** Increasing; one fewer than the points. */
  thresholds: number[];
  averagePrecision: number;
  pointCount: number;
}

/** One equal-width bin of a reliability diagram, over the predicted class's probability. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean max-probability of the bin's samples; null for an empty bin. */
  meanConfidence: number | null;
  /** Fraction of the bin's samples predicted correctly; null for an empty bin. */
  accuracy: number | null;
}

/** A percentile bootstrap interval. */
export interface Interval {
  low: number;
  high: number;
  level: number;
  /** Resamples in which the metric was defined (e.g. AUC needs both classes in the resample). */
  validResamples: number;
}

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number;
  /** Default 0. The same seed gives the same resamples, so results repeat. */
  seed?: number;
  /** Default 0.95. */
  level?: number;
}

/** How the model's scores became probabilities (see `toProbabilities`). */
export type ProbabilitySource = 'probabilities' | 'softmax' | 'sigmoid';

export type ClassificationHeadline =
  | 'accuracy' | 'balancedAccuracy' | 'precisionMacro' | 'recallMacro' | 'f1Macro' | 'mcc' | 'kappa'
  | 'rocAucMacro' | 'averagePrecisionMacro' | 'logLoss' | 'brier' | 'ece'
  | 'f1Binary' | 'rocAucBinary' | 'averagePrecisionBinary';

export type RegressionHeadline = 'mae' | 'mse' | 'rmse' | 'r2' | 'mape' | 'maxError';

export type HeadlineMetric = ClassificationHeadline | RegressionHeadline;

export interface ClassificationOptions {
  /** Binary tasks: the class whose precision/recall/F1/AUC/AP is `binary`. Default 1. */
  positiveClass?: number;
  /** Reliability diagram / ECE bins. Default 10. */
  calibrationBins?: number;
  /** Curves with more points are thinned for display (AUC/AP always use the full curve). Default 2000. */
  maxCurvePoints?: number;
  /** Percentile bootstrap intervals of the headline metrics; omitted = none. */
  bootstrap?: BootstrapOptions;
}

export interface ClassificationMetrics {
  task: 'binary' | 'multiclass';
  n: number;
  numClasses: number;
  /** Binary tasks: the positive class; null for multiclass. */
  positiveClass: number | null;
  probabilitySource: ProbabilitySource;
  /** `accuracy_score`. */
  accuracy: number;
  /** `balanced_accuracy_score`: mean recall over the classes present in y_true. */
  balancedAccuracy: number;
  /** `precision_score` / `recall_score` / `f1_score`, zero_division → 0, labels = y_true ∪ y_pred. */
  precision: Averages;
  recall: Averages;
  f1: Averages;
  perClass: PerClassRow[];
  /** `confusion_matrix(labels=range(numClasses))`: rows are true classes, columns predicted. */
  confusionMatrix: number[][];
  /** `roc_auc_score(multi_class='ovr')`; binary: `roc_auc_score(y == pos, p[:, pos])`. */
  rocAuc: { macro: number | null; weighted: number | null; binary?: number | null };
  /** `average_precision_score` on one-hot y_true; binary: on `y == pos`. */
  averagePrecision: { macro: number; weighted: number; binary?: number };
  /** `log_loss(labels=range(numClasses))`: clipped to [eps, 1-eps], rows renormalised. */
  logLoss: number;
  /** Multiclass Brier: mean over samples of Σ_c (p_c − onehot_c)². Binary: twice `brierBinary`. */
  brier: number;
  /** Binary only: `brier_score_loss(y == pos, p[:, pos])`. */
  brierBinary?: number;
  /** Expected calibration error over the max probability, equal-width bins. */
  ece: number;
  reliability: ReliabilityBin[];
  /** `top_k_accuracy_score` for k in 1, 3, 5 below numClasses; null unless numClasses > 3. */
  topK: Record<string, number> | null;
  /** `matthews_corrcoef` (multiclass form). */
  mcc: number;
  /** `cohen_kappa_score` (unweighted); null when scikit-learn gives NaN (chance agreement is total). */
  kappa: number | null;
  curves: { roc: RocCurve[]; pr: PrCurve[] };
  confidenceIntervals: Partial<Record<ClassificationHeadline, Interval | null>> | null;
  undefinedMetrics: UndefinedMetric[];
  warnings: string[];
}

export interface RegressionOptions {
  /** Residual histogram bins. Default 30. */
  residualBins?: number;
  /** Scatter points kept (a seeded sample when there are more). Default 5000. */
  maxScatterPoints?: number;
  /** Seed of the scatter sample. Default 0. */
  seed?: number;
  bootstrap?: BootstrapOptions;
}

export interface RegressionMetrics {
  n: number;
  /** `mean_absolute_error`. */
  mae: number;
  /** `mean_squared_error`. */
  mse: number;
  /** `mean_squared_error(squared=False)`. */
  rmse: number;
  /** `r2_score`; null with fewer than two samples (scikit-learn returns NaN). */
  r2: number | null;
  /** `mean_absolute_percentage_error` (a fraction, not ×100). */
  mape: number;
  /** `max_error`. */
  maxError: number;
  /** Of residuals y_true − y_pred, binned like `numpy.histogram(residuals, bins)`. */
  residualHistogram: { edges: number[]; counts: number[] };
  /** Predicted vs true; `indices` are the sample numbers kept (ascending). */
  scatter: { indices: number[]; yTrue: number[]; yPred: number[]; sampledFrom: number | null };
  confidenceIntervals: Partial<Record<RegressionHeadline, Interval | null>> | null;
  undefinedMetrics: UndefinedMetric[];
  warnings: string[];
}

export interface MultilabelOptions {
  /** A label is predicted when its probability is above this. Default 0.5. */
  threshold?: number;
  maxCurvePoints?: number;
}

/** A label's row: the same fields as a class's, for that label against its absence. */
export type MultilabelRow = PerClassRow;

export interface MultilabelMetrics {
  n: number;
  numLabels: number;
  probabilitySource: Exclude<ProbabilitySource, 'softmax'>;
  /** `accuracy_score` on indicator matrices: every label of a sample right. */
  subsetAccuracy: number;
  /** `hamming_loss`. */
  hammingLoss: number;
  precision: Averages & { samples: number };
  recall: Averages & { samples: number };
  f1: Averages & { samples: number };
  perLabel: MultilabelRow[];
  /** `roc_auc_score(average=…)` on the indicator matrix; null where scikit-learn raises. */
  rocAuc: { macro: number | null; weighted: number | null; micro: number | null };
  /** `average_precision_score(average=…)` on the indicator matrix. */
  averagePrecision: { macro: number; weighted: number; micro: number };
  curves: { roc: RocCurve[]; pr: PrCurve[] };
  undefinedMetrics: UndefinedMetric[];
  warnings: string[];
}

/** One headline metric on two splits of the same model (e.g. train vs validation). */
export interface SplitGap {
  metric: HeadlineMetric;
  first: number | null;
  second: number | null;
  /** How much better the first split scores (positive = first better), in the metric's units. */
  gap: number | null;
  /** `gap` / |first|; null when first is 0 or undefined. */
  relativeGap: number | null;
  /** The first split is better by more than the threshold: the over-fitting signal. */
  flagged: boolean;
}

export interface SplitOptions {
  /** Names shown for the two splits. Default ['train', 'validation']. */
  names?: [string, string];
  /** Flag bounded metrics (rates, AUC, R²…) whose gap exceeds this. Default 0.05. */
  absoluteThreshold?: number;
  /** Flag unbounded metrics (log loss, MAE…) whose relative gap exceeds this. Default 0.1. */
  relativeThreshold?: number;
}

export interface SplitComparison {
  names: [string, string];
  gaps: SplitGap[];
  flagged: HeadlineMetric[];
}

/** One headline metric of two models on the same samples. */
export interface MetricDelta {
  metric: HeadlineMetric;
  a: number | null;
  b: number | null;
  /** b − a. */
  delta: number | null;
  /** Paired bootstrap interval of b − a (both models on the same resamples). */
  interval: Interval | null;
  /** The interval excludes 0. */
  significant: boolean;
}

export interface ClassifierComparison {
  a: ClassificationMetrics;
  b: ClassificationMetrics;
  deltas: MetricDelta[];
  disagreement: {
    /** Samples whose predicted class differs between the models, ascending. */
    indices: number[];
    count: number;
    bothCorrect: number;
    onlyACorrect: number;
    onlyBCorrect: number;
    bothWrong: number;
  };
}

export interface RegressorComparison {
  a: RegressionMetrics;
  b: RegressionMetrics;
  deltas: MetricDelta[];
}
