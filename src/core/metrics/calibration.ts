/**
 * Probability-quality metrics: log loss, Brier score, expected calibration error and the
 * reliability diagram. Each is a mean of a per-sample term, so the terms are computed once and
 * kept: the headline value is their (compensated) mean, a bootstrap resample their weighted mean.
 */
import { accurateMean } from './numeric';
import type { ReliabilityBin } from '../../shared/metricTypes';

/** float64 machine epsilon: scikit-learn 1.2's `log_loss(eps="auto")` for float64 input. */
const EPS = 2 ** -52;

/**
 * Per-sample terms of `log_loss(y_true, p, labels=range(k))` in scikit-learn 1.2: every
 * probability is clipped to [eps, 1 − eps], each row renormalised by its clipped sum, and the
 * loss is −log of the true class's renormalised probability. Clipping keeps a confidently wrong
 * sample finite (−log eps ≈ 36) instead of infinite.
 */
export function logLossTerms(probabilities: Float64Array, yTrue: Int32Array, k: number): Float64Array {
  const n = yTrue.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = i * k;
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(probabilities[start + c]);
    out[i] = -Math.log(clip(probabilities[start + yTrue[i]]) / sum);
  }
  return out;
}

function clip(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

/**
 * Per-sample terms of the multiclass Brier score: Σ_c (p_c − [y = c])². Its mean ranges 0..2;
 * for binary tasks it is twice scikit-learn's `brier_score_loss`, which scores only the positive
 * class's probability (see `binaryBrier`).
 */
export function brierTerms(probabilities: Float64Array, yTrue: Int32Array, k: number): Float64Array {
  const n = yTrue.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const d = probabilities[i * k + c] - (yTrue[i] === c ? 1 : 0);
      s += d * d;
    }
    out[i] = s;
  }
  return out;
}

/** `brier_score_loss(y_true == positive, p[:, positive])`: mean of (y − p)² over the positive class. */
export function binaryBrier(probabilities: Float64Array, yTrue: Int32Array, positive: number): number {
  const terms = new Float64Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const d = (yTrue[i] === positive ? 1 : 0) - probabilities[2 * i + positive];
    terms[i] = d * d;
  }
  return accurateMean(terms);
}

/** Per-sample inputs of the reliability diagram. */
export interface CalibrationSamples {
  bins: number;
  /** Bin edges, like `numpy.linspace(0, 1, bins + 1)` (so 0.30000000000000004, not 0.3). */
  edges: Float64Array;
  /** The predicted class's probability (the row maximum). */
  confidence: Float64Array;
  correct: Uint8Array;
  bin: Int32Array;
}

export function calibrationSamples(
  probabilities: Float64Array,
  yTrue: Int32Array,
  yPred: Int32Array,
  k: number,
  bins: number,
): CalibrationSamples {
  const n = yTrue.length;
  const edges = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let b = 0; b < bins; b++) edges[b] = b * step;
  edges[bins] = 1;
  const confidence = new Float64Array(n);
  const correct = new Uint8Array(n);
  const bin = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = probabilities[i * k + yPred[i]];
    confidence[i] = p;
    correct[i] = yPred[i] === yTrue[i] ? 1 : 0;
    bin[i] = binOf(edges, p);
  }
  return { bins, edges, confidence, correct, bin };
}

/**
 * The bin of probability p as scikit-learn's `calibration_curve(strategy='uniform')` finds it:
 * `searchsorted(edges[1:-1], p)`, i.e. the number of inner edges strictly below p. Bins are
 * therefore (lower, upper], the first one [0, upper].
 */
function binOf(edges: Float64Array, p: number): number {
  let lo = 1;
  let hi = edges.length - 1; // search the inner edges 1..bins−1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Expected calibration error and reliability bins: ECE = Σ_b |accuracy_b − confidence_b| · n_b / n.
 * With `weights`, sample i counts `weights[i]` times (a bootstrap resample).
 */
export function reliability(s: CalibrationSamples, weights?: Int32Array): { ece: number; bins: ReliabilityBin[] } {
  const count = new Float64Array(s.bins);
  const confSum = new Float64Array(s.bins);
  const correctSum = new Float64Array(s.bins);
  let total = 0;
  for (let i = 0; i < s.confidence.length; i++) {
    const w = weights ? weights[i] : 1;
    if (w === 0) continue;
    const b = s.bin[i];
    count[b] += w;
    confSum[b] += w * s.confidence[i];
    correctSum[b] += w * s.correct[i];
    total += w;
  }
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < s.bins; b++) {
    const empty = count[b] === 0;
    const meanConfidence = empty ? null : confSum[b] / count[b];
    const accuracy = empty ? null : correctSum[b] / count[b];
    if (meanConfidence !== null && accuracy !== null) ece += (Math.abs(accuracy - meanConfidence) * count[b]) / total;
    bins.push({ lower: s.edges[b], upper: s.edges[b + 1], count: count[b], meanConfidence, accuracy });
  }
  return { ece, bins };
}
