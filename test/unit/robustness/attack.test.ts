import * as assert from 'node:assert/strict';
import { createRng } from '../../../src/core/metrics/rng';
import { softmaxRows } from '../../../src/core/metrics/probabilities';
import { sampleLayout } from '../../../src/core/robustness/layout';
import { sampleSeed } from '../../../src/core/robustness/perturbations';
import { squareAttack, windowShare, type QueryFn } from '../../../src/core/robustness/squareAttack';

/** A weak linear classifier on 8×8 images in [0, 1]: 3 classes, small weights, so small margins. */
function weakModel(seed: number) {
  const rng = createRng(seed);
  const f = 64;
  const k = 3;
  const w = Float64Array.from({ length: k * f }, () => ((rng.nextUint32() / 4294967296) - 0.5) * 0.6);
  let queries = 0;
  const logits = (x: Float32Array) => Array.from({ length: k }, (_, c) => x.reduce((s, v, i) => s + v * w[c * f + i], 0));
  const query: QueryFn = async (samples) => {
    queries += samples.length;
    return softmaxRows(Float64Array.from(samples.flatMap(logits)), samples.length, k);
  };
  const predict = (x: Float32Array) => {
    const z = logits(x);
    return z.indexOf(Math.max(...z));
  };
  const samples = Array.from({ length: 40 }, () => Float32Array.from({ length: f }, () => rng.nextUint32() / 4294967296));
  return { k, query, predict, samples, queriesUsed: () => queries };
}

describe('Square Attack (L∞, black box)', function () {
  this.timeout(60_000);
  const layout = sampleLayout([64]);

  it('finds adversarial examples of a weak model within ε and the value range', async () => {
    const m = weakModel(1);
    const labels = m.samples.map(m.predict);
    const eps = 0.1;
    const out = await squareAttack(m.samples, labels, m.query, { eps, queries: 300, lo: 0, hi: 1, layout, k: m.k, seeds: m.samples.map((_, i) => sampleSeed(0, 99, 0, i)) });
    const successes = out.filter((o) => o.success);
    assert.ok(successes.length >= m.samples.length / 2, `only ${successes.length} of ${m.samples.length} flipped`);
    for (const [i, o] of out.entries()) {
      assert.ok(o.queries >= 1 && o.queries <= 300);
      for (let j = 0; j < 64; j++) {
        assert.ok(Math.abs(o.adversarial[j] - m.samples[i][j]) <= eps + 1e-6, 'inside the ε-ball');
        assert.ok(o.adversarial[j] >= 0 && o.adversarial[j] <= 1, 'inside the value range');
      }
      if (o.success) assert.notEqual(m.predict(o.adversarial), labels[i], 'a success really changes the prediction');
    }
  });

  it('finds none at ε = 0, spending the whole budget', async () => {
    const m = weakModel(2);
    const labels = m.samples.map(m.predict);
    const out = await squareAttack(m.samples, labels, m.query, { eps: 0, queries: 50, lo: 0, hi: 1, layout, k: m.k, seeds: m.samples.map((_, i) => i) });
    assert.equal(out.filter((o) => o.success).length, 0);
    assert.ok(out.every((o) => o.queries === 50));
  });

  it('is reproducible: the same seeds give the same adversarial examples, whatever the batching', async () => {
    const m = weakModel(3);
    const labels = m.samples.map(m.predict);
    const seeds = m.samples.map((_, i) => sampleSeed(7, 99, 0, i));
    const opts = { eps: 0.08, queries: 100, lo: 0, hi: 1, layout, k: m.k };
    const all = await squareAttack(m.samples, labels, m.query, { ...opts, seeds });
    const half = await squareAttack(m.samples.slice(0, 20), labels.slice(0, 20), m.query, { ...opts, seeds: seeds.slice(0, 20) });
    half.forEach((o, i) => {
      assert.equal(o.queries, all[i].queries);
      assert.deepEqual(Array.from(o.adversarial), Array.from(all[i].adversarial));
    });
  });

  it('halves the window share on the paper\'s schedule', () => {
    assert.equal(windowShare(0.05, 0, 10_000), 0.05);
    assert.equal(windowShare(0.05, 11, 10_000), 0.025);
    assert.equal(windowShare(0.05, 9000, 10_000), 0.05 / 512);
    assert.equal(windowShare(0.05, 100, 1000), 0.05 / 16); // 100 of 1000 ≈ 1000 of 10k
  });
});
