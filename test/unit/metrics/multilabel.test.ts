import * as assert from 'node:assert/strict';
import { evaluateMultilabel, MetricsInputError, type MultilabelMetrics } from '../../../src/core/metrics';
import { multilabelScenarios } from './cases';
import { assertJsonSafe, assertMatches, field, runOracle, type Json } from './sklearnOracle';

describe('multilabel metrics, cross-checked with scikit-learn', () => {
  const scenarios = multilabelScenarios();
  let ours: MultilabelMetrics[] = [];
  let sk: Json[] = [];

  before(async function () {
    this.timeout(60_000);
    ours = scenarios.map((s) => evaluateMultilabel(s.yTrue, s.scores, s.k, { threshold: s.threshold, maxCurvePoints: Infinity }));
    sk = await runOracle(scenarios.map((s) => ({ task: 'multilabel', y_true: Array.from(s.yTrue), scores: Array.from(s.scores), k: s.k, threshold: s.threshold })));
  });

  scenarios.forEach((s, idx) => {
    const check = (keys: (keyof MultilabelMetrics)[]) => {
      for (const key of keys) assertMatches(ours[idx][key], field(sk[idx], key), key);
    };
    it(`computes subset accuracy and Hamming loss like scikit-learn ${s.when}`, () => {
      check(['probabilitySource', 'subsetAccuracy', 'hammingLoss']);
    });
    it(`computes macro, micro, weighted and samples precision, recall and F1 like scikit-learn ${s.when}`, () => {
      check(['precision', 'recall', 'f1', 'perLabel']);
    });
    it(`computes ROC AUC and average precision averages like scikit-learn ${s.when}`, () => {
      check(['rocAuc', 'averagePrecision']);
      for (const [metric, value] of Object.entries(ours[idx].rocAuc)) {
        if (value === null) assert.ok(ours[idx].undefinedMetrics.some((u) => u.metric === `rocAuc.${metric}`));
      }
    });
    it(`produces JSON without NaN or Infinity ${s.when}`, () => {
      assertJsonSafe(ours[idx]);
    });
  });

  it('throws MetricsInputError for an indicator that is not 0 or 1', () => {
    assert.throws(() => evaluateMultilabel(Uint8Array.of(0, 2), Float64Array.of(0.1, 0.2), 2), MetricsInputError);
  });
});
