/**
 * Percentile bootstrap intervals of the headline metrics.
 *
 * A resample is drawn as per-sample multiplicities (`resampleCounts`), and every headline metric
 * is recomputed from them without copying data: label metrics from a weighted confusion matrix,
 * losses as weighted means of per-sample terms kept from the main pass, AUC/AP by re-walking each
 * class's existing ranking with weights. One resample of n samples × k classes costs O(n·k), no
 * sorting, so 1000 resamples of 10k samples take well under a second.
 *
 * Paired comparisons (`compare.ts`) evaluate two models on the SAME resamples: the statistic sees
 * one weight vector and returns both models' values (or their differences).
 */
import type { CalibrationSamples } from './calibration';
import { reliability } from './calibration';
import { labelMetrics } from './classification';
import { confusionMatrix } from './confusion';
import { weightedAucAp, type RankedClass } from './curves';
import { quantileSorted } from './numeric';
import { weightedRegression } from './regression';
import { createRng, resampleCounts } from './rng';
import type { BootstrapOptions, ClassificationHeadline, Interval, RegressionHeadline } from '../../shared/metricTypes';

export const DEFAULT_RESAMPLES = 1000;

/** Computes m statistics of one weighted resample into `out` (NaN = undefined in this resample). */
export type Statistic = (weights: Int32Array, out: Float64Array) => void;

export interface Replicates {
  resamples: number;
  statistics: number;
  /** resamples × statistics, row-major. */
  values: Float64Array;
}

/** Runs `statistic` on `resamples` seeded resamples of n samples. */
export function bootstrapReplicates(n: number, options: BootstrapOptions, statistics: number, statistic: Statistic): Replicates {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng = createRng(options.seed ?? 0);
  const weights = new Int32Array(n);
  const values = new Float64Array(resamples * statistics);
  for (let b = 0; b < resamples; b++) {
    resampleCounts(rng, n, weights);
    statistic(weights, values.subarray(b * statistics, (b + 1) * statistics));
  }
  return { resamples, statistics, values };
}

/**
 * Percentile intervals ((1 − level)/2 and (1 + level)/2 quantiles, numpy's linear method) of each
 * statistic over the resamples where it is defined; null when it is defined in none.
 */
export function percentileIntervals(r: Replicates, level = 0.95): (Interval | null)[] {
  const out: (Interval | null)[] = [];
  for (let s = 0; s < r.statistics; s++) {
    const defined: number[] = [];
    for (let b = 0; b < r.resamples; b++) {
      const v = r.values[b * r.statistics + s];
      if (Number.isFinite(v)) defined.push(v);
    }
    if (defined.length === 0) {
      out.push(null);
      continue;
    }
    const sorted = Float64Array.from(defined).sort();
    const alpha = (1 - level) / 2;
    out.push({ low: quantileSorted(sorted, alpha), high: quantileSorted(sorted, 1 - alpha), level, validResamples: defined.length });
  }
  return out;
}

/** What a classification headline needs per sample; built once by the main evaluation. */
export interface ClassificationSamples {
  yTrue: Int32Array;
  yPred: Int32Array;
  k: number;
  positiveClass: number | null;
  logLoss: Float64Array;
  brier: Float64Array;
  calibration: CalibrationSamples;
  /** Per class, its one-vs-rest ranking. */
  ranked: RankedClass[];
}

function weightedMean(terms: Float64Array, weights: Int32Array): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < terms.length; i++) {
    if (weights[i] === 0) continue;
    s += weights[i] * terms[i];
    w += weights[i];
  }
  return s / w;
}

/** The classification headline metrics `names` of a weighted resample, in that order. */
export function classificationStatistic(s: ClassificationSamples, names: readonly ClassificationHeadline[]): Statistic {
  const needsRanking = names.some((name) => /^(rocAuc|averagePrecision)/.test(name));
  return (weights, out) => {
    const lm = labelMetrics(confusionMatrix(s.yTrue, s.yPred, s.k, weights), s.positiveClass);
    let aucMacro = NaN;
    let apMacro = NaN;
    const perClass = needsRanking ? s.ranked.map((r) => weightedAucAp(r, weights)) : [];
    if (needsRanking) {
      aucMacro = perClass.reduce((sum, c) => sum + c.auc, 0) / s.k; // NaN if any class is undefined, as scikit-learn raises
      apMacro = perClass.reduce((sum, c) => sum + c.averagePrecision, 0) / s.k;
    }
    const pos = s.positiveClass;
    const value: Record<ClassificationHeadline, () => number> = {
      accuracy: () => lm.accuracy,
      balancedAccuracy: () => lm.balancedAccuracy,
      precisionMacro: () => lm.precision.macro,
      recallMacro: () => lm.recall.macro,
      f1Macro: () => lm.f1.macro,
      mcc: () => lm.mcc,
      kappa: () => lm.kappa,
      rocAucMacro: () => aucMacro,
      averagePrecisionMacro: () => apMacro,
      logLoss: () => weightedMean(s.logLoss, weights),
      brier: () => weightedMean(s.brier, weights),
      ece: () => reliability(s.calibration, weights).ece,
      f1Binary: () => lm.f1.binary ?? NaN,
      rocAucBinary: () => (pos === null ? NaN : perClass[pos].auc),
      averagePrecisionBinary: () => (pos === null ? NaN : perClass[pos].averagePrecision),
    };
    names.forEach((name, j) => {
      out[j] = value[name]();
    });
  };
}

export function regressionStatistic(yTrue: Float64Array, yPred: Float64Array, names: readonly RegressionHeadline[]): Statistic {
  return (weights, out) => {
    const v = weightedRegression(yTrue, yPred, weights);
    names.forEach((name, j) => {
      out[j] = v[name];
    });
  };
}

/** Intervals keyed by metric name. */
export function namedIntervals<Name extends string>(names: readonly Name[], intervals: (Interval | null)[]): Partial<Record<Name, Interval | null>> {
  const out: Partial<Record<Name, Interval | null>> = {};
  names.forEach((name, j) => {
    out[name] = intervals[j];
  });
  return out;
}
