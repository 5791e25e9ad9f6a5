/**
 * SLIC superpixels never cross a strong colour edge, are connected, number 0..count−1 with about
 * the count asked for, and come out the same on every run. Attention rollout and Spearman's rank
 * correlation (scipy's, ties averaged) for the sanity check.
 */
import * as assert from 'node:assert/strict';
import { slic } from '../../../src/core/explain/slic';
import { attentionRollout } from '../../../src/core/explain/rollout';
import { averageRanks, sanityFigures, spearman } from '../../../src/core/explain/rankCorrelation';
import { explainOracle } from './oracle';
import { testRandom } from './boxes';

function quadrants(w: number, h: number): Float32Array {
  const colours = [[0.9, 0.1, 0.1], [0.1, 0.8, 0.2], [0.1, 0.2, 0.9], [0.9, 0.9, 0.2]];
  const r = testRandom(1);
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const q = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = Math.min(1, Math.max(0, colours[q][c] + (r() - 0.5) * 0.05));
    }
  }
  return out;
}

describe('superpixels, attention rollout and rank correlation', function () {
  this.timeout(60_000);

  it('SLIC: superpixels respect colour edges, are connected and numbered densely', () => {
    const [w, h] = [64, 48];
    const { labels, count } = slic(quadrants(w, h), w, h, 3, { segments: 24 });
    assert.ok(count >= 12 && count <= 40, `${count} superpixels for 24 asked`);
    const quadrantOf = new Map<number, number>();
    for (let p = 0; p < w * h; p++) {
      const q = (Math.floor(p / w) < h / 2 ? 0 : 2) + (p % w < w / 2 ? 0 : 1);
      assert.ok(labels[p] >= 0 && labels[p] < count);
      if (!quadrantOf.has(labels[p])) quadrantOf.set(labels[p], q);
      assert.equal(quadrantOf.get(labels[p]), q, `superpixel ${labels[p]} crosses a quadrant edge at pixel ${p}`);
    }
    assert.equal(quadrantOf.size, count, 'every label is used');
    // Connected: a flood fill from one pixel of each label reaches all of its pixels.
    for (let s = 0; s < count; s++) {
      const start = labels.indexOf(s);
      const seen = new Set([start]);
      const stack = [start];
      while (stack.length) {
        const p = stack.pop()!;
        for (const q of [p - 1, p + 1, p - w, p + w]) {
          if (q < 0 || q >= w * h || (Math.abs((q % w) - (p % w)) > 1) || labels[q] !== s || seen.has(q)) continue;
          seen.add(q);
          stack.push(q);
        }
      }
      assert.equal(seen.size, labels.filter((l) => l === s).length, `superpixel ${s} is in one piece`);
    }
    assert.deepEqual(Array.from(slic(quadrants(w, h), w, h, 3, { segments: 24 }).labels), Array.from(labels));
  });

  it('SLIC works on one gray channel', () => {
    const [w, h] = [28, 28];
    const gray = Float32Array.from({ length: w * h }, (_, p) => (p % w < 14 ? 0.1 : 0.9));
    const { labels, count } = slic(gray, w, h, 1, { segments: 16 });
    assert.ok(count >= 8);
    for (let y = 0; y < h; y++) assert.notEqual(labels[y * w + 13], labels[y * w + 14], 'the edge between the halves separates superpixels');
  });

  it('attention rollout: identity attention rolls out to the identity, and two layers multiply', () => {
    const eye = { name: 'a', dims: [1, 2, 3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1] };
    assert.deepEqual(Array.from(attentionRollout([eye]).rollout), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const uniform = { name: 'u', dims: [1, 1, 2, 2], data: [0.5, 0.5, 0.5, 0.5] };
    // 0.5·U + 0.5·I = [[0.75, 0.25], [0.25, 0.75]]; squared: [[0.625, 0.375], [0.375, 0.625]].
    const two = attentionRollout([uniform, uniform, { name: 'other size', dims: [1, 1, 3, 3], data: new Array(9).fill(1 / 3) }]);
    assert.deepEqual(Array.from(two.rollout), [0.625, 0.375, 0.375, 0.625]);
    assert.deepEqual(two.layers, ['u', 'u']);
    assert.deepEqual(two.skipped, ['other size']);
  });

  it('Spearman\'s rank correlation equals scipy.stats.spearmanr, ties included', async () => {
    const r = testRandom(4);
    const cases = [
      { a: [1, 2, 3, 4, 5], b: [5, 6, 7, 8, 7] },
      { a: Array.from({ length: 300 }, () => Math.round(r() * 10)), b: Array.from({ length: 300 }, () => Math.round(r() * 10)) },
    ];
    const expected = await explainOracle<{ rho: number }>(cases.map((c) => ({ kind: 'spearman', ...c })));
    cases.forEach((c, i) => assert.ok(Math.abs(spearman(c.a, c.b) - expected[i].rho) < 1e-12, `${spearman(c.a, c.b)} vs ${expected[i].rho}`));
    assert.deepEqual(Array.from(averageRanks([10, 20, 10, 30])), [1.5, 3, 1.5, 4]);
    const same = sanityFigures([1, 2, 3], [2, 4, 6]);
    assert.equal(same.rankCorrelation, 1);
    assert.equal(sanityFigures([1, 1], [1, 2]).rankCorrelation, null, 'a constant map has no rank correlation');
  });
});
