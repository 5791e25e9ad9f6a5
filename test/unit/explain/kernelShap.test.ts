/**
 * KernelSHAP: exact enumeration equals the Shapley values by their definition; efficiency holds to
 * 1e-6 exact and sampled; on a linear model with independent features φ = w·(x − E[x]) to 1e-6;
 * sampled values fall within their reported standard errors of the exact ones; a seed repeats.
 */
import * as assert from 'node:assert/strict';
import { kernelShap, shapleyKernel } from '../../../src/core/explain/kernelShap';
import { tabularMasker } from '../../../src/core/explain/maskers';
import { kmeansBackground, sampleBackground } from '../../../src/core/explain/background';
import { bruteForceShapley, functionBox, testRandom } from './boxes';

function data(n: number, d: number, seed: number): Float64Array {
  const r = testRandom(seed);
  return Float64Array.from({ length: n * d }, () => r() * 4 - 2);
}

/** A non-linear two-output model with interactions. */
const nonlinear = (x: Float32Array) => {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += (j + 1) * 0.1 * x[j];
  return [Math.tanh(s) + x[0] * x[1] - 0.5 * x[2] * x[2] + Math.max(0, x[3] * x[4]), -s];
};

/** The interventional coalition value of the definition: E_b f(x_S, b_S̄) over the weighted background. */
function definitionValue(f: (x: Float32Array) => number[], x: Float64Array, bg: { rows: Float64Array; weights: Float64Array; count: number }, target: number) {
  const d = x.length;
  return (mask: number) => {
    let v = 0;
    for (let b = 0; b < bg.count; b++) {
      const row = Float32Array.from({ length: d }, (_, j) => ((mask >> j) & 1 ? x[j] : bg.rows[b * d + j]));
      v += bg.weights[b] * f(row)[target];
    }
    return v;
  };
}

describe('KernelSHAP', () => {
  it('weights coalitions with the Shapley kernel (M − 1) / (C(M, s) · s · (M − s))', () => {
    assert.equal(shapleyKernel(4, 1), 3 / (4 * 1 * 3));
    assert.equal(shapleyKernel(4, 2), 3 / (6 * 2 * 2));
    assert.ok(Math.abs(shapleyKernel(10, 3) - 9 / (120 * 3 * 7)) < 1e-15);
  });

  it('enumerates every coalition up to 12 features and equals the Shapley values of the definition to 1e-6', async () => {
    const d = 8;
    const bg = kmeansBackground(data(200, d, 1), 200, d, 10, 3);
    const x = data(1, d, 2);
    const box = functionBox(nonlinear, d, 2, 37);
    const result = await kernelShap(box, tabularMasker(x, bg.rows, bg.weights), 0);
    assert.equal(result.exact, true);
    assert.equal(result.coalitions, 2 ** d - 2);
    assert.equal(box.samples, (2 ** d) * bg.count, 'every coalition and both ends, each over the background');
    const expected = bruteForceShapley(d, definitionValue(nonlinear, x, bg, 0));
    expected.forEach((e, j) => assert.ok(Math.abs(result.values[j] - e) < 1e-6, `φ${j}: ${result.values[j]} vs ${e}`));
    const sum = result.values.reduce((a, b) => a + b, 0);
    let mean = 0;
    for (let b = 0; b < bg.count; b++) mean += bg.weights[b] * nonlinear(Float32Array.from(bg.rows.subarray(b * d, (b + 1) * d)))[0];
    assert.ok(Math.abs(result.expected - mean) < 1e-9, 'expected = E[f(background)]');
    assert.ok(Math.abs(sum - (result.prediction - result.expected)) < 1e-6, `efficiency: Σφ = ${sum}, f(x) − E[f] = ${result.prediction - result.expected}`);
    assert.ok(result.standardErrors.every((s) => s === 0));
  });

  for (const d of [10, 30]) {
    it(`on a linear model with independent features gives w·(x − E[x]) to 1e-6 (${d} features, ${d <= 12 ? 'exact' : 'sampled'})`, async () => {
      const r = testRandom(d);
      const w = Float64Array.from({ length: d }, () => r() * 6 - 3);
      const linear = (x: Float32Array) => [w.reduce((s, wj, j) => s + wj * x[j], 0.7)];
      const bg = sampleBackground(data(500, d, 5), 500, d, 40, 9);
      const x = data(1, d, 6);
      const result = await kernelShap(functionBox(linear, d, 1), tabularMasker(x, bg.rows, bg.weights), 0, { samples: 600, seed: 4 });
      assert.equal(result.exact, d <= 12);
      for (let j = 0; j < d; j++) {
        let mean = 0;
        // The model sees float32 inputs: w·(x − E[x]) of the values it was fed.
        for (let b = 0; b < bg.count; b++) mean += bg.weights[b] * Math.fround(bg.rows[b * d + j]);
        const expected = w[j] * (Math.fround(x[j]) - mean);
        assert.ok(Math.abs(result.values[j] - expected) < 1e-6, `φ${j}: ${result.values[j]} vs ${expected}`);
      }
      assert.ok(result.efficiencyGap < 1e-6);
    });
  }

  it('sampled: efficiency to 1e-6, and the values within their reported standard errors of the exact ones', async () => {
    const d = 14;
    const f = (x: Float32Array) => [nonlinear(x)[0] + 0.3 * x[13] * x[12] + Math.sin(x[7])];
    const bg = kmeansBackground(data(300, d, 11), 300, d, 6, 1);
    const x = data(1, d, 12);
    const exact = bruteForceShapley(d, definitionValue(f, x, bg, 0));
    const result = await kernelShap(functionBox(f, d, 1, 128), tabularMasker(x, bg.rows, bg.weights), 0, { samples: 1500, seed: 2 });
    assert.equal(result.exact, false);
    assert.equal(result.coalitions, 1500);
    assert.ok(result.efficiencyGap < 1e-6);
    const sum = result.values.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - exact.reduce((a, b) => a + b, 0)) < 1e-6, 'Σφ equals the exact total');
    let within = 0;
    exact.forEach((e, j) => {
      const z = Math.abs(result.values[j] - e) / Math.max(result.standardErrors[j], 1e-12);
      if (z <= 3) within++;
    });
    assert.ok(within >= d - 1, `${within} of ${d} features within 3 standard errors`);
    assert.ok(result.standardErrors.some((s) => s > 0), 'a sampled fit reports its errors');
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const d = 20;
    const bg = sampleBackground(data(100, d, 1), 100, d, 10, 0);
    const x = data(1, d, 2);
    const f = (v: Float32Array) => [Math.tanh(v[0] * v[1] + v[2]) + v[3] * v[4] * v[5]];
    const run = (seed: number) => kernelShap(functionBox(f, d, 1), tabularMasker(x, bg.rows, bg.weights), 0, { samples: 200, seed });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    assert.deepEqual(Array.from(a.values), Array.from(b.values));
    assert.deepEqual(Array.from(a.standardErrors), Array.from(b.standardErrors));
    assert.notDeepEqual(Array.from(a.values), Array.from(c.values));
  });

  it('summarises a background by weighted k-means, deterministically', () => {
    const d = 3;
    const rows = data(400, d, 21);
    const a = kmeansBackground(rows, 400, d, 8, 5);
    const b = kmeansBackground(rows, 400, d, 8, 5);
    assert.deepEqual(Array.from(a.rows), Array.from(b.rows));
    assert.ok(Math.abs(a.weights.reduce((s, w) => s + w, 0) - 1) < 1e-12);
    // The weighted centroids keep the data's mean (Lloyd's update is a mean of each cluster).
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < 400; i++) m += rows[i * d + j] / 400;
      let c = 0;
      for (let k = 0; k < a.count; k++) c += a.weights[k] * a.rows[k * d + j];
      assert.ok(Math.abs(m - c) < 1e-9, `feature ${j}: data mean ${m}, weighted centroids ${c}`);
    }
  });
});
