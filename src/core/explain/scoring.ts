/**
 * The scores permutation importance can measure a drop of, named as scikit-learn's `scoring`
 * strings and defined like them: greater is better, losses negated (`neg_log_loss`,
 * `neg_mean_squared_error`). Classification scores read the model's scores as probabilities by the
 * evaluation's own rule (src/core/metrics/probabilities.ts) and predict their argmax.
 */
import { confusionMatrix } from '../metrics/confusion';
import { labelMetrics } from '../metrics/classification';
import { argmaxRows, toProbabilities } from '../metrics/probabilities';
import { regressionValues } from '../metrics/regression';

export const CLASSIFICATION_SCORES = ['accuracy', 'balanced_accuracy', 'f1_macro', 'f1_weighted', 'neg_log_loss'] as const;
export const REGRESSION_SCORES = ['r2', 'neg_mean_squared_error', 'neg_mean_absolute_error', 'neg_root_mean_squared_error'] as const;
export type ScoreName = (typeof CLASSIFICATION_SCORES)[number] | (typeof REGRESSION_SCORES)[number];

export const isScoreName = (s: string): s is ScoreName => (CLASSIFICATION_SCORES as readonly string[]).includes(s) || (REGRESSION_SCORES as readonly string[]).includes(s);
export const isClassificationScore = (s: ScoreName) => (CLASSIFICATION_SCORES as readonly string[]).includes(s);

/** y: class indices (classification) or targets (regression); scores: n × k. */
export type Scorer = (y: Float64Array, scores: Float64Array, n: number, k: number) => number;

export function scorer(name: ScoreName): Scorer {
  if (isClassificationScore(name)) {
    return (y, scores, n, k) => {
      const probs = toProbabilities(scores, n, k);
      const c = probs.numClasses;
      if (name === 'neg_log_loss') {
        // log_loss clips probabilities to [eps, 1 − eps] with float64's eps (scikit-learn 1.2).
        const eps = 2 ** -52;
        let sum = 0;
        for (let i = 0; i < n; i++) sum -= Math.log(Math.min(1 - eps, Math.max(eps, probs.values[i * c + y[i]])));
        return -sum / n;
      }
      const predicted = argmaxRows(probs.values, n, c);
      const cm = labelMetrics(confusionMatrix(Int32Array.from(y), predicted, c), null);
      if (name === 'accuracy') return cm.accuracy;
      if (name === 'balanced_accuracy') return cm.balancedAccuracy;
      return name === 'f1_macro' ? cm.f1.macro : cm.f1.weighted;
    };
  }
  return (y, scores, n, k) => {
    const pred = new Float64Array(n);
    for (let i = 0; i < n; i++) pred[i] = scores[i * k];
    const v = regressionValues(y, pred);
    if (name === 'r2') return v.r2;
    if (name === 'neg_mean_squared_error') return -v.mse;
    if (name === 'neg_root_mean_squared_error') return -v.rmse;
    return -v.mae;
  };
}
