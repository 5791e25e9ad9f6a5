import * as assert from 'node:assert/strict';
import { evaluateClassification } from '../../../src/core/metrics';
import type { ClassificationMetrics } from '../../../src/core/metrics';
import { classificationScenarios, type ClassificationScenario } from './cases';
import { assertMatches, field, runOracle, type ClassificationCase, type Json } from './sklearnOracle';

function toCase(s: ClassificationScenario): ClassificationCase {
  return { task: 'classification', y_true: Array.from(s.yTrue), scores: Array.from(s.scores), k: s.k, positive_class: s.positiveClass, bins: s.bins };
}

/** Every number in a JSON-bound value is finite (JSON has no NaN or Infinity). */
export function assertJsonSafe(value: unknown, where = 'result'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertJsonSafe(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${where}.${k}`);
}

describe('classification metrics, cross-checked with scikit-learn', () => {
  const scenarios = classificationScenarios();
  let ours: ClassificationMetrics[] = [];
  let sk: Json[] = [];

  before(async function () {
    this.timeout(60_000);
    ours = scenarios.map((s) =>
      evaluateClassification(s.yTrue, s.scores, s.k, { positiveClass: s.positiveClass, calibrationBins: s.bins, maxCurvePoints: Infinity }),
    );
    sk = await runOracle(scenarios.map(toCase));
  });

  scenarios.forEach((s, idx) => {
    describe(s.when, () => {
      const check = (keys: (keyof ClassificationMetrics)[]) => {
        for (const key of keys) assertMatches(ours[idx][key], field(sk[idx], key), key);
      };

      it(`turns scores into probabilities by the documented rule ${s.when}`, () => {
        check(['probabilitySource', 'numClasses']);
      });
      it(`computes accuracy, balanced accuracy, MCC and Cohen's kappa like scikit-learn ${s.when}`, () => {
        check(['accuracy', 'balancedAccuracy', 'mcc', 'kappa']);
      });
      it(`computes macro, micro, weighted and binary precision, recall and F1 like scikit-learn ${s.when}`, () => {
        check(['precision', 'recall', 'f1']);
      });
      it(`computes the per-class table and the confusion matrix like scikit-learn ${s.when}`, () => {
        check(['perClass', 'confusionMatrix']);
      });
      it(`computes one-vs-rest ROC AUC and average precision like scikit-learn ${s.when}`, () => {
        check(['rocAuc', 'averagePrecision']);
        for (const metric of ['macro', 'weighted'] as const) {
          if (ours[idx].rocAuc[metric] === null) {
            assert.ok(ours[idx].undefinedMetrics.some((u) => u.metric === `rocAuc.${metric}` && u.reason.length > 0), `rocAuc.${metric} is null without a reason`);
          }
        }
      });
      it(`computes ROC curves like scikit-learn roc_curve ${s.when}`, () => {
        const expected = field(field(sk[idx], 'curves'), 'roc') as Json[];
        ours[idx].curves.roc.forEach((curve, c) => {
          if (expected[c] === null) {
            assert.equal(curve.auc, null);
            assert.ok(curve.undefinedReason, `class ${c}: an undefined curve says why`);
            assert.equal(curve.fpr.length, 0);
          } else {
            assertMatches(curve, expected[c], `roc[${c}]`);
          }
        });
      });
      it(`computes precision-recall curves like scikit-learn precision_recall_curve ${s.when}`, () => {
        const expected = field(field(sk[idx], 'curves'), 'pr') as Json[];
        ours[idx].curves.pr.forEach((curve, c) => assertMatches(curve, expected[c], `pr[${c}]`));
      });
      it(`computes log loss and Brier scores like scikit-learn ${s.when}`, () => {
        check(['logLoss', 'brier']);
        if (ours[idx].task === 'binary') check(['brierBinary']);
      });
      it(`computes ECE and reliability bins like scikit-learn calibration_curve ${s.when}`, () => {
        check(['ece', 'reliability']);
      });
      it(`computes top-k accuracy like scikit-learn ${s.when}`, () => {
        const expected = field(sk[idx], 'topK');
        if (expected !== null) assertMatches(ours[idx].topK, expected, 'topK');
        else if (ours[idx].numClasses <= 3) assert.equal(ours[idx].topK, null);
      });
      it(`produces JSON without NaN or Infinity ${s.when}`, () => {
        assertJsonSafe(ours[idx]);
        assert.deepEqual(JSON.parse(JSON.stringify(ours[idx])), ours[idx]);
      });
    });
  });
});
