import * as assert from 'node:assert/strict';
import { evaluateClassification, toProbabilities } from '../../../src/core/metrics';
import { bestF1Threshold, predictsPositive, thresholdMetrics } from '../../../webview/eval/threshold';
import { Gen, labels, logits } from '../metrics/cases';

/** The slider's data for a binary model: P(positive) of every sample and its truth. */
function binaryOf(yTrue: Int32Array, scores: Float64Array, k: number, positiveClass: number) {
  const P = toProbabilities(scores, yTrue.length, k).values;
  return {
    positiveClass,
    score: Array.from(yTrue, (_, i) => P[i * 2 + positiveClass]),
    truth: Array.from(yTrue, (y) => (y === positiveClass ? 1 : 0)),
  };
}

function assertSameAsCore(yTrue: Int32Array, scores: Float64Array, k: number, positiveClass: number): void {
  const m = evaluateClassification(yTrue, scores, k, { positiveClass });
  const t = thresholdMetrics(binaryOf(yTrue, scores, k, positiveClass), 0.5);
  // Exactly equal, not close: the same decisions and the same arithmetic.
  assert.equal(t.precision, m.precision.binary);
  assert.equal(t.recall, m.recall.binary);
  assert.equal(t.f1, m.f1.binary);
  assert.equal(t.accuracy, m.accuracy);
  const cm = m.confusionMatrix;
  const neg = 1 - positiveClass;
  assert.deepEqual([t.tp, t.fn, t.fp, t.tn], [cm[positiveClass][positiveClass], cm[positiveClass][neg], cm[neg][positiveClass], cm[neg][neg]]);
}

describe('eval view: threshold metrics', () => {
  it('equal the metrics core’s binary precision, recall, F1 and accuracy at 0.5 for a single-output model', () => {
    const g = new Gen(11);
    const y = labels(g, 500, [0, 1]);
    const scores = Float64Array.from(y, (v) => 1 / (1 + Math.exp(-(g.normal() + (v ? 1 : -1)))));
    assertSameAsCore(y, scores, 1, 1);
  });

  it('equal them for two logit columns and either positive class', () => {
    const g = new Gen(12);
    const y = labels(g, 700, [0, 1]);
    const scores = logits(g, y, 2, 1.2);
    assertSameAsCore(y, scores, 2, 1);
    assertSameAsCore(y, scores, 2, 0);
  });

  it('equal them when many scores are exactly 0.5 (ties go to class 0, as argmax)', () => {
    const g = new Gen(13);
    const y = labels(g, 300, [0, 1]);
    // Probabilities in steps of 0.25: a third of the rows are [0.5, 0.5].
    const scores = Float64Array.from(y, () => [0.25, 0.5, 0.75][g.int(3)]);
    assertSameAsCore(y, scores, 1, 1);
    const two = new Float64Array(y.length * 2);
    scores.forEach((p, i) => {
      two[2 * i] = 1 - p;
      two[2 * i + 1] = p;
    });
    assertSameAsCore(y, two, 2, 0);
  });

  it('predicts positive above the threshold, and at it only when the positive class is 0', () => {
    assert.equal(predictsPositive(0.5, 0.5, 1), false);
    assert.equal(predictsPositive(0.5000001, 0.5, 1), true);
    assert.equal(predictsPositive(0.5, 0.5, 0), true);
    assert.equal(predictsPositive(0.4999999, 0.5, 0), false);
  });

  it('counts every sample once and moves from all-positive to all-negative', () => {
    const b = { positiveClass: 1, score: [0.1, 0.4, 0.6, 0.9, 0.9], truth: [0, 1, 0, 1, 1] };
    const low = thresholdMetrics(b, -0.01);
    assert.deepEqual([low.tp, low.fp, low.tn, low.fn], [3, 2, 0, 0]);
    assert.equal(low.recall, 1);
    assert.equal(low.fpr, 1);
    const high = thresholdMetrics(b, 1);
    assert.deepEqual([high.tp, high.fp, high.tn, high.fn], [0, 0, 2, 3]);
    assert.equal(high.precision, 0, 'nothing predicted positive: precision 0 (zero_division)');
    assert.equal(high.f1, 0);
    const mid = thresholdMetrics(b, 0.5);
    assert.deepEqual([mid.tp, mid.fp, mid.tn, mid.fn], [2, 1, 1, 1]);
    assert.equal(mid.accuracy, 3 / 5);
  });

  it('finds the threshold of the best F1 over every cut between distinct scores', () => {
    const g = new Gen(14);
    for (const positiveClass of [0, 1]) {
      const y = labels(g, 200, [0, 1]);
      const b = binaryOf(y, logits(g, y, 2, 0.8), 2, positiveClass);
      const best = bestF1Threshold(b);
      const cuts = [...new Set(b.score)].sort((a, c) => a - c);
      const candidates = [...cuts, ...cuts.map((s, i) => (i ? (s + cuts[i - 1]) / 2 : s - 1e-6))];
      const bruteForce = Math.max(...candidates.map((t) => thresholdMetrics(b, t).f1));
      assert.equal(best.f1, bruteForce);
      assert.equal(thresholdMetrics(b, best.threshold).f1, best.f1, 'the threshold reproduces its F1');
    }
  });
});
