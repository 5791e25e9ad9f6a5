import * as assert from 'node:assert/strict';
import { compareClassifiers, compareRegressors, compareSplits, evaluateClassification, evaluateRegression } from '../../../src/core/metrics';
import { Gen, labels, logits } from './cases';

describe('comparing splits and models', () => {
  const g = new Gen(17);
  const y = labels(g, 400, [0, 1, 2]);
  const strong = logits(g, y, 3, 3);
  const weak = logits(g, y, 3, 0.5);

  it('flags the headline metrics where the first split is better by more than the threshold', () => {
    const train = evaluateClassification(y, strong, 3);
    const validation = evaluateClassification(y, weak, 3);
    const cmp = compareSplits(train, validation);
    assert.deepEqual(cmp.names, ['train', 'validation']);
    const acc = cmp.gaps.find((gap) => gap.metric === 'accuracy')!;
    assert.equal(acc.gap, train.accuracy - validation.accuracy);
    assert.ok(acc.flagged);
    // Lower is better for log loss: the gap is validation − train, judged relative to train.
    const loss = cmp.gaps.find((gap) => gap.metric === 'logLoss')!;
    assert.equal(loss.gap, validation.logLoss - train.logLoss);
    assert.equal(loss.relativeGap, loss.gap! / train.logLoss);
    assert.ok(loss.flagged);
    assert.deepEqual(cmp.flagged, cmp.gaps.filter((gap) => gap.flagged).map((gap) => gap.metric));
  });

  it('flags nothing when the two splits score alike, and honours the thresholds given', () => {
    const m = evaluateClassification(y, strong, 3);
    assert.deepEqual(compareSplits(m, m).flagged, []);
    const other = evaluateClassification(y, logits(g, y, 3, 2.8), 3);
    assert.deepEqual(compareSplits(m, other, { absoluteThreshold: 1, relativeThreshold: 100 }).flagged, []);
  });

  it('compares regression splits on MAE, RMSE and R²', () => {
    const t = Float64Array.from({ length: 100 }, () => g.normal());
    const cmp = compareSplits(evaluateRegression(t, t.map((v) => v + 0.1 * g.normal())), evaluateRegression(t, t.map((v) => v + g.normal())), { names: ['fit', 'holdout'] });
    assert.deepEqual(cmp.names, ['fit', 'holdout']);
    assert.deepEqual(cmp.gaps.map((gap) => gap.metric), ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError']);
    assert.ok(cmp.flagged.includes('r2') && cmp.flagged.includes('mae'));
  });

  it('gives model deltas b − a with a paired interval that excludes 0 for a clearly better model', () => {
    const cmp = compareClassifiers(y, weak, strong, 3, { bootstrap: { resamples: 300 } });
    const acc = cmp.deltas.find((d) => d.metric === 'accuracy')!;
    assert.equal(acc.delta, cmp.b.accuracy - cmp.a.accuracy);
    assert.ok(acc.significant && acc.interval!.low > 0);
    const loss = cmp.deltas.find((d) => d.metric === 'logLoss')!;
    assert.ok(loss.significant && loss.interval!.high < 0);
  });

  it('uses the same resamples for both models, and the same as a single evaluation with that seed', () => {
    const cmp = compareClassifiers(y, weak, strong, 3, { bootstrap: { resamples: 100, seed: 4 } });
    const alone = evaluateClassification(y, strong, 3, { bootstrap: { resamples: 100, seed: 4 } });
    assert.deepEqual(cmp.b.confidenceIntervals, alone.confidenceIntervals);
    const same = compareClassifiers(y, weak, weak, 3, { bootstrap: { resamples: 100 } });
    for (const d of same.deltas) {
      assert.equal(d.delta, 0);
      assert.deepEqual([d.interval!.low, d.interval!.high, d.significant], [0, 0, false]);
    }
  });

  it('lists the samples where the two models predict differently, with the 2×2 correctness table', () => {
    const cmp = compareClassifiers(y, weak, strong, 3, { bootstrap: { resamples: 10 } });
    const argmax = (s: Float64Array, i: number) => [0, 1, 2].reduce((best, c) => (s[i * 3 + c] > s[i * 3 + best] ? c : best), 0);
    const expected = Array.from(y.keys()).filter((i) => argmax(weak, i) !== argmax(strong, i));
    assert.deepEqual(cmp.disagreement.indices, expected);
    assert.equal(cmp.disagreement.count, expected.length);
    const d = cmp.disagreement;
    assert.equal(d.bothCorrect + d.onlyACorrect + d.onlyBCorrect + d.bothWrong, y.length);
    assert.equal((d.bothCorrect + d.onlyACorrect) / y.length, cmp.a.accuracy);
    assert.equal((d.bothCorrect + d.onlyBCorrect) / y.length, cmp.b.accuracy);
  });

  it('compares two regressors with paired deltas', () => {
    const t = Float64Array.from({ length: 300 }, () => g.normal());
    const cmp = compareRegressors(t, t.map((v) => v + g.normal()), t.map((v) => v + 0.2 * g.normal()), { bootstrap: { resamples: 200 } });
    const mae = cmp.deltas.find((d) => d.metric === 'mae')!;
    assert.equal(mae.delta, cmp.b.mae - cmp.a.mae);
    assert.ok(mae.significant && mae.interval!.high < 0);
  });
});
