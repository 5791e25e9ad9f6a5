/**
 * Model scores → class probabilities, the one input every probabilistic metric reads.
 *
 * Classifiers exported to ONNX end either in a probability output (softmax / ZipMap already
 * applied) or in raw logits, and the file does not say which. The rule, applied to the whole
 * matrix so that every row is treated alike:
 *
 * - Two or more columns: when every row is non-negative and sums to 1 within
 *   `PROBABILITY_SUM_TOLERANCE` (float32 outputs drift by ~1e-7, quantised ones more), the scores
 *   ARE probabilities. They are used unchanged — dividing by a row sum that is 1 ± 1 ulp would
 *   break ties that the ROC/PR curves must keep — except rows off by more than numpy's
 *   `allclose(1, sum)` tolerance, which are divided by their sum, because scikit-learn's
 *   multiclass `roc_auc_score` rejects such rows. Otherwise: softmax of every row.
 * - One column (a binary model with a single output): when every value is in [0, 1] it is the
 *   probability of class 1, otherwise a logit and goes through the sigmoid. Either way the result
 *   has two columns, [1 − p, p], like scikit-learn's handling of 1-d binary `y_pred` in `log_loss`.
 */
import { MetricsInputError } from './errors';
import type { ProbabilitySource } from '../../shared/metricTypes';

/** Row sums farther than this from 1 mean the scores are not probabilities. */
export const PROBABILITY_SUM_TOLERANCE = 1e-3;

export interface ProbabilityMatrix {
  /** n × numClasses, row-major. */
  values: Float64Array;
  n: number;
  numClasses: number;
  source: ProbabilitySource;
  /** Rows divided by their sum (off by more than `allclose` allows, within the tolerance). */
  renormalizedRows: number;
}

/** `numpy.allclose(1, s)`: |1 − s| ≤ atol + rtol·|s| with the defaults atol 1e-8, rtol 1e-5. */
function closeToOne(s: number): boolean {
  return Math.abs(1 - s) <= 1e-8 + 1e-5 * Math.abs(s);
}

function checkFinite(scores: Float64Array): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new MetricsInputError(`score ${i} is ${scores[i]}; scores must be finite numbers`);
    }
  }
}

/** 1 / (1 + e^−x): exp(−x) overflows to Infinity for very negative x, giving exactly 0. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The probabilities of an n × `columns` score matrix (row-major), by the rule above.
 * `columns` = 1 means a single-output binary model; the result then has 2 columns.
 */
export function toProbabilities(scores: Float64Array, n: number, columns: number): ProbabilityMatrix {
  if (!Number.isInteger(columns) || columns < 1) throw new MetricsInputError(`the number of score columns must be a positive integer, got ${columns}`);
  if (scores.length !== n * columns) {
    throw new MetricsInputError(`expected ${n} × ${columns} = ${n * columns} scores, got ${scores.length}`);
  }
  checkFinite(scores);
  return columns === 1 ? binaryFromSingleColumn(scores, n) : fromRows(scores, n, columns);
}

function binaryFromSingleColumn(scores: Float64Array, n: number): ProbabilityMatrix {
  let inUnitInterval = true;
  for (let i = 0; i < n && inUnitInterval; i++) inUnitInterval = scores[i] >= 0 && scores[i] <= 1;
  const values = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const p = inUnitInterval ? scores[i] : sigmoid(scores[i]);
    values[2 * i] = 1 - p;
    values[2 * i + 1] = p;
  }
  return { values, n, numClasses: 2, source: inUnitInterval ? 'probabilities' : 'sigmoid', renormalizedRows: 0 };
}

function fromRows(scores: Float64Array, n: number, k: number): ProbabilityMatrix {
  if (rowsAreProbabilities(scores, n, k)) {
    const values = Float64Array.from(scores);
    let renormalizedRows = 0;
    for (let i = 0; i < n; i++) {
      const s = rowSum(values, i * k, k);
      if (closeToOne(s)) continue;
      renormalizedRows++;
      for (let c = 0; c < k; c++) values[i * k + c] /= s;
    }
    return { values, n, numClasses: k, source: 'probabilities', renormalizedRows };
  }
  return { values: softmaxRows(scores, n, k), n, numClasses: k, source: 'softmax', renormalizedRows: 0 };
}

function rowSum(values: Float64Array, start: number, k: number): number {
  let s = 0;
  for (let c = 0; c < k; c++) s += values[start + c];
  return s;
}

function rowsAreProbabilities(scores: Float64Array, n: number, k: number): boolean {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const v = scores[i * k + c];
      if (v < 0) return false;
      s += v;
    }
    if (Math.abs(s - 1) > PROBABILITY_SUM_TOLERANCE) return false;
  }
  return true;
}

/** Softmax of each row, shifted by the row maximum so exp never overflows (as scipy's softmax). */
export function softmaxRows(scores: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const start = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (scores[start + c] > max) max = scores[start + c];
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(scores[start + c] - max);
      out[start + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[start + c] /= sum;
  }
  return out;
}

/**
 * Independent per-label probabilities for multilabel outputs: the scores themselves when all are
 * in [0, 1], otherwise the sigmoid of each (one logit per label).
 */
export function sigmoidProbabilities(scores: Float64Array): { values: Float64Array; source: 'probabilities' | 'sigmoid' } {
  checkFinite(scores);
  let inUnitInterval = true;
  for (let i = 0; i < scores.length && inUnitInterval; i++) inUnitInterval = scores[i] >= 0 && scores[i] <= 1;
  if (inUnitInterval) return { values: Float64Array.from(scores), source: 'probabilities' };
  return { values: scores.map(sigmoid), source: 'sigmoid' };
}

/** Predicted class per row: the first maximum, like `numpy.argmax` (and so scikit-learn's `predict`). */
export function argmaxRows(probabilities: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const start = i * k;
    let best = 0;
    let bestValue = probabilities[start];
    for (let c = 1; c < k; c++) {
      if (probabilities[start + c] > bestValue) {
        bestValue = probabilities[start + c];
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
