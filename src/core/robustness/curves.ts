/**
 * A robustness curve's points: the chosen headline metric on the predictions of one perturbation
 * at one severity, its percentile bootstrap interval (only that metric is resampled), the share of
 * predictions that changed from the clean ones, and the first severity at which the metric is
 * worse than a threshold. Reuses the evaluation's metrics core, so a point at severity 0 equals the
 * evaluation of the clean data.
 */
import { bootstrapReplicates, classificationStatistic, percentileIntervals, regressionStatistic } from '../metrics/bootstrap';
import { classificationPass } from '../metrics/evaluate';
import { classificationHeadlines, HEADLINE_INFO, regressionHeadlines } from '../metrics/headline';
import { argmaxRows, toProbabilities } from '../metrics/probabilities';
import { regressionMetrics } from '../metrics/regression';
import type { ClassificationHeadline, HeadlineMetric, RegressionHeadline } from '../../shared/metricTypes';
import type { PerturbationKind, RobustBreakdown, RobustPoint } from '../../shared/robustReport';
import { PERTURBATIONS } from './perturbations';

export interface PointOptions {
  metric: HeadlineMetric;
  /** Resamples and seed of the interval; null: no interval. */
  bootstrap: { resamples: number; seed: number } | null;
  positiveClass?: number;
}

export interface ClassifiedPoint {
  value: number | null;
  ci95: [number, number] | null;
  yPred: Int32Array;
  /** n × k probabilities. */
  probabilities: Float64Array;
  k: number;
}

/** Dotted and headline names alike ('f1.macro' or 'f1Macro') → the headline name, or null. */
export function headlineName(name: string): HeadlineMetric | null {
  const dotted: Record<string, HeadlineMetric> = {
    'precision.macro': 'precisionMacro', 'recall.macro': 'recallMacro', 'f1.macro': 'f1Macro', 'rocAuc.macro': 'rocAucMacro',
    'averagePrecision.macro': 'averagePrecisionMacro', 'f1.binary': 'f1Binary', 'rocAuc.binary': 'rocAucBinary', 'averagePrecision.binary': 'averagePrecisionBinary',
  };
  const n = dotted[name] ?? name;
  return n in HEADLINE_INFO ? (n as HeadlineMetric) : null;
}

export function metricBetter(metric: HeadlineMetric): 'higher' | 'lower' {
  return HEADLINE_INFO[metric].higherIsBetter ? 'higher' : 'lower';
}

function interval(n: number, o: PointOptions, statistic: Parameters<typeof bootstrapReplicates>[3]): [number, number] | null {
  if (!o.bootstrap) return null;
  const iv = percentileIntervals(bootstrapReplicates(n, o.bootstrap, 1, statistic))[0];
  return iv ? [iv.low, iv.high] : null;
}

export function classificationPoint(yTrue: Int32Array, scores: Float64Array, columns: number, o: PointOptions): ClassifiedPoint {
  const { metrics, samples } = classificationPass(yTrue, scores, columns, o.positiveClass !== undefined ? { positiveClass: o.positiveClass } : {}, o.bootstrap !== null);
  const name = o.metric as ClassificationHeadline;
  const value = classificationHeadlines(metrics)[name] ?? null;
  const ci95 = samples ? interval(yTrue.length, o, classificationStatistic(samples, [name])) : null;
  const probs = toProbabilities(scores, yTrue.length, columns);
  return { value, ci95, yPred: samples?.yPred ?? argmaxRows(probs.values, yTrue.length, probs.numClasses), probabilities: probs.values, k: probs.numClasses };
}

export function regressionPoint(yTrue: Float64Array, yPred: Float64Array, o: PointOptions): { value: number | null; ci95: [number, number] | null } {
  const name = o.metric as RegressionHeadline;
  const m = regressionMetrics(yTrue, yPred, { residualBins: 1, maxScatterPoints: 1, seed: 0 });
  const value = regressionHeadlines({ ...m, confidenceIntervals: null })[name];
  return { value, ci95: interval(yTrue.length, o, regressionStatistic(yTrue, yPred, [name])) };
}

/** Share of samples whose predicted class differs between two prediction vectors. */
export function flipRate(clean: Int32Array, perturbed: Int32Array): number {
  let flips = 0;
  for (let i = 0; i < clean.length; i++) if (clean[i] !== perturbed[i]) flips++;
  return clean.length ? flips / clean.length : 0;
}

/** Worse than the limit, in the metric's own direction. */
export function worseThan(value: number | null, limit: number, better: 'higher' | 'lower'): boolean {
  return value === null || (better === 'higher' ? value < limit : value > limit);
}

/** Per perturbation, the first severity (in order of growing harm) whose metric is worse than `threshold`. */
export function breakdowns(points: readonly RobustPoint[], threshold: number, better: 'higher' | 'lower'): RobustBreakdown[] {
  const kinds = [...new Set(points.map((p) => p.perturbation))];
  return kinds.map((perturbation: PerturbationKind) => {
    const harm = PERTURBATIONS[perturbation].worseAs === 'higher' ? 1 : -1;
    const ordered = points.filter((p) => p.perturbation === perturbation && p.severity !== 0).sort((a, b) => harm * (a.severity - b.severity));
    const hit = ordered.find((p) => worseThan(p.metric, threshold, better));
    return { perturbation, threshold, severity: hit ? hit.severity : null };
  });
}

/** The default breakdown threshold: 90% of the clean value for a higher-is-better metric, 110% (or +0.1 at 0) for a lower one. */
export function defaultThreshold(clean: number | null, better: 'higher' | 'lower'): number | null {
  if (clean === null) return null;
  return better === 'higher' ? 0.9 * clean : clean === 0 ? 0.1 : 1.1 * clean;
}
