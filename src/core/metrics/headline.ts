/**
 * The headline metrics: the few numbers that get bootstrap intervals, train/validation gaps and
 * model-vs-model deltas. One table says which they are and which way is better, so the three
 * features cannot disagree about it.
 */
import type {
  ClassificationHeadline, ClassificationMetrics, HeadlineMetric, RegressionHeadline, RegressionMetrics,
} from '../../shared/metricTypes';

export interface HeadlineInfo {
  higherIsBetter: boolean;
  /** Bounded, comparable scale (a rate or a correlation): gaps are judged in absolute terms. */
  bounded: boolean;
}

export const HEADLINE_INFO: Record<HeadlineMetric, HeadlineInfo> = {
  accuracy: { higherIsBetter: true, bounded: true },
  balancedAccuracy: { higherIsBetter: true, bounded: true },
  precisionMacro: { higherIsBetter: true, bounded: true },
  recallMacro: { higherIsBetter: true, bounded: true },
  f1Macro: { higherIsBetter: true, bounded: true },
  mcc: { higherIsBetter: true, bounded: true },
  kappa: { higherIsBetter: true, bounded: true },
  rocAucMacro: { higherIsBetter: true, bounded: true },
  averagePrecisionMacro: { higherIsBetter: true, bounded: true },
  logLoss: { higherIsBetter: false, bounded: false },
  brier: { higherIsBetter: false, bounded: true },
  ece: { higherIsBetter: false, bounded: true },
  f1Binary: { higherIsBetter: true, bounded: true },
  rocAucBinary: { higherIsBetter: true, bounded: true },
  averagePrecisionBinary: { higherIsBetter: true, bounded: true },
  mae: { higherIsBetter: false, bounded: false },
  mse: { higherIsBetter: false, bounded: false },
  rmse: { higherIsBetter: false, bounded: false },
  r2: { higherIsBetter: true, bounded: true },
  mape: { higherIsBetter: false, bounded: false },
  maxError: { higherIsBetter: false, bounded: false },
};

const MULTICLASS: readonly ClassificationHeadline[] = [
  'accuracy', 'balancedAccuracy', 'precisionMacro', 'recallMacro', 'f1Macro', 'mcc', 'kappa',
  'rocAucMacro', 'averagePrecisionMacro', 'logLoss', 'brier', 'ece',
];
const BINARY: readonly ClassificationHeadline[] = [...MULTICLASS, 'f1Binary', 'rocAucBinary', 'averagePrecisionBinary'];

export const REGRESSION_HEADLINES: readonly RegressionHeadline[] = ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError'];

/** The headline metrics of a task, in report order. */
export function classificationHeadlineNames(binary: boolean): readonly ClassificationHeadline[] {
  return binary ? BINARY : MULTICLASS;
}

/** The headline values of a classification result (null where the metric is undefined). */
export function classificationHeadlines(m: ClassificationMetrics): Partial<Record<ClassificationHeadline, number | null>> {
  const values: Partial<Record<ClassificationHeadline, number | null>> = {
    accuracy: m.accuracy,
    balancedAccuracy: m.balancedAccuracy,
    precisionMacro: m.precision.macro,
    recallMacro: m.recall.macro,
    f1Macro: m.f1.macro,
    mcc: m.mcc,
    kappa: m.kappa,
    rocAucMacro: m.rocAuc.macro,
    averagePrecisionMacro: m.averagePrecision.macro,
    logLoss: m.logLoss,
    brier: m.brier,
    ece: m.ece,
  };
  if (m.task === 'binary') {
    values.f1Binary = m.f1.binary ?? null;
    values.rocAucBinary = m.rocAuc.binary ?? null;
    values.averagePrecisionBinary = m.averagePrecision.binary ?? null;
  }
  return values;
}

export function regressionHeadlines(m: RegressionMetrics): Record<RegressionHeadline, number | null> {
  return { mae: m.mae, mse: m.mse, rmse: m.rmse, r2: m.r2, mape: m.mape, maxError: m.maxError };
}
