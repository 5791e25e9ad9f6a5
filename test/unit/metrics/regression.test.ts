import * as assert from 'node:assert/strict';
import { evaluateRegression, MetricsInputError, type RegressionMetrics } from '../../../src/core/metrics';
import { regressionScenarios } from './cases';
import { assertJsonSafe, assertMatches, field, runOracle, type Json } from './sklearnOracle';

describe('regression metrics, cross-checked with scikit-learn', () => {
  const scenarios = regressionScenarios();
  const rounding = { when: 'when y_true is a constant that numpy cannot average exactly', yTrue: Float64Array.of(0.1, 0.1, 0.1), yPred: Float64Array.of(0.1, 0.1, 0.2) };
  let ours: RegressionMetrics[] = [];
  let sk: Json[] = [];

  before(async function () {
    this.timeout(60_000);
    ours = scenarios.map((s) => evaluateRegression(s.yTrue, s.yPred, { residualBins: s.bins }));
    sk = await runOracle([...scenarios, rounding].map((s) => ({ task: 'regression', y_true: Array.from(s.yTrue), y_pred: Array.from(s.yPred), bins: 'bins' in s ? s.bins : undefined })));
  });

  scenarios.forEach((s, idx) => {
    it(`computes MAE, MSE, RMSE, R², MAPE and max error like scikit-learn ${s.when}`, () => {
      for (const key of ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError'] as const) assertMatches(ours[idx][key], field(sk[idx], key), key);
    });
    it(`bins residuals like numpy.histogram ${s.when}`, () => {
      assertMatches(ours[idx].residualHistogram, field(sk[idx], 'residualHistogram'), 'residualHistogram');
    });
    it(`produces JSON without NaN or Infinity ${s.when}`, () => {
      assertJsonSafe(ours[idx]);
    });
  });

  it('gives R² = 0, the value scikit-learn intends, for a constant y_true that numpy averages inexactly', () => {
    const m = evaluateRegression(rounding.yTrue, rounding.yPred);
    assert.equal(m.r2, 0);
    // scikit-learn's mean of [0.1, 0.1, 0.1] is 0.10000000000000002, so its denominator is ~1e-33.
    assert.ok((field(sk[scenarios.length], 'r2') as number) < -1e20);
  });

  it('returns a null R² with a reason for a single sample (scikit-learn returns NaN)', () => {
    const m = evaluateRegression(Float64Array.of(1), Float64Array.of(2));
    assert.equal(m.r2, null);
    assert.ok(m.undefinedMetrics.some((u) => u.metric === 'r2'));
  });

  it('warns that MAPE is dominated by epsilon-divided errors when y_true has zeros', () => {
    const m = evaluateRegression(Float64Array.of(0, 1, 2), Float64Array.of(0.1, 1, 2));
    assert.ok(m.mape > 1e14);
    assert.ok(m.warnings.some((w) => w.includes('MAPE')));
  });

  it('keeps every point of the scatter when there are at most 5000 samples', () => {
    const m = ours[0];
    assert.equal(m.scatter.indices.length, m.n);
    assert.equal(m.scatter.sampledFrom, null);
    assert.deepEqual(m.scatter.yTrue, Array.from(scenarios[0].yTrue));
  });

  it('downsamples the scatter to 5000 distinct ascending samples, the same ones for the same seed', () => {
    const s = scenarios.find((x) => x.yTrue.length === 20000)!;
    const a = evaluateRegression(s.yTrue, s.yPred);
    const b = evaluateRegression(s.yTrue, s.yPred);
    const c = evaluateRegression(s.yTrue, s.yPred, { seed: 1 });
    assert.equal(a.scatter.indices.length, 5000);
    assert.equal(a.scatter.sampledFrom, 20000);
    assert.deepEqual(a.scatter, b.scatter);
    assert.notDeepEqual(a.scatter.indices, c.scatter.indices);
    a.scatter.indices.forEach((i, j) => {
      if (j > 0) assert.ok(i > a.scatter.indices[j - 1]);
      assert.equal(a.scatter.yTrue[j], s.yTrue[i]);
      assert.equal(a.scatter.yPred[j], s.yPred[i]);
    });
  });

  it('throws MetricsInputError for mismatched lengths, no samples or non-finite values', () => {
    assert.throws(() => evaluateRegression(Float64Array.of(1, 2), Float64Array.of(1)), MetricsInputError);
    assert.throws(() => evaluateRegression(new Float64Array(0), new Float64Array(0)), MetricsInputError);
    assert.throws(() => evaluateRegression(Float64Array.of(1, NaN), Float64Array.of(1, 2)), /y_true\[1\] is NaN/);
  });
});
