import * as assert from 'node:assert/strict';
import { evaluateClassification } from '../../../src/core/metrics';
import type { ClassificationMetrics } from '../../../src/core/metrics';
import { classificationScenarios, type ClassificationScenario } from './cases';
import { Gen, labels, logits } from './cases';
import { assertJsonSafe, assertMatches, field, runOracle, type ClassificationCase, type Json } from './sklearnOracle';

function toCase(s: ClassificationScenario): ClassificationCase {
  return { task: 'classification', y_true: Array.from(s.yTrue), scores: Array.from(s.scores), k: s.k, positive_class: s.positiveClass, bins: s.bins };
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
      });
    });
  });

  it('thins long curves to maxCurvePoints for display, keeping both ends, while AUC and AP use every point', () => {
    const g = new Gen(1);
    const y = labels(g, 5000, [0, 1, 2]);
    const scores = logits(g, y, 3, 1);
    const full = evaluateClassification(y, scores, 3, { maxCurvePoints: Infinity });
    const thin = evaluateClassification(y, scores, 3, { maxCurvePoints: 100 });
    assert.deepEqual(thin.rocAuc, full.rocAuc);
    assert.deepEqual(thin.averagePrecision, full.averagePrecision);
    for (let c = 0; c < 3; c++) {
      const [f, t] = [full.curves.roc[c], thin.curves.roc[c]];
      assert.equal(t.fpr.length, 100);
      assert.equal(t.pointCount, f.fpr.length);
      assert.deepEqual([t.fpr[0], t.tpr[0], t.fpr[99], t.tpr[99]], [0, 0, 1, 1]);
      // Every kept point is a point of the full curve, in the same order.
      let j = 0;
      for (let q = 0; q < 100; q++) {
        while (f.thresholds[j] !== t.thresholds[q]) j++;
        assert.deepEqual([f.fpr[j], f.tpr[j]], [t.fpr[q], t.tpr[q]]);
      }
      const [fp, tp] = [full.curves.pr[c], thin.curves.pr[c]];
      assert.equal(tp.precision.length, 100);
      assert.equal(tp.thresholds.length, 99);
      assert.deepEqual([tp.precision[99], tp.recall[99]], [1, 0]);
      assert.equal(tp.pointCount, fp.precision.length);
    }
  });
});
