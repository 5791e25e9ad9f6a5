/**
 * Label metrics — everything that depends only on (y_true, y_pred) — from a confusion matrix.
 * Each follows scikit-learn 1.2 (Debian's python3-sklearn) to the operation order of its
 * formula, so results agree to the last few ulps.
 *
 * Label set: precision/recall/F1 averages run over y_true ∪ y_pred, like scikit-learn called
 * without `labels=`; a class neither present nor predicted would otherwise drag the macro average
 * towards 0 for no reason. The per-class table still lists every class.
 */
import { marginals, type ConfusionMatrix } from './confusion';
import { supportWeightedMean } from './ovr';
import type { Averages } from '../../shared/metricTypes';

export interface PerClassScores {
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  support: Float64Array;
  predicted: Float64Array;
}

export interface LabelMetrics {
  accuracy: number;
  balancedAccuracy: number;
  precision: Averages;
  recall: Averages;
  f1: Averages;
  perClass: PerClassScores;
  mcc: number;
  /** NaN when undefined (scikit-learn returns NaN: all samples true and predicted as one class). */
  kappa: number;
  /** scikit-learn's UndefinedMetricWarning texts for the conventions applied. */
  warnings: string[];
}

/** tp / d, or 0 when d is 0: scikit-learn's `zero_division="warn"` result. */
export function divideOrZero(tp: number, d: number): number {
  return d === 0 ? 0 : tp / d;
}

/** F1 as scikit-learn 1.2 computes it: from precision and recall, 0 when both are 0. */
export function f1Of(precision: number, recall: number): number {
  const denom = precision + recall;
  return (2 * precision * recall) / (denom === 0 ? 1 : denom);
}

/**
 * All label metrics of one confusion matrix. `positiveClass` (binary tasks) adds the `binary`
 * averages: the positive class's own precision/recall/F1 (`average='binary', pos_label=…`).
 */
export function labelMetrics(cm: ConfusionMatrix, positiveClass: number | null): LabelMetrics {
  const { k } = cm;
  const { support, predicted, correct, total } = marginals(cm);
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f1 = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    precision[c] = divideOrZero(correct[c], predicted[c]);
    recall[c] = divideOrZero(correct[c], support[c]);
    f1[c] = f1Of(precision[c], recall[c]);
  }
  let trace = 0;
  for (let c = 0; c < k; c++) trace += correct[c];

  const present: number[] = [];
  for (let c = 0; c < k; c++) if (support[c] > 0 || predicted[c] > 0) present.push(c);
  const warnings = labelWarnings(present, support, predicted);

  const micro = { precision: divideOrZero(trace, total), recall: divideOrZero(trace, total) };
  const average = (scores: Float64Array, microValue: number): Averages => {
    const out: Averages = { macro: macroOf(scores, present), micro: microValue, weighted: supportWeightedMean(scores, support) };
    if (positiveClass !== null) out.binary = scores[positiveClass];
    return out;
  };

  return {
    accuracy: trace / total,
    balancedAccuracy: balancedAccuracy(recall, support),
    precision: average(precision, micro.precision),
    recall: average(recall, micro.recall),
    f1: average(f1, f1Of(micro.precision, micro.recall)),
    perClass: { precision, recall, f1, support, predicted },
    mcc: matthews(support, predicted, trace, total),
    kappa: cohenKappa(cm, support, predicted, total),
    warnings,
  };
}

function macroOf(scores: Float64Array, labels: number[]): number {
  let s = 0;
  for (const c of labels) s += scores[c];
  return s / labels.length;
}

/** `balanced_accuracy_score`: mean recall over classes with samples in y_true (others dropped). */
function balancedAccuracy(recall: Float64Array, support: Float64Array): number {
  let s = 0;
  let count = 0;
  for (let c = 0; c < recall.length; c++) {
    if (support[c] === 0) continue;
    s += recall[c];
    count++;
  }
  return s / count;
}

/** `matthews_corrcoef`, multiclass form (Gorodkin's R_K); 0 when a covariance is 0, as scikit-learn. */
function matthews(support: Float64Array, predicted: Float64Array, trace: number, total: number): number {
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < support.length; c++) {
    tp += support[c] * predicted[c];
    pp += predicted[c] * predicted[c];
    tt += support[c] * support[c];
  }
  const covYtYp = trace * total - tp;
  const covYpYp = total ** 2 - pp;
  const covYtYt = total ** 2 - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/**
 * `cohen_kappa_score` (unweighted): 1 − Σ off-diagonal observed / Σ off-diagonal expected, with
 * expected[i][j] = predicted[i] · support[j] / n exactly as scikit-learn builds it.
 */
function cohenKappa(cm: ConfusionMatrix, support: Float64Array, predicted: Float64Array, total: number): number {
  const { k, counts } = cm;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      observed += counts[i * k + j];
      expected += (predicted[i] * support[j]) / total;
    }
  }
  return expected === 0 ? NaN : 1 - observed / expected;
}

function labelWarnings(present: number[], support: Float64Array, predicted: Float64Array): string[] {
  const neverPredicted = present.filter((c) => predicted[c] === 0);
  const absent = present.filter((c) => support[c] === 0);
  const warnings: string[] = [];
  if (neverPredicted.length > 0) {
    warnings.push(`Precision and F-score are ill-defined and set to 0 for classes never predicted: ${neverPredicted.join(', ')}.`);
  }
  if (absent.length > 0) {
    warnings.push(`Recall is ill-defined and set to 0 for classes predicted but absent from y_true: ${absent.join(', ')}; balanced accuracy leaves them out.`);
  }
  return warnings;
}
