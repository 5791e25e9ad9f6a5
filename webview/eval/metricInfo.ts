/**
 * How the Evaluate tab and the HTML report name and print metrics: labels, one-line meanings,
 * value and interval formatting, class names. Pure (no DOM), so it is unit-tested in Node.
 */
import { HEADLINE_INFO } from '../../src/core/metrics/headline';
import type { HeadlineMetric, Interval, UndefinedMetric } from '../../src/shared/metricTypes';
import { formatPercent, formatValue } from '../ui/numbers';

export interface MetricLabel {
  label: string;
  /** What it measures, for the card's tooltip. */
  help: string;
}

export const METRIC_LABELS: Record<HeadlineMetric, MetricLabel> = {
  accuracy: { label: 'Accuracy', help: 'Share of samples whose predicted class (the most probable) is the true class.' },
  balancedAccuracy: { label: 'Balanced accuracy', help: 'Mean recall over the classes present: accuracy that a majority class cannot inflate.' },
  precisionMacro: { label: 'Precision (macro)', help: 'Mean over classes of the share of predictions of the class that are right.' },
  recallMacro: { label: 'Recall (macro)', help: 'Mean over classes of the share of the class’s samples found.' },
  f1Macro: { label: 'F1 (macro)', help: 'Mean over classes of the harmonic mean of precision and recall.' },
  mcc: { label: 'MCC', help: 'Matthews correlation coefficient: −1 to 1, 0 is chance; robust to imbalance.' },
  kappa: { label: 'Cohen’s κ', help: 'Agreement between predictions and truth beyond chance.' },
  rocAucMacro: { label: 'ROC AUC (macro)', help: 'Mean one-vs-rest area under the ROC curve: how well scores rank each class above the others.' },
  averagePrecisionMacro: { label: 'AP (macro)', help: 'Average precision: mean one-vs-rest area under the precision–recall curve.' },
  logLoss: { label: 'Log loss', help: 'Mean negative log-probability of the true class (lower is better).' },
  brier: { label: 'Brier score', help: 'Mean squared distance between the probabilities and the one-hot truth (lower is better).' },
  ece: { label: 'ECE', help: 'Expected calibration error: mean gap between confidence and accuracy over the reliability bins (lower is better).' },
  f1Binary: { label: 'F1 (positive)', help: 'F1 of the positive class at the argmax decision.' },
  rocAucBinary: { label: 'ROC AUC', help: 'Area under the ROC curve of the positive class’s score.' },
  averagePrecisionBinary: { label: 'Average precision', help: 'Area under the precision–recall curve of the positive class.' },
  mae: { label: 'MAE', help: 'Mean absolute error.' },
  mse: { label: 'MSE', help: 'Mean squared error.' },
  rmse: { label: 'RMSE', help: 'Root mean squared error, in the target’s units.' },
  r2: { label: 'R²', help: 'Coefficient of determination: 1 is perfect, 0 is predicting the mean.' },
  mape: { label: 'MAPE', help: 'Mean absolute percentage error.' },
  maxError: { label: 'Max error', help: 'Largest absolute error of any sample.' },
};

export function metricLabel(metric: string): string {
  return (METRIC_LABELS as Record<string, MetricLabel | undefined>)[metric]?.label ?? metric;
}

export function higherIsBetter(metric: HeadlineMetric): boolean {
  return HEADLINE_INFO[metric]?.higherIsBetter ?? true;
}

/**
 * A metric's value as the cards and tables print it: rates with 3 decimals, MAPE in %, the rest
 * with `digits` significant digits (4; interval ends take 3).
 */
export function formatMetric(metric: string, value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (metric === 'mape') return formatPercent(value);
  const info = (HEADLINE_INFO as Record<string, { bounded: boolean } | undefined>)[metric];
  if (info?.bounded) return value.toFixed(3);
  if (digits >= 4) return formatValue(value);
  const a = Math.abs(value);
  if (Number.isInteger(value) || a >= 1e4 || a < 1e-3) return formatValue(value);
  // Three significant digits, trailing zeros kept (an interval's ends line up): 0.180, 26.4, 1490.
  return a >= 100 ? value.toFixed(0) : a >= 10 ? value.toFixed(1) : a >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** An interval's ends: "0.944–0.978", or "[−0.058, −0.008]" when an end is negative (a dash would read as a minus). */
export function formatRange(metric: string, ci: Pick<Interval, 'low' | 'high'>): string {
  const end = (v: number) => formatMetric(metric, v, 3).replace(/^-/, '−');
  return ci.low < 0 || ci.high < 0 ? `[${end(ci.low)}, ${end(ci.high)}]` : `${end(ci.low)}–${end(ci.high)}`;
}

/** "95% CI 0.944–0.978". */
export function formatInterval(metric: string, ci: Interval | null | undefined): string {
  if (!ci) return '';
  return `${Math.round(ci.level * 100)}% CI ${formatRange(metric, ci)}`;
}

/** A signed difference in the metric's units: "+0.012", "−0.8 %". */
export function formatDelta(metric: string, delta: number | null): string {
  if (delta === null || !Number.isFinite(delta)) return '–';
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return `${sign}${formatMetric(metric, Math.abs(delta))}`;
}

/** Why a headline metric is null, from the metrics core's `undefinedMetrics` (matched by path prefix). */
export function undefinedReason(metric: HeadlineMetric, undefinedMetrics: readonly UndefinedMetric[]): string | null {
  const paths: Partial<Record<HeadlineMetric, string>> = {
    rocAucMacro: 'rocAuc.macro', rocAucBinary: 'rocAuc.binary', kappa: 'kappa', r2: 'r2',
  };
  const path = paths[metric] ?? metric;
  return undefinedMetrics.find((u) => u.metric === path || u.metric.startsWith(`${path}.`))?.reason ?? null;
}

/** A class's display name: its name when known ("cat"), else its index ("3"). */
export function className(names: readonly string[] | null | undefined, c: number): string {
  const name = names?.[c];
  return name === undefined || name === '' ? String(c) : name;
}

/** The metrics core's default split thresholds (`compareSplits`): 0.05 on bounded metrics, 10 % relative on the others. */
const SPLIT_ABSOLUTE = 0.05;
const SPLIT_RELATIVE = 0.1;

/**
 * Which split is better by a large margin on this metric — 'first', 'second' or null — with the
 * core's thresholds applied in both directions. The core flags only "first better" (it expects
 * train first); an evaluation may well name the training split second, and a large gap matters
 * either way.
 */
export function largeGapSide(gap: { metric: HeadlineMetric; gap: number | null; relativeGap: number | null; flagged: boolean }): 'first' | 'second' | null {
  if (gap.gap === null) return null;
  if (gap.flagged) return 'first';
  const bounded = HEADLINE_INFO[gap.metric]?.bounded ?? true;
  const size = bounded ? Math.abs(gap.gap) : Math.abs(gap.relativeGap ?? 0);
  if (size <= (bounded ? SPLIT_ABSOLUTE : SPLIT_RELATIVE)) return null;
  return gap.gap > 0 ? 'first' : 'second';
}
