import * as assert from 'node:assert/strict';
import { selectivePrediction } from '../../../src/core/uncertainty/selective';
import { perSampleUncertainty, uncertaintyDistributions } from '../../../src/core/uncertainty/distributions';
import { syntheticClassifier } from './synthetic';

describe('selective prediction and uncertainty distributions', () => {
  it('AURC is the mean error rate of the k most confident samples over k = 1…n', () => {
    const confidence = Float64Array.from([0.9, 0.8, 0.7, 0.6]);
    const correct = Uint8Array.from([1, 0, 1, 0]);
    const s = selectivePrediction(confidence, correct);
    const expected = (0 / 1 + 1 / 2 + 1 / 3 + 2 / 4) / 4;
    assert.ok(Math.abs(s.aurc - expected) < 1e-15);
    assert.equal(s.risk, 0.5);
    const optimal = (0 + 0 + 1 / 3 + 2 / 4) / 4; // both errors ranked last
    assert.ok(Math.abs(s.eaurc - (expected - optimal)) < 1e-15);
    assert.deepEqual(s.curve.coverage, [0.25, 0.5, 0.75, 1]);
    assert.deepEqual(s.curve.threshold, [0.9, 0.8, 0.7, 0.6]);
  });

  it('a ranking that puts every error last has E-AURC 0; ties make one curve point', () => {
    const s = selectivePrediction(Float64Array.from([0.9, 0.9, 0.5, 0.4]), Uint8Array.from([1, 1, 0, 0]));
    assert.ok(Math.abs(s.eaurc) < 1e-12, `${s.eaurc}`);
    assert.deepEqual(s.curve.coverage, [0.5, 0.75, 1]);
  });

  it('a calibrated model is more confident, with larger margins and lower entropy, where it is right', () => {
    const k = 5;
    const { probabilities, yTrue } = syntheticClassifier(9, 5000, k, 2);
    const per = perSampleUncertainty(probabilities, k, yTrue);
    const d = uncertaintyDistributions(per, k);
    assert.ok(d.confidence.meanCorrect! > d.confidence.meanIncorrect!);
    assert.ok(d.margin.meanCorrect! > d.margin.meanIncorrect!);
    assert.ok(d.entropy.meanCorrect! < d.entropy.meanIncorrect!);
    const total = (h: typeof d.confidence) => h.correct.reduce((a, b) => a + b, 0) + h.incorrect.reduce((a, b) => a + b, 0);
    assert.equal(total(d.confidence), 5000);
    assert.equal(total(d.entropy), 5000);
    assert.ok(Math.abs(d.entropy.edges[20] - Math.log(5)) < 1e-15);
    const s = selectivePrediction(per.confidence, per.correct);
    assert.ok(s.aurc < s.risk, 'abstaining on the least confident lowers the error rate');
    assert.ok(s.curve.coverage.length <= 200);
  });
});
