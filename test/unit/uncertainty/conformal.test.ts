import * as assert from 'node:assert/strict';
import { conformalClassification, conformalQuantile, conformalRegression, coverageGuarantee, wilsonInterval } from '../../../src/core/uncertainty/conformal';
import { calibrationSplit } from '../../../src/core/uncertainty/split';
import { createRng } from '../../../src/core/metrics/rng';
import { normal, syntheticClassifier } from './synthetic';

const SEEDS = 200;

/**
 * The guarantee is about the coverage expected over the draw of the calibration set. One run's
 * test coverage differs from it by two sampling noises: the calibration set's (given it, coverage
 * is Beta(n + 1 − l, l) with l = ⌊(n + 1)α⌋, Vovk 2012) and the test split's (binomial). So a run
 * agrees with the guarantee "up to sampling noise" when its coverage lies within two combined
 * standard deviations of the band — about 95% of runs should — and the mean coverage over the
 * runs, an estimate of the expected coverage itself, must lie inside the band.
 */
function checkCoverage(name: string, runs: { coverage: number; ci: [number, number]; band: [number, number]; n: number; m: number; alpha: number }[]): void {
  const noise = (r: (typeof runs)[number]) => {
    const l = Math.floor((r.n + 1) * r.alpha);
    const a = r.n + 1 - l;
    const betaVar = (a * l) / ((a + l) ** 2 * (a + l + 1));
    const c = 1 - r.alpha;
    return Math.sqrt(betaVar + (c * (1 - c)) / r.m);
  };
  const within = runs.filter((r) => r.coverage >= r.band[0] - 2 * noise(r) && r.coverage <= r.band[1] + 2 * noise(r)).length / runs.length;
  const mean = runs.reduce((s, r) => s + r.coverage, 0) / runs.length;
  const sd = Math.sqrt(runs.reduce((s, r) => s + (r.coverage - mean) ** 2, 0) / (runs.length - 1));
  const band = runs[0].band;
  // The fraction the report quotes: printed so a test run shows it.
  console.log(`      ${name}: ${(100 * within).toFixed(1)}% of ${runs.length} seeds within [${band[0]}, ${band[1].toFixed(4)}] up to sampling noise; mean coverage ${mean.toFixed(4)}`);
  assert.ok(within >= 0.9, `${name}: only ${within} of the seeds agree with the guarantee`);
  const se = sd / Math.sqrt(runs.length);
  assert.ok(mean >= band[0] - 3 * se && mean <= band[1] + 3 * se, `${name}: mean coverage ${mean} ± ${se} outside [${band[0]}, ${band[1]}]`);
}

describe('split conformal prediction', function () {
  this.timeout(60_000);
  const alpha = 0.1;
  const n = 3000;
  const k = 5;

  for (const score of ['lac', 'aps'] as const) {
    it(`${score.toUpperCase()} sets cover the true class within [1−α, 1−α+1/(n+1)] over ${SEEDS} seeds`, () => {
      const runs = [];
      let size = 0;
      for (let seed = 0; seed < SEEDS; seed++) {
        const { probabilities, yTrue } = syntheticClassifier(1000 + seed, n, k, 2);
        const split = calibrationSplit(n, 1 / 3, seed);
        const r = conformalClassification({ probabilities, k, yTrue, calibration: split.calibration, test: split.test, alpha, score, seed });
        assert.deepEqual(r.guarantee, coverageGuarantee(alpha, 1000));
        assert.equal(r.setSizes.reduce((a, b) => a + b, 0), r.testSize);
        runs.push({ coverage: r.coverage, ci: r.coverageCi95, band: r.guarantee, n: r.calibrationSize, m: r.testSize, alpha });
        size += r.meanSetSize;
      }
      checkCoverage(score.toUpperCase(), runs);
      assert.ok(size / SEEDS > 1 && size / SEEDS < k, `mean set size ${size / SEEDS}`);
    });
  }

  it('regression intervals ŷ ± q̂ cover within the guarantee over many seeds', () => {
    const runs = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const rng = createRng(5000 + seed);
      const yPred = Float64Array.from({ length: n }, () => 10 * normal(rng));
      const yTrue = yPred.map((v) => v + (1 + Math.abs(v) / 10) * normal(rng));
      const split = calibrationSplit(n, 1 / 3, seed);
      const r = conformalRegression(yTrue, yPred, split.calibration, split.test, alpha);
      assert.equal(r.intervalWidth, 2 * r.qHat!);
      runs.push({ coverage: r.coverage, ci: r.coverageCi95, band: r.guarantee, n: r.calibrationSize, m: r.testSize, alpha });
    }
    checkCoverage('regression', runs);
  });

  it('LAC gives smaller sets than APS on the same data (it minimises set size)', () => {
    const { probabilities, yTrue } = syntheticClassifier(42, 6000, 10, 1.5);
    const split = calibrationSplit(6000, 0.5, 1);
    const lac = conformalClassification({ probabilities, k: 10, yTrue, ...split, alpha: 0.1, score: 'lac' });
    const aps = conformalClassification({ probabilities, k: 10, yTrue, ...split, alpha: 0.1, score: 'aps' });
    assert.ok(lac.meanSetSize < aps.meanSetSize, `LAC ${lac.meanSetSize} vs APS ${aps.meanSetSize}`);
  });

  it('the threshold is the ⌈(n+1)(1−α)⌉-th smallest score, infinite when that rank exceeds n', () => {
    const scores = Float64Array.from([0.5, 0.1, 0.9, 0.3]);
    assert.equal(conformalQuantile(scores, 0.4), 0.5); // ⌈5·0.6⌉ = 3 → 0.5
    assert.equal(conformalQuantile(scores, 0.1), Infinity); // ⌈4.5⌉ = 5 > 4
    const r = conformalClassification({ probabilities: Float64Array.from([0.6, 0.4, 0.3, 0.7]), k: 2, yTrue: Int32Array.from([0, 1]), calibration: Int32Array.from([0]), test: Int32Array.from([1]), alpha: 0.1, score: 'lac' });
    assert.equal(r.qHat, null);
    assert.equal(r.meanSetSize, 2);
    assert.equal(r.coverage, 1);
  });

  it('the Wilson interval equals its closed form and stays inside [0, 1]', () => {
    const [lo, hi] = wilsonInterval(90, 100);
    assert.ok(Math.abs(lo - 0.8256) < 1e-4 && Math.abs(hi - 0.9448) < 1e-4, `${lo} ${hi}`);
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    const [a, b] = wilsonInterval(10, 10);
    assert.ok(a > 0.7 && b > 0.9999 && b <= 1);
  });
});
