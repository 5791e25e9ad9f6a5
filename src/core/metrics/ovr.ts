/**
 * Averages of per-class (one-vs-rest) or per-label ROC AUC and average precision, formed the way
 * scikit-learn's `_average_binary_score` forms them for `roc_auc_score` (multiclass 'ovr' and
 * multilabel) and `average_precision_score`:
 * - every class's score is computed before averaging, so one undefined AUC (a class that is
 *   none or all of the samples) makes the average raise — here: null, with the reason;
 * - 'weighted' weighs by support and returns 0 early when no class has support;
 * - AP of a class without positives is 0 (scikit-learn's convention) and is averaged in.
 */
import type { RocCurve, UndefinedMetric } from '../../shared/metricTypes';

/** Σ scores·support / Σ support (`np.average(scores, weights=support)`); 0 when support sums to 0. */
export function supportWeightedMean(scores: Float64Array, support: Float64Array): number {
  let s = 0;
  let w = 0;
  for (let c = 0; c < scores.length; c++) {
    if (support[c] === 0) continue;
    s += scores[c] * support[c];
    w += support[c];
  }
  return w === 0 ? 0 : s / w;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Macro and weighted ROC AUC; `auc` holds NaN for classes whose curve is undefined. */
export function averageRocAuc(
  auc: Float64Array,
  support: Float64Array,
  curves: RocCurve[],
  undefinedMetrics: UndefinedMetric[],
): { macro: number | null; weighted: number | null } {
  const bad = curves.filter((r) => r.auc === null);
  const reason = bad.map((r) => r.undefinedReason).join('; ');
  const noSupport = support.every((s) => s === 0);
  const macro = bad.length === 0 ? mean(auc) : null;
  const weighted = noSupport ? 0 : bad.length === 0 ? supportWeightedMean(auc, support) : null;
  if (macro === null) undefinedMetrics.push({ metric: 'rocAuc.macro', reason });
  if (weighted === null) undefinedMetrics.push({ metric: 'rocAuc.weighted', reason });
  return { macro, weighted };
}

/** Macro and weighted average precision, with scikit-learn's warning for classes without positives. */
export function averageAp(ap: Float64Array, support: Float64Array, noun: 'class' | 'label', warnings: string[]): { macro: number; weighted: number } {
  const absent = Array.from(support.keys()).filter((c) => support[c] === 0);
  if (absent.length > 0) {
    warnings.push(`No positive samples in y_true for ${noun === 'class' ? 'classes' : 'labels'} ${absent.join(', ')}: their recall and average precision are 0 (scikit-learn's convention) and count in the macro average.`);
  }
  return { macro: mean(ap), weighted: supportWeightedMean(ap, support) };
}
