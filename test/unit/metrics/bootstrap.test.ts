import * as assert from 'node:assert/strict';
import { bootstrapReplicates, classificationStatistic, percentileIntervals, regressionStatistic } from '../../../src/core/metrics/bootstrap';
import { classificationPass } from '../../../src/core/metrics/evaluate';
import { classificationHeadlineNames, REGRESSION_HEADLINES, classificationHeadlines, regressionHeadlines } from '../../../src/core/metrics/headline';
import { quantileSorted } from '../../../src/core/metrics/numeric';
import { createRng, resampleCounts } from '../../../src/core/metrics/rng';
import { evaluateClassification, evaluateRegression } from '../../../src/core/metrics';
import { Gen, labels, logits, palette } from './cases';
import { close } from './sklearnOracle';

/** The resampled data set itself: sample i repeated weights[i] times. */
function expand<T extends Int32Array | Float64Array>(data: T, weights: Int32Array, width = 1): T {
  const parts: number[] = [];
  weights.forEach((w, i) => {
    for (let r = 0; r < w; r++) for (let c = 0; c < width; c++) parts.push(data[i * width + c]);
  });
  return (data instanceof Int32Array ? Int32Array.from(parts) : Float64Array.from(parts)) as T;
}

function sameOrBothUndefined(a: number, b: number | null | undefined, what: string): void {
  if (b === null || b === undefined || !Number.isFinite(a)) assert.ok(!Number.isFinite(a) && (b === null || b === undefined), `${what}: ${a} vs ${b}`);
  else assert.ok(close(a, b), `${what}: ${a} vs ${b}`);
}

describe('bootstrap confidence intervals', () => {
  const g = new Gen(5);

  for (const [when, K, make] of [
    ['for a 4-class model with logits', 4, (y: Int32Array) => logits(g, y, 4, 1)],
    ['for a binary model with tied probabilities', 2, (y: Int32Array) => palette(g, y, 2, 4)],
  ] as const) {
    it(`computes each resample's headline metrics exactly as evaluating the resampled data would, ${when}`, () => {
      const y = labels(g, 150, Array.from({ length: K }, (_, c) => c));
      const scores = make(y);
      const { samples } = classificationPass(y, scores, K, {}, true);
      const names = classificationHeadlineNames(K === 2);
      const reps = bootstrapReplicates(y.length, { resamples: 20, seed: 11 }, names.length, classificationStatistic(samples!, names));
      const rng = createRng(11);
      const weights = new Int32Array(y.length);
      for (let b = 0; b < 20; b++) {
        resampleCounts(rng, y.length, weights);
        const direct = classificationHeadlines(evaluateClassification(expand(y, weights), expand(scores, weights, K), K));
        names.forEach((name, j) => sameOrBothUndefined(reps.values[b * names.length + j], direct[name], `resample ${b} ${name}`));
      }
    });
  }

  it("computes each resample's regression metrics exactly as evaluating the resampled data would", () => {
    const y = Float64Array.from({ length: 200 }, () => g.normal() * 3);
    const p = y.map((v) => v + g.normal());
    const reps = bootstrapReplicates(y.length, { resamples: 20, seed: 3 }, REGRESSION_HEADLINES.length, regressionStatistic(y, p, REGRESSION_HEADLINES));
    const rng = createRng(3);
    const weights = new Int32Array(y.length);
    for (let b = 0; b < 20; b++) {
      resampleCounts(rng, y.length, weights);
      const direct = regressionHeadlines(evaluateRegression(expand(y, weights), expand(p, weights)));
      REGRESSION_HEADLINES.forEach((name, j) => sameOrBothUndefined(reps.values[b * REGRESSION_HEADLINES.length + j], direct[name], `resample ${b} ${name}`));
    }
  });

  it('gives the same intervals for the same seed and different ones for another seed', () => {
    const y = labels(g, 300, [0, 1, 2]);
    const s = logits(g, y, 3);
    const a = evaluateClassification(y, s, 3, { bootstrap: { resamples: 200, seed: 1 } }).confidenceIntervals;
    const b = evaluateClassification(y, s, 3, { bootstrap: { resamples: 200, seed: 1 } }).confidenceIntervals;
    const c = evaluateClassification(y, s, 3, { bootstrap: { resamples: 200, seed: 2 } }).confidenceIntervals;
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('brackets every headline metric with a 95% interval around the point estimate', () => {
    const y = labels(g, 2000, [0, 1]);
    const m = evaluateClassification(y, Float64Array.from(y, (v) => g.normal() + v), 1, { bootstrap: { resamples: 300 } });
    const point = classificationHeadlines(m);
    for (const [name, iv] of Object.entries(m.confidenceIntervals!)) {
      assert.ok(iv, `${name} has an interval`);
      const v = point[name as keyof typeof point]!;
      assert.ok(iv.low <= v && v <= iv.high, `${name}: ${v} outside [${iv.low}, ${iv.high}]`);
      assert.equal(iv.level, 0.95);
      assert.equal(iv.validResamples, 300);
    }
  });

  it('counts only the resamples where a metric is defined, and gives null when it never is', () => {
    const y = new Int32Array(40); // one class: ROC AUC is undefined in every resample
    const m = evaluateClassification(y, Float64Array.from({ length: 40 }, () => g.normal()), 1, { bootstrap: { resamples: 50 } });
    assert.equal(m.confidenceIntervals!.rocAucBinary, null);
    assert.equal(m.confidenceIntervals!.accuracy!.validResamples, 50);
  });

  it('takes percentiles with numpy.percentile’s linear interpolation', () => {
    const sorted = Float64Array.of(1, 2, 4, 8);
    assert.equal(quantileSorted(sorted, 0), 1);
    assert.equal(quantileSorted(sorted, 1), 8);
    assert.equal(quantileSorted(sorted, 0.5), 3); // position 1.5
    assert.equal(quantileSorted(sorted, 0.025), 1.075); // position 0.075
    const reps = { resamples: 4, statistics: 1, values: Float64Array.of(8, 1, 4, 2) };
    assert.deepEqual(percentileIntervals(reps, 0.5), [{ low: quantileSorted(sorted, 0.25), high: quantileSorted(sorted, 0.75), level: 0.5, validResamples: 4 }]);
  });

  // Its time is reported by bench/metrics.bench.ts (the 1000-resample bootstrap of 10k samples).
  it('computes 1000 resamples of 10k samples × 10 classes, every one valid, the point estimate inside', function () {
    this.timeout(30_000);
    const y = labels(g, 10_000, Array.from({ length: 10 }, (_, c) => c));
    const s = logits(g, y, 10);
    const m = evaluateClassification(y, s, 10, { bootstrap: { resamples: 1000 } });
    const ci = m.confidenceIntervals!.rocAucMacro!;
    assert.equal(ci.validResamples, 1000);
    assert.ok(ci.low <= m.rocAuc!.macro! && m.rocAuc!.macro! <= ci.high, `${ci.low} ≤ ${m.rocAuc!.macro} ≤ ${ci.high}`);
  });
});
