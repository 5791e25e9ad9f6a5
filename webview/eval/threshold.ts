/**
 * Binary decisions at a chosen threshold, recomputed from the report's per-sample positive-class
 * scores (`report.binary`) as the slider moves. Pure, O(n) per threshold (a million samples take a
 * few milliseconds), unit-tested against the metrics core.
 *
 * The decision rule reproduces the metrics core's at 0.5. The core predicts the class with the
 * highest probability, ties going to the lower class index (numpy's first maximum, so
 * scikit-learn's `predict`). With two classes whose probabilities are p and 1 − p that is:
 * - positive class 1: positive when p > 0.5 (a tie at exactly 0.5 is class 0, negative);
 * - positive class 0: positive when p ≥ 0.5 (the tie goes to class 0, the positive one).
 * So a sample is positive when its score is above the threshold, or equal to it when the positive
 * class is 0. (A model whose two probability columns do not sum to exactly 1 can disagree with its
 * own argmax for scores within rounding of 0.5; the slider follows the score, as thresholds do.)
 */
import { divideOrZero, f1Of } from '../../src/core/metrics/classification';
import type { EvalBinaryScores } from '../../src/shared/evalReport';

export const DEFAULT_THRESHOLD = 0.5;

export interface ThresholdMetrics {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fp); 0 when nothing is predicted positive (scikit-learn's zero_division). */
  precision: number;
  /** tp / (tp + fn), the true positive rate; 0 when there are no positives. */
  recall: number;
  f1: number;
  accuracy: number;
  /** fp / (fp + tn); 0 when there are no negatives. */
  fpr: number;
}

export function predictsPositive(score: number, threshold: number, positiveClass: number): boolean {
  return positiveClass === 0 ? score >= threshold : score > threshold;
}

/** Counts and rates of the decisions "score above the threshold" (see the module comment for ties). */
export function thresholdMetrics(binary: Pick<EvalBinaryScores, 'score' | 'truth' | 'positiveClass'>, threshold: number): ThresholdMetrics {
  const { score, truth, positiveClass } = binary;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  const atOrAbove = positiveClass === 0;
  for (let i = 0; i < score.length; i++) {
    const s = score[i];
    const positive = atOrAbove ? s >= threshold : s > threshold;
    if (truth[i] === 1) {
      if (positive) tp++;
      else fn++;
    } else if (positive) fp++;
    else tn++;
  }
  // The same operations, in the same order, as the core's label metrics (classification.ts).
  const precision = divideOrZero(tp, tp + fp);
  const recall = divideOrZero(tp, tp + fn);
  return {
    threshold, tp, fp, tn, fn, precision, recall,
    f1: f1Of(precision, recall),
    accuracy: (tp + tn) / Math.max(1, score.length),
    fpr: divideOrZero(fp, fp + tn),
  };
}

/**
 * The threshold that maximises F1 over the distinct scores (ties: the lowest threshold), for the
 * slider's "best F1" button. O(n log n).
 */
export function bestF1Threshold(binary: Pick<EvalBinaryScores, 'score' | 'truth' | 'positiveClass'>): ThresholdMetrics {
  const order = Array.from(binary.score.keys()).sort((a, b) => binary.score[b] - binary.score[a]);
  const positives = binary.truth.reduce((a, t) => a + (t === 1 ? 1 : 0), 0);
  let tp = 0;
  let fp = 0;
  let best = { f1: -1, threshold: DEFAULT_THRESHOLD };
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (binary.truth[i] === 1) tp++;
    else fp++;
    const next = k + 1 < order.length ? binary.score[order[k + 1]] : -Infinity;
    if (next === binary.score[i]) continue; // a threshold cannot split equal scores
    const precision = divideOrZero(tp, tp + fp);
    const recall = divideOrZero(tp, positives);
    const f1 = f1Of(precision, recall);
    const threshold = cutBelow(binary.score[i], next, binary.positiveClass);
    if (f1 > best.f1) best = { f1, threshold };
  }
  return thresholdMetrics(binary, best.threshold);
}

/**
 * A threshold that makes every score ≥ `score` positive and `next` (the next lower score) negative:
 * `score` itself when ties count as positive (positive class 0), else halfway down to `next`.
 */
function cutBelow(score: number, next: number, positiveClass: number): number {
  if (positiveClass === 0) return score;
  const mid = Number.isFinite(next) ? (score + next) / 2 : score - 1e-6;
  return mid < score && mid >= next ? mid : next;
}
