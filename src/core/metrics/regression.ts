/**
 * Regression metrics as scikit-learn 1.2 defines them, plus the data of the residual histogram
 * and the predicted-vs-true scatter. The headline values are also computable under bootstrap
 * weights (`weightedRegression`), from the same per-sample errors.
 */
import { MetricsInputError } from './errors';
import { accurateMean, accurateSum } from './numeric';
import { createRng, sampleWithoutReplacement } from './rng';
import type { RegressionMetrics, UndefinedMetric } from '../../shared/metricTypes';

/** float64 machine epsilon, the floor of |y_true| in `mean_absolute_percentage_error`. */
const EPS = 2 ** -52;

export function checkRegressionInputs(yTrue: Float64Array, yPred: Float64Array): void {
  if (yTrue.length !== yPred.length) throw new MetricsInputError(`y_true has ${yTrue.length} values but y_pred has ${yPred.length}`);
  if (yTrue.length === 0) throw new MetricsInputError('there are no samples to evaluate');
  for (const [name, ys] of [['y_true', yTrue], ['y_pred', yPred]] as const) {
    for (let i = 0; i < ys.length; i++) {
      if (!Number.isFinite(ys[i])) throw new MetricsInputError(`${name}[${i}] is ${ys[i]}; values must be finite numbers`);
    }
  }
}

/** The point metrics (without curves, histogram or intervals). r2 is NaN when undefined. */
export interface RegressionValues {
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
  mape: number;
  maxError: number;
}

/**
 * `r2_score` with scikit-learn's `force_finite=True` conventions: 1 when predictions are exact,
 * 0 when y_true is constant but predictions are not (instead of −inf), NaN below two samples.
 *
 * "Constant" is decided exactly (every y_true equal), not by a zero denominator: scikit-learn's
 * numpy mean of [0.1, 0.1, 0.1] is 0.10000000000000002, so its denominator is ~1e-33 and
 * r2_score returns −1.7e31 instead of the 0 its edge case intends. We return the 0.
 */
function r2(numerator: number, denominator: number, n: number, constant: boolean): number {
  if (n < 2) return NaN;
  if (numerator === 0) return 1;
  if (constant) return 0;
  return 1 - numerator / denominator;
}

export function regressionValues(yTrue: Float64Array, yPred: Float64Array): RegressionValues {
  const n = yTrue.length;
  const abs = new Float64Array(n);
  const sq = new Float64Array(n);
  const ape = new Float64Array(n);
  let maxError = 0;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    abs[i] = Math.abs(e);
    sq[i] = e * e;
    ape[i] = Math.abs(yPred[i] - yTrue[i]) / Math.max(Math.abs(yTrue[i]), EPS);
    if (abs[i] > maxError) maxError = abs[i];
    if (yTrue[i] !== yTrue[0]) constant = false;
  }
  const mean = accurateMean(yTrue);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = (yTrue[i] - mean) ** 2;
  const mse = accurateMean(sq);
  return {
    mae: accurateMean(abs),
    mse,
    rmse: Math.sqrt(mse),
    r2: r2(accurateSum(sq), accurateSum(dev), n, constant),
    mape: accurateMean(ape),
    maxError,
  };
}

/** The same values when sample i counts `weights[i]` times (a bootstrap resample). */
export function weightedRegression(yTrue: Float64Array, yPred: Float64Array, weights: Int32Array): RegressionValues {
  let total = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let sumApe = 0;
  let sumY = 0;
  let maxError = 0;
  let first = NaN;
  let constant = true;
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const y = yTrue[i];
    const e = y - yPred[i];
    const a = Math.abs(e);
    total += w;
    sumAbs += w * a;
    sumSq += w * e * e;
    sumApe += (w * a) / Math.max(Math.abs(y), EPS);
    sumY += w * y;
    if (a > maxError) maxError = a;
    if (Number.isNaN(first)) first = y;
    else if (y !== first) constant = false;
  }
  const mean = sumY / total;
  let dev = 0;
  for (let i = 0; i < yTrue.length; i++) if (weights[i] !== 0) dev += weights[i] * (yTrue[i] - mean) ** 2;
  const mse = sumSq / total;
  return { mae: sumAbs / total, mse, rmse: Math.sqrt(mse), r2: r2(sumSq, dev, total, constant), mape: sumApe / total, maxError };
}

/**
 * Counts of residuals (y_true − y_pred) in `bins` equal-width bins over [min, max], computed like
 * `numpy.histogram(residuals, bins)`: a constant input gets the range [v − 0.5, v + 0.5], the last
 * bin includes its right edge, and values within an ulp of an edge are put where numpy puts them.
 */
export function histogram(values: Float64Array, bins: number): { edges: number[]; counts: number[] } {
  let first = Infinity;
  let last = -Infinity;
  for (const v of values) {
    if (v < first) first = v;
    if (v > last) last = v;
  }
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let b = 0; b < bins; b++) edges[b] = b * step + first;
  edges[bins] = last;
  const counts = new Float64Array(bins);
  const width = last - first;
  for (const v of values) {
    let b = Math.trunc(((v - first) / width) * bins);
    if (b === bins) b--;
    if (v < edges[b]) b--;
    else if (v >= edges[b + 1] && b !== bins - 1) b++;
    counts[b]++;
  }
  return { edges: Array.from(edges), counts: Array.from(counts) };
}

export interface RegressionDisplayOptions {
  residualBins: number;
  maxScatterPoints: number;
  seed: number;
}

/** Point metrics, histogram and scatter (intervals are added by the caller). */
export function regressionMetrics(
  yTrue: Float64Array,
  yPred: Float64Array,
  options: RegressionDisplayOptions,
): Omit<RegressionMetrics, 'confidenceIntervals'> {
  checkRegressionInputs(yTrue, yPred);
  const n = yTrue.length;
  const values = regressionValues(yTrue, yPred);
  const undefinedMetrics: UndefinedMetric[] = [];
  if (Number.isNaN(values.r2)) undefinedMetrics.push({ metric: 'r2', reason: 'R² is not well-defined with fewer than two samples (scikit-learn returns NaN)' });
  const warnings: string[] = [];
  const zeros = yTrue.filter((y) => y === 0).length;
  if (zeros > 0) warnings.push(`${zeros} y_true values are 0: MAPE divides their errors by machine epsilon (as scikit-learn), so it is dominated by them.`);

  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = yTrue[i] - yPred[i];
  const kept = sampleWithoutReplacement(createRng(options.seed), n, options.maxScatterPoints);
  return {
    n,
    ...values,
    r2: Number.isNaN(values.r2) ? null : values.r2,
    residualHistogram: histogram(residuals, options.residualBins),
    scatter: {
      indices: Array.from(kept),
      yTrue: Array.from(kept, (i) => yTrue[i]),
      yPred: Array.from(kept, (i) => yPred[i]),
      sampledFrom: kept.length < n ? n : null,
    },
    undefinedMetrics,
    warnings,
  };
}
