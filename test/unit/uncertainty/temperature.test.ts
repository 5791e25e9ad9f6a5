import * as assert from 'node:assert/strict';
import { applyTemperature, fitTemperature, logitsFromProbabilities, temperatureScaling } from '../../../src/core/uncertainty/temperature';
import { calibrationSplit } from '../../../src/core/uncertainty/split';
import { syntheticClassifier } from './synthetic';

describe('temperature scaling', () => {
  for (const T0 of [0.5, 2, 3]) {
    it(`recovers a known temperature T = ${T0} from logits that were multiplied by 1/T`, () => {
      // Labels follow softmax(z); the model reports z·T0, so softmax(model / T0) is calibrated.
      const k = 6;
      const { trueLogits, yTrue } = syntheticClassifier(7, 20_000, k, 1.5);
      const reported = trueLogits.map((z) => z * T0);
      const T = fitTemperature(reported, k, yTrue);
      assert.ok(Math.abs(T - T0) / T0 < 0.05, `fitted T ${T} vs ${T0}`);
    });
  }

  it('lowers NLL and ECE on the held-out split of an over-confident model, and never changes the argmax', () => {
    const k = 4;
    const n = 8000;
    const { trueLogits, yTrue } = syntheticClassifier(11, n, k, 1);
    const reported = trueLogits.map((z) => z * 3);
    const split = calibrationSplit(n, 0.5, 0);
    const r = temperatureScaling(reported, k, yTrue, split.calibration, split.test);
    assert.ok(r.T > 2.5 && r.T < 3.5, `T ${r.T}`);
    assert.ok(r.nllAfter < r.nllBefore, `NLL ${r.nllBefore} → ${r.nllAfter}`);
    assert.ok(r.eceAfter < r.eceBefore / 3, `ECE ${r.eceBefore} → ${r.eceAfter}`);
    assert.equal(r.calibrationSize + r.testSize, n);
    assert.equal(r.reliabilityBefore.length, 10);
    const before = applyTemperature(reported, n, k, 1);
    const after = applyTemperature(reported, n, k, r.T);
    for (let i = 0; i < n; i += 97) {
      const row = (p: Float64Array) => Array.from(p.subarray(i * k, (i + 1) * k));
      assert.equal(row(before).indexOf(Math.max(...row(before))), row(after).indexOf(Math.max(...row(after))));
    }
  });

  it('treats probabilities through their logarithm, so a calibrated probability output fits T ≈ 1', () => {
    const k = 3;
    const { probabilities, yTrue } = syntheticClassifier(3, 20_000, k, 2);
    const T = fitTemperature(logitsFromProbabilities(probabilities), k, yTrue);
    assert.ok(Math.abs(T - 1) < 0.05, `T ${T}`);
  });

  it('stops at the bounds when every calibration sample is right with margin (NLL falls as T → 0)', () => {
    const logits = Float64Array.from([5, 0, 0, 5, 4, 0]);
    const T = fitTemperature(logits, 2, Int32Array.from([0, 1, 0]));
    assert.ok(T <= 1e-3 + 1e-12, `T ${T}`);
  });
});
