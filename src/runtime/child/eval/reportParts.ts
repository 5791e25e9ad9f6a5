/**
 * The per-sample and headline parts of an EvalReport, from the collected predictions: which
 * samples the drill-down keeps, the binary threshold data, the headline table. Pure functions.
 */
import { classificationHeadlines, regressionHeadlines } from '../../../core/metrics';
import type { ClassificationMetrics, HeadlineMetric, Interval, RegressionMetrics } from '../../../core/metrics';
import type { EvalBinaryScores, EvalDrilldown, HeadlineValue } from '../../../shared/evalReport';

export const DEFAULT_KEEP_SAMPLES = 10_000;
/** Probability rows are kept while kept samples × classes stays under this. */
export const MAX_PROBABILITY_CELLS = 1_000_000;
/** Binary score/truth arrays cover every sample up to this many. */
export const MAX_BINARY_SAMPLES = 1_000_000;

/**
 * Indices of the samples to keep, ascending: all of them when they fit, else the `priority` ones
 * first (misclassified samples, or the largest errors), then the rest in dataset order.
 */
export function keptIndices(n: number, keep: number, priority: (i: number) => number): Int32Array {
  if (n <= keep) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(keep);
  if (keep === 0) return out;
  const key = Float64Array.from({ length: n }, (_, i) => priority(i));
  // The keep-th largest priority is the cut: everything above it is kept, then samples at the
  // cut in dataset order until the budget is spent (a typed-array sort: 1M keys in ~0.1 s).
  const cut = key.slice().sort()[n - keep];
  let above = 0;
  for (let i = 0; i < n; i++) if (key[i] > cut) above++;
  let atCut = keep - above;
  let o = 0;
  for (let i = 0; i < n && o < keep; i++) {
    if (key[i] > cut || (key[i] === cut && atCut-- > 0)) out[o++] = i;
  }
  return out;
}

export interface ClassificationSamples {
  yTrue: Int32Array;
  yPred: Int32Array;
  /** n × k probabilities, row-major. */
  probabilities: Float64Array;
  k: number;
}

export function classificationDrilldown(s: ClassificationSamples, keep: number, sourceAt: (i: number) => number | string, sourceKind: EvalDrilldown['sourceKind']): EvalDrilldown {
  const n = s.yTrue.length;
  const kept = keptIndices(n, keep, (i) => (s.yPred[i] !== s.yTrue[i] ? 1 : 0));
  const withRows = kept.length * s.k <= MAX_PROBABILITY_CELLS;
  const index: number[] = [];
  const source: (number | string)[] = [];
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const confidence: number[] = [];
  const probabilities: number[][] = [];
  for (const i of kept) {
    index.push(i);
    source.push(sourceAt(i));
    yTrue.push(s.yTrue[i]);
    yPred.push(s.yPred[i]);
    confidence.push(s.probabilities[i * s.k + s.yPred[i]]);
    if (withRows) probabilities.push(Array.from(s.probabilities.subarray(i * s.k, (i + 1) * s.k)));
  }
  return {
    count: kept.length, total: n, samplesTruncated: kept.length < n, index, source, sourceKind, yTrue, yPred, confidence,
    probabilities: withRows ? probabilities : null, probabilitiesOmitted: !withRows,
  };
}

export function regressionDrilldown(yTrue: Float64Array, yPred: Float64Array, keep: number, sourceAt: (i: number) => number | string, sourceKind: EvalDrilldown['sourceKind']): EvalDrilldown {
  const n = yTrue.length;
  const kept = keptIndices(n, keep, (i) => Math.abs(yTrue[i] - yPred[i]));
  const index = Array.from(kept);
  return {
    count: kept.length, total: n, samplesTruncated: kept.length < n, index,
    source: index.map(sourceAt), sourceKind,
    yTrue: index.map((i) => yTrue[i]), yPred: index.map((i) => yPred[i]),
    confidence: null, probabilities: null, probabilitiesOmitted: false,
  };
}

export function binaryScores(s: ClassificationSamples, positiveClass: number): EvalBinaryScores {
  const n = Math.min(s.yTrue.length, MAX_BINARY_SAMPLES);
  const score = new Array<number>(n);
  const truth = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    score[i] = s.probabilities[i * s.k + positiveClass];
    truth[i] = s.yTrue[i] === positiveClass ? 1 : 0;
  }
  return { positiveClass, score, truth, truncated: n < s.yTrue.length };
}

/** The headline metrics with their bootstrap intervals (when there are any). */
export function headlineTable(m: { classification?: ClassificationMetrics; regression?: RegressionMetrics }): Partial<Record<HeadlineMetric, HeadlineValue>> {
  const values: Partial<Record<HeadlineMetric, number | null>> = m.classification ? classificationHeadlines(m.classification) : m.regression ? regressionHeadlines(m.regression) : {};
  const intervals = (m.classification?.confidenceIntervals ?? m.regression?.confidenceIntervals ?? null) as Partial<Record<HeadlineMetric, Interval | null>> | null;
  const out: Partial<Record<HeadlineMetric, HeadlineValue>> = {};
  for (const [name, value] of Object.entries(values) as [HeadlineMetric, number | null][]) {
    out[name] = intervals && name in intervals ? { value, ci: intervals[name] ?? null } : { value };
  }
  return out;
}
