/**
 * LIME: the weighted ridge equals scikit-learn's Ridge(sample_weight) to 1e-9; on an image model
 * that is additive over superpixels the local model recovers each superpixel's effect; tabular LIME
 * discretises into quartiles, describes the sample's bins and repeats with a seed.
 */
import * as assert from 'node:assert/strict';
import { weightedRidge } from '../../../src/core/explain/linalg';
import { limeImage, limeTabular } from '../../../src/core/explain/lime';
import { imageMasker, segmentMeanImage } from '../../../src/core/explain/maskers';
import { quartileDiscretizer } from '../../../src/core/explain/discretize';
import { functionBox, testRandom } from './boxes';
import { explainOracle } from './oracle';

describe('LIME', function () {
  this.timeout(60_000);

  it('fits the weighted ridge regression scikit-learn fits (coefficients, intercept, score to 1e-9)', async () => {
    const r = testRandom(3);
    const cases = [[40, 5, 1], [200, 12, 0.1], [30, 30, 1]].map(([n, p, alpha]) => {
      const x = Array.from({ length: n }, () => Array.from({ length: p }, (): number => (r() < 0.5 ? 0 : 1)));
      const y = x.map((row) => row.reduce((s, v, j) => s + v * (j - p / 2), 0) + r());
      const w = x.map(() => r());
      return { kind: 'ridge', x, y, w, alpha };
    });
    const expected = await explainOracle<{ coef: number[]; intercept: number; score: number }>(cases);
    cases.forEach((c, i) => {
      const p = c.x[0].length;
      const fit = weightedRidge(Float64Array.from(c.x.flat()), Float64Array.from(c.y), Float64Array.from(c.w), c.x.length, p, c.alpha);
      expected[i].coef.forEach((e, j) => assert.ok(Math.abs(fit.coef[j] - e) < 1e-9, `case ${i} coef ${j}: ${fit.coef[j]} vs ${e}`));
      assert.ok(Math.abs(fit.intercept - expected[i].intercept) < 1e-9);
      assert.ok(Math.abs(fit.score - expected[i].score) < 1e-9);
    });
  });

  it('recovers the effect of each superpixel of an image model additive over superpixels', async () => {
    const [h, w] = [12, 12];
    const segments = Int32Array.from({ length: h * w }, (_, p) => Math.floor(Math.floor(p / w) / 4) * 3 + Math.floor((p % w) / 4));
    const image = Float32Array.from({ length: h * w }, (_, p) => (p % 7) / 7);
    const hidden = segmentMeanImage(image, { height: h, width: w, channels: 1, channelsLast: false }, segments, 9);
    const effect = [2, -1, 0.5, 0, 3, -2, 1, 0.25, -0.5];
    // Each pixel's deviation from its superpixel's mean, weighted by the superpixel's effect.
    const f = (x: Float32Array) => [x.reduce((s, v, p) => s + effect[segments[p]] * (v - hidden[p]) * 10, 1)];
    const masker = imageMasker(image, hidden, { height: h, width: w, channels: 1, channelsLast: false }, segments, 9);
    const result = await limeImage(functionBox(f, h * w, 1, 50), masker, 0, { samples: 2000, seed: 1 });
    const full = f(image)[0] - 1;
    effect.forEach((e, s) => {
      let contribution = 0;
      for (let p = 0; p < h * w; p++) if (segments[p] === s) contribution += e * (image[p] - hidden[p]) * 10;
      // Ridge with α = 1 on 2000 weighted samples shrinks a little.
      assert.ok(Math.abs(result.values[s] - contribution) < 0.02 * Math.abs(full) + 0.02, `superpixel ${s}: ${result.values[s]} vs ${contribution}`);
    });
    assert.ok(result.score > 0.99, `local fit R² ${result.score}`);
    assert.equal(result.prediction, f(image)[0]);
  });

  it('discretises into quartiles like LIME and names the sample\'s bin', () => {
    const data = Float64Array.from({ length: 100 }, (_, i) => i);
    const disc = quartileDiscretizer(data, 100, 1);
    assert.equal(disc.bin(0, 24.75), 0, 'a value equal to the first cut falls in the lower bin');
    assert.equal(disc.bin(0, 25), 1);
    assert.equal(disc.bin(0, 99), 3);
    assert.equal(disc.describe(0, 0, 'age'), 'age <= 24.75');
    assert.equal(disc.describe(0, 2, 'age'), '49.50 < age <= 74.25');
    assert.equal(disc.describe(0, 3, 'age'), 'age > 74.25');
  });

  it('tabular: attributes a linear model\'s effect to the features that carry it, and repeats with a seed', async () => {
    const d = 4;
    const r = testRandom(9);
    const training = Float64Array.from({ length: 500 * d }, () => r() * 10);
    const f = (x: Float32Array) => [3 * x[0] - 2 * x[1] + 0 * x[2] + 0.01 * x[3]];
    const x = [9.5, 9.5, 5, 5];
    const run = (seed: number) => limeTabular(functionBox(f, d, 1), x, training, 500, 0, ['a', 'b', 'c', 'd'], { samples: 3000, seed });
    const [a, b] = [await run(4), await run(4)];
    assert.deepEqual(Array.from(a.values), Array.from(b.values));
    assert.ok(a.values[0] > 10, `a in its top quartile raises the score: ${a.values[0]}`);
    assert.ok(a.values[1] < -7, `b in its top quartile lowers it: ${a.values[1]}`);
    assert.ok(Math.abs(a.values[2]) < 1 && Math.abs(a.values[3]) < 1);
    assert.ok(a.conditions![0].startsWith('a > '), a.conditions![0]);
  });
});
