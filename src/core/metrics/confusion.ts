/**
 * Confusion matrices: the sufficient statistic of every label-only metric (accuracy, balanced
 * accuracy, precision/recall/F1, MCC, kappa). Counting once and deriving everything from the
 * k × k counts is also what makes the bootstrap cheap: a resample is a vector of per-sample
 * multiplicities, so its confusion matrix is one weighted pass, not a re-evaluation.
 */
import { MetricsInputError } from './errors';

/** k × k counts, row-major: `counts[t * k + p]` samples of true class t predicted as p. */
export interface ConfusionMatrix {
  k: number;
  counts: Float64Array;
}

/** Throws unless every label is an integer class in 0..k−1. */
export function checkLabels(labels: Int32Array, k: number, what = 'y_true'): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= k) {
      throw new MetricsInputError(`${what}[${i}] is ${y}, outside the classes 0..${k - 1}`);
    }
  }
}

/**
 * `sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k))`. With `weights`, sample i
 * counts `weights[i]` times (a bootstrap resample).
 */
export function confusionMatrix(
  yTrue: Int32Array,
  yPred: Int32Array,
  k: number,
  weights?: Int32Array,
): ConfusionMatrix {
  const counts = new Float64Array(k * k);
  if (weights) {
    for (let i = 0; i < yTrue.length; i++) counts[yTrue[i] * k + yPred[i]] += weights[i];
  } else {
    for (let i = 0; i < yTrue.length; i++) counts[yTrue[i] * k + yPred[i]]++;
  }
  return { k, counts };
}

/** Row sums (true-class support), column sums (predicted counts) and the diagonal. */
export function marginals(cm: ConfusionMatrix): { support: Float64Array; predicted: Float64Array; correct: Float64Array; total: number } {
  const { k, counts } = cm;
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  const correct = new Float64Array(k);
  let total = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const c = counts[t * k + p];
      support[t] += c;
      predicted[p] += c;
      total += c;
    }
    correct[t] = counts[t * k + t];
  }
  return { support, predicted, correct, total };
}

export function toNestedArray(cm: ConfusionMatrix): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < cm.k; t++) rows.push(Array.from(cm.counts.subarray(t * cm.k, (t + 1) * cm.k)));
  return rows;
}
