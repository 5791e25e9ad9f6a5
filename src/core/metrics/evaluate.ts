/**
 * The two entry points of the metrics core: `evaluateClassification` and `evaluateRegression`.
 * They only assemble: each metric lives in its own module and says which scikit-learn function it
 * equals. Cost for n samples × k classes: O(n·k) everywhere except the ranking of each class
 * (a radix sort, see sort.ts); nothing quadratic.
 */
import { percentileIntervals, bootstrapReplicates, classificationStatistic, namedIntervals, regressionStatistic, type ClassificationSamples } from './bootstrap';
import { binaryBrier, brierTerms, calibrationSamples, logLossTerms, reliability } from './calibration';
import { labelMetrics } from './classification';
import { checkLabels, confusionMatrix, toNestedArray } from './confusion';
import { classCurves, column, DEFAULT_MAX_CURVE_POINTS, oneVsRest, rankClass, type RankedClass } from './curves';
import { checkBootstrap, checkCount, MetricsInputError } from './errors';
import { classificationHeadlineNames, REGRESSION_HEADLINES } from './headline';
import { accurateMean, finiteOrNull } from './numeric';
import { averageAp, averageRocAuc } from './ovr';
import { argmaxRows, toProbabilities } from './probabilities';
import { regressionMetrics } from './regression';
import { topKAccuracy } from './topk';
import type {
  ClassificationMetrics, ClassificationOptions, PerClassRow, PrCurve, RegressionMetrics, RegressionOptions, RocCurve, UndefinedMetric,
} from '../../shared/metricTypes';

export const DEFAULT_CALIBRATION_BINS = 10;

/**
 * Every classification metric of a model's scores against the true labels.
 *
 * @param yTrue  true class per sample, integers 0..numClasses−1
 * @param scores n × k scores, row-major: probabilities or logits (see `toProbabilities`)
 * @param k      score columns; 1 means a single-output binary model (then numClasses = 2)
 * @throws MetricsInputError on empty input, mismatched lengths, labels outside the classes or
 *         non-finite scores
 */
export function evaluateClassification(
  yTrue: Int32Array,
  scores: Float64Array,
  k: number,
  options: ClassificationOptions = {},
): ClassificationMetrics {
  return classificationPass(yTrue, scores, k, options, options.bootstrap !== undefined).metrics;
}

/** The metrics and, when `keepSamples`, the per-sample data a (paired) bootstrap needs. */
export function classificationPass(
  yTrue: Int32Array,
  scores: Float64Array,
  k: number,
  options: ClassificationOptions,
  keepSamples: boolean,
): { metrics: ClassificationMetrics; samples: ClassificationSamples | null } {
  const n = yTrue.length;
  if (n === 0) throw new MetricsInputError('there are no samples to evaluate');
  checkCount('calibrationBins', options.calibrationBins, 1);
  checkCount('maxCurvePoints', options.maxCurvePoints, 2, true);
  checkBootstrap(options.bootstrap);
  const probs = toProbabilities(scores, n, k);
  const K = probs.numClasses;
  checkLabels(yTrue, K);
  const binary = K === 2;
  const positiveClass = binary ? (options.positiveClass ?? 1) : null;
  if (positiveClass !== null && positiveClass !== 0 && positiveClass !== 1) {
    throw new MetricsInputError(`the positive class must be 0 or 1, got ${positiveClass}`);
  }
  const P = probs.values;
  const yPred = argmaxRows(P, n, K);
  const cm = confusionMatrix(yTrue, yPred, K);
  const lm = labelMetrics(cm, positiveClass);
  const undefinedMetrics: UndefinedMetric[] = [];
  const warnings = [...lm.warnings];
  if (probs.renormalizedRows > 0) {
    warnings.push(`${probs.renormalizedRows} probability rows did not sum to 1 within numpy's allclose tolerance and were divided by their sum.`);
  }

  // Ranking metrics, one class at a time so at most one class's ranking is alive unless kept.
  const maxPoints = options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS;
  const ranked: RankedClass[] = [];
  const roc: RocCurve[] = [];
  const pr: PrCurve[] = [];
  const auc = new Float64Array(K);
  const ap = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    const r = rankClass(column(P, K, c), oneVsRest(yTrue, c));
    const curves = classCurves(r, c, maxPoints);
    roc.push(curves.roc);
    pr.push(curves.pr);
    auc[c] = curves.auc;
    ap[c] = curves.averagePrecision;
    if (keepSamples) ranked.push(r);
  }
  const support = lm.perClass.support;
  // `roc_auc_score(multi_class='ovr')` and `average_precision_score(onehot(y_true), p)`.
  const rocAuc: ClassificationMetrics['rocAuc'] = averageRocAuc(auc, support, roc, undefinedMetrics);
  const averagePrecision: ClassificationMetrics['averagePrecision'] = averageAp(ap, support, 'class', warnings);
  if (positiveClass !== null) {
    rocAuc.binary = finiteOrNull(auc[positiveClass]);
    if (rocAuc.binary === null) undefinedMetrics.push({ metric: 'rocAuc.binary', reason: roc[positiveClass].undefinedReason ?? '' });
    averagePrecision.binary = ap[positiveClass];
  }

  const logLoss = logLossTerms(P, yTrue, K);
  const brier = brierTerms(P, yTrue, K);
  const calibration = calibrationSamples(P, yTrue, yPred, K, options.calibrationBins ?? DEFAULT_CALIBRATION_BINS);
  const { ece, bins } = reliability(calibration);

  const kappa = finiteOrNull(lm.kappa);
  if (kappa === null) undefinedMetrics.push({ metric: 'kappa', reason: "every sample is true and predicted as one class, so chance agreement is total and Cohen's kappa is 0/0 (scikit-learn returns NaN)" });

  const perClass: PerClassRow[] = [];
  for (let c = 0; c < K; c++) {
    perClass.push({
      label: c,
      precision: lm.perClass.precision[c],
      recall: lm.perClass.recall[c],
      f1: lm.perClass.f1[c],
      support: support[c],
      predicted: lm.perClass.predicted[c],
      rocAuc: finiteOrNull(auc[c]),
      averagePrecision: ap[c],
    });
  }

  const metrics: ClassificationMetrics = {
    task: binary ? 'binary' : 'multiclass',
    n,
    numClasses: K,
    positiveClass,
    probabilitySource: probs.source,
    accuracy: lm.accuracy,
    balancedAccuracy: lm.balancedAccuracy,
    precision: lm.precision,
    recall: lm.recall,
    f1: lm.f1,
    perClass,
    confusionMatrix: toNestedArray(cm),
    rocAuc,
    averagePrecision,
    logLoss: accurateMean(logLoss),
    brier: accurateMean(brier),
    ...(positiveClass !== null ? { brierBinary: binaryBrier(P, yTrue, positiveClass) } : {}),
    ece,
    reliability: bins,
    topK: K > 3 ? topK(P, yTrue, K) : null,
    mcc: lm.mcc,
    kappa,
    curves: { roc, pr },
    confidenceIntervals: null,
    undefinedMetrics,
    warnings,
  };
  const samples: ClassificationSamples | null = keepSamples
    ? { yTrue, yPred, k: K, positiveClass, logLoss, brier, calibration, ranked }
    : null;
  if (samples && options.bootstrap) {
    const names = classificationHeadlineNames(binary);
    const reps = bootstrapReplicates(n, options.bootstrap, names.length, classificationStatistic(samples, names));
    metrics.confidenceIntervals = namedIntervals(names, percentileIntervals(reps, options.bootstrap.level));
  }
  return { metrics, samples };
}

/** k = 1, 3, 5 below the number of classes. */
function topK(P: Float64Array, yTrue: Int32Array, K: number): Record<string, number> {
  const ks = [1, 3, 5].filter((t) => t < K);
  const values = topKAccuracy(P, yTrue, K, ks);
  return Object.fromEntries(ks.map((t, j) => [String(t), values[j]]));
}

/**
 * Every regression metric of predictions against true values (see regression.ts).
 * @throws MetricsInputError on empty input, mismatched lengths or non-finite values
 */
export function evaluateRegression(yTrue: Float64Array, yPred: Float64Array, options: RegressionOptions = {}): RegressionMetrics {
  checkCount('residualBins', options.residualBins, 1);
  checkCount('maxScatterPoints', options.maxScatterPoints, 1, true);
  checkBootstrap(options.bootstrap);
  const base = regressionMetrics(yTrue, yPred, {
    residualBins: options.residualBins ?? 30,
    maxScatterPoints: options.maxScatterPoints ?? 5000,
    seed: options.seed ?? 0,
  });
  let confidenceIntervals: RegressionMetrics['confidenceIntervals'] = null;
  if (options.bootstrap) {
    const reps = bootstrapReplicates(yTrue.length, options.bootstrap, REGRESSION_HEADLINES.length, regressionStatistic(yTrue, yPred, REGRESSION_HEADLINES));
    confidenceIntervals = namedIntervals(REGRESSION_HEADLINES, percentileIntervals(reps, options.bootstrap.level));
  }
  return { ...base, confidenceIntervals };
}
