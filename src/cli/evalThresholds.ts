/**
 * The flat view of an EvalReport that `onnx-lens eval --json` prints and `--fail-under` checks:
 * each metric under the name a script would write (`accuracy`, `f1.macro`, `rocAuc.binary`,
 * `topK.3`, `mae`), and the thresholds over those names. Pure; shared by the CLI and tests.
 */
import type { ClassificationMetrics, RegressionMetrics } from '../core/metrics';
import type { EvalReport, ThresholdResult } from '../shared/evalReport';

type Avg = { macro: number; micro: number; weighted: number; binary?: number };

export type FlatClassification = { task: 'classification'; classNames: string[] | null; precision: Avg; recall: Avg; f1: Avg; topK?: Record<string, number> }
  & Pick<ClassificationMetrics, 'n' | 'numClasses' | 'accuracy' | 'balancedAccuracy' | 'confusionMatrix' | 'rocAuc' | 'averagePrecision' | 'logLoss' | 'brier' | 'ece' | 'mcc' | 'kappa'>;

export type FlatRegression = { task: 'regression' } & Pick<RegressionMetrics, 'n' | 'mae' | 'mse' | 'rmse' | 'r2' | 'mape' | 'maxError'>;

export function flatClassification(m: ClassificationMetrics, classNames: string[] | null): FlatClassification {
  const binary = m.task === 'binary';
  const avg = (a: ClassificationMetrics['precision']) => ({ macro: a.macro, micro: a.micro, weighted: a.weighted, ...(binary ? { binary: a.binary } : {}) });
  return {
    task: 'classification',
    n: m.n,
    numClasses: m.numClasses,
    classNames,
    accuracy: m.accuracy,
    balancedAccuracy: m.balancedAccuracy,
    precision: avg(m.precision),
    recall: avg(m.recall),
    f1: avg(m.f1),
    confusionMatrix: m.confusionMatrix,
    rocAuc: { macro: m.rocAuc.macro, weighted: m.rocAuc.weighted, ...(binary ? { binary: m.rocAuc.binary ?? null } : {}) },
    averagePrecision: { macro: m.averagePrecision.macro, weighted: m.averagePrecision.weighted, ...(binary ? { binary: m.averagePrecision.binary } : {}) },
    logLoss: m.logLoss,
    brier: m.brier,
    ece: m.ece,
    mcc: m.mcc,
    kappa: m.kappa,
    ...(m.numClasses > 3 && m.topK ? { topK: m.topK } : {}),
  };
}

export function flatRegression(m: RegressionMetrics): FlatRegression {
  return { task: 'regression', n: m.n, mae: m.mae, mse: m.mse, rmse: m.rmse, r2: m.r2, mape: m.mape, maxError: m.maxError };
}

export function flatMetrics(r: EvalReport): FlatClassification | FlatRegression {
  return r.classification ? flatClassification(r.classification, r.data.classNames) : flatRegression(r.regression!);
}

/** Metrics where lower is better: a limit on them fails when the value is above it. */
const LOWER_IS_BETTER = new Set(['logLoss', 'brier', 'ece', 'mae', 'mse', 'rmse', 'mape', 'maxError']);

const AVERAGES = ['macro', 'micro', 'weighted', 'binary'];
/** Every name a threshold may use, for any task (checked before the evaluation runs). */
export const CLASSIFICATION_METRIC_NAMES: readonly string[] = [
  'accuracy', 'balancedAccuracy',
  ...['precision', 'recall', 'f1'].flatMap((m) => AVERAGES.map((a) => `${m}.${a}`)),
  'rocAuc.macro', 'rocAuc.weighted', 'rocAuc.binary', 'averagePrecision.macro', 'averagePrecision.weighted', 'averagePrecision.binary',
  'logLoss', 'brier', 'ece', 'mcc', 'kappa', 'topK.1', 'topK.3', 'topK.5',
];
export const REGRESSION_METRIC_NAMES: readonly string[] = ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError'];

/** The headline names of the metrics core, accepted as aliases of the dotted names. */
const ALIASES: Record<string, string> = {
  precisionMacro: 'precision.macro', recallMacro: 'recall.macro', f1Macro: 'f1.macro', rocAucMacro: 'rocAuc.macro',
  averagePrecisionMacro: 'averagePrecision.macro', f1Binary: 'f1.binary', rocAucBinary: 'rocAuc.binary', averagePrecisionBinary: 'averagePrecision.binary',
};

export function canonicalMetric(name: string): string | null {
  const n = ALIASES[name] ?? name;
  return CLASSIFICATION_METRIC_NAMES.includes(n) || REGRESSION_METRIC_NAMES.includes(n) ? n : null;
}

/** The numeric leaves of the flat metrics by dotted name (the confusion matrix and counts left out). */
export function metricValues(s: FlatClassification | FlatRegression): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'number' || v === null) out.set(prefix, v as number | null);
    else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
  };
  for (const [k, v] of Object.entries(s)) if (k !== 'n' && k !== 'numClasses' && k !== 'confusionMatrix' && k !== 'classNames') walk(k, v);
  return out;
}

export interface Limit {
  metric: string;
  limit: number;
}

/** Checks each limit against the flat metrics; a name the evaluation has no value for is `unknown`. */
export function checkThresholds(s: FlatClassification | FlatRegression, limits: readonly Limit[]): { results: ThresholdResult[]; unknown: string[] } {
  const values = metricValues(s);
  const results: ThresholdResult[] = [];
  const unknown: string[] = [];
  for (const l of limits) {
    const name = canonicalMetric(l.metric) ?? l.metric;
    if (!values.has(name)) {
      unknown.push(l.metric);
      continue;
    }
    const value = values.get(name) ?? null;
    const better = LOWER_IS_BETTER.has(name) ? 'lower' : 'higher';
    const passed = value !== null && (better === 'higher' ? value >= l.limit : value <= l.limit);
    results.push({ metric: l.metric, limit: l.limit, value, better, passed });
  }
  return { results, unknown };
}

/** Enough digits that a value never prints equal to the limit it failed against. */
export function shown(value: number, limit: number): string {
  for (let digits = 3; digits < 17; digits++) {
    const text = String(Number(value.toFixed(digits)));
    if (Number(text) !== limit) return text;
  }
  return String(value);
}

/** One failure as a phrase: 'accuracy 0.812 < 0.9', 'logLoss 0.41 > 0.3', 'rocAuc.binary undefined'. */
export function describeFailure(r: ThresholdResult): string {
  if (r.value === null) return `${r.metric} undefined (limit ${r.limit})`;
  return `${r.metric} ${shown(r.value, r.limit)} ${r.better === 'higher' ? '<' : '>'} ${r.limit}`;
}
