/**
 * Side-by-side views: one model on two splits (the over-fitting view) and two models on the same
 * samples (which is better, and is the difference more than resampling noise).
 *
 * Model deltas use a PAIRED bootstrap: each resample weights both models' samples identically,
 * so the interval of b − a reflects only how the models differ on the same samples. Two
 * independent intervals would overlap far more and hide real differences.
 */
import { bootstrapReplicates, classificationStatistic, namedIntervals, percentileIntervals, regressionStatistic, type Statistic } from './bootstrap';
import { checkBootstrap, MetricsInputError } from './errors';
import { classificationPass, evaluateRegression } from './evaluate';
import { classificationHeadlineNames, classificationHeadlines, HEADLINE_INFO, REGRESSION_HEADLINES, regressionHeadlines } from './headline';
import type {
  BootstrapOptions, ClassificationMetrics, ClassificationOptions, ClassifierComparison, HeadlineMetric, Interval, MetricDelta,
  RegressionMetrics, RegressionOptions, RegressorComparison, SplitComparison, SplitGap, SplitOptions,
} from '../../shared/metricTypes';

function headlinesOf(m: ClassificationMetrics | RegressionMetrics): Partial<Record<HeadlineMetric, number | null>> {
  return 'task' in m ? classificationHeadlines(m) : regressionHeadlines(m);
}

/**
 * Gaps per headline metric between two evaluations of one model (first = train, second =
 * validation by default). A gap is positive when the first split scores better; it is flagged
 * when larger than `absoluteThreshold` (bounded metrics) or, relative to the first split's value,
 * `relativeThreshold` (unbounded ones like log loss or MAE, whose scale depends on the data).
 */
export function compareSplits<M extends ClassificationMetrics | RegressionMetrics>(first: M, second: M, options: SplitOptions = {}): SplitComparison {
  const absolute = options.absoluteThreshold ?? 0.05;
  const relative = options.relativeThreshold ?? 0.1;
  const a = headlinesOf(first);
  const b = headlinesOf(second);
  const gaps: SplitGap[] = [];
  for (const metric of Object.keys(a) as HeadlineMetric[]) {
    if (!(metric in b)) continue;
    const x = a[metric] ?? null;
    const y = b[metric] ?? null;
    const info = HEADLINE_INFO[metric];
    const gap = x === null || y === null ? null : info.higherIsBetter ? x - y : y - x;
    const relativeGap = gap === null || x === null || x === 0 ? null : gap / Math.abs(x);
    const flagged = info.bounded ? gap !== null && gap > absolute : relativeGap !== null && relativeGap > relative;
    gaps.push({ metric, first: x, second: y, gap, relativeGap, flagged });
  }
  return { names: options.names ?? ['train', 'validation'], gaps, flagged: gaps.filter((g) => g.flagged).map((g) => g.metric) };
}

/**
 * Runs a paired bootstrap of two models' m statistics: per resample, [a (m), b (m), b − a (m)].
 * Returns the intervals of a, of b and of the differences.
 */
function pairedIntervals(n: number, m: number, options: BootstrapOptions, statA: Statistic, statB: Statistic): { a: (Interval | null)[]; b: (Interval | null)[]; delta: (Interval | null)[] } {
  const reps = bootstrapReplicates(n, options, 3 * m, (weights, out) => {
    statA(weights, out.subarray(0, m));
    statB(weights, out.subarray(m, 2 * m));
    for (let j = 0; j < m; j++) out[2 * m + j] = out[m + j] - out[j];
  });
  const all = percentileIntervals(reps, options.level);
  return { a: all.slice(0, m), b: all.slice(m, 2 * m), delta: all.slice(2 * m) };
}

function deltas(names: readonly HeadlineMetric[], a: Partial<Record<HeadlineMetric, number | null>>, b: Partial<Record<HeadlineMetric, number | null>>, intervals: (Interval | null)[]): MetricDelta[] {
  return names.map((metric, j) => {
    const x = a[metric] ?? null;
    const y = b[metric] ?? null;
    const interval = intervals[j];
    return {
      metric,
      a: x,
      b: y,
      delta: x === null || y === null ? null : y - x,
      interval,
      significant: interval !== null && (interval.low > 0 || interval.high < 0),
    };
  });
}

/**
 * Two classifiers' scores on the same samples: both evaluations (with intervals from the shared
 * resamples), the paired deltas b − a of every headline metric, and where their predictions differ.
 * The bootstrap always runs (default 1000 resamples, seed 0).
 */
export function compareClassifiers(
  yTrue: Int32Array,
  scoresA: Float64Array,
  scoresB: Float64Array,
  k: number,
  options: ClassificationOptions = {},
): ClassifierComparison {
  if (scoresA.length !== scoresB.length) throw new MetricsInputError(`model A has ${scoresA.length} scores but model B has ${scoresB.length}`);
  checkBootstrap(options.bootstrap);
  const single = { ...options, bootstrap: undefined };
  const passA = classificationPass(yTrue, scoresA, k, single, true);
  const passB = classificationPass(yTrue, scoresB, k, single, true);
  const sa = passA.samples!;
  const sb = passB.samples!;
  const names = classificationHeadlineNames(passA.metrics.task === 'binary');
  const boot = options.bootstrap ?? {};
  const iv = pairedIntervals(yTrue.length, names.length, boot, classificationStatistic(sa, names), classificationStatistic(sb, names));
  const a: ClassificationMetrics = { ...passA.metrics, confidenceIntervals: namedIntervals(names, iv.a) };
  const b: ClassificationMetrics = { ...passB.metrics, confidenceIntervals: namedIntervals(names, iv.b) };

  const indices: number[] = [];
  let bothCorrect = 0;
  let onlyACorrect = 0;
  let onlyBCorrect = 0;
  let bothWrong = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const okA = sa.yPred[i] === yTrue[i];
    const okB = sb.yPred[i] === yTrue[i];
    if (sa.yPred[i] !== sb.yPred[i]) indices.push(i);
    if (okA && okB) bothCorrect++;
    else if (okA) onlyACorrect++;
    else if (okB) onlyBCorrect++;
    else bothWrong++;
  }
  return {
    a,
    b,
    deltas: deltas(names, classificationHeadlines(a), classificationHeadlines(b), iv.delta),
    disagreement: { indices, count: indices.length, bothCorrect, onlyACorrect, onlyBCorrect, bothWrong },
  };
}

/** Two regressors' predictions of the same targets, with paired bootstrap deltas b − a. */
export function compareRegressors(yTrue: Float64Array, predA: Float64Array, predB: Float64Array, options: RegressionOptions = {}): RegressorComparison {
  checkBootstrap(options.bootstrap);
  const single = { ...options, bootstrap: undefined };
  const evalA = evaluateRegression(yTrue, predA, single);
  const evalB = evaluateRegression(yTrue, predB, single);
  const names = REGRESSION_HEADLINES;
  const iv = pairedIntervals(yTrue.length, names.length, options.bootstrap ?? {}, regressionStatistic(yTrue, predA, names), regressionStatistic(yTrue, predB, names));
  const a: RegressionMetrics = { ...evalA, confidenceIntervals: namedIntervals(names, iv.a) };
  const b: RegressionMetrics = { ...evalB, confidenceIntervals: namedIntervals(names, iv.b) };
  return { a, b, deltas: deltas(names, regressionHeadlines(a), regressionHeadlines(b), iv.delta) };
}
