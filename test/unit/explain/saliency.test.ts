/**
 * Occlusion and RISE: occlusion of a linear model with a 1-pixel window is exactly w·(x − baseline)
 * per pixel; both maps find the region a model looks at, in either layout; the map does not depend
 * on the batch size (the pipelined batches consume every sample once); a seed repeats RISE; a
 * cancelled run stops with a CancelledError.
 */
import * as assert from 'node:assert/strict';
import { occlusion, windowStarts } from '../../../src/core/explain/occlusion';
import { rise, riseMask } from '../../../src/core/explain/rise';
import { createRng } from '../../../src/core/metrics/rng';
import { isCancelled } from '../../../src/shared/cancellation';
import type { ImageLayout } from '../../../src/core/explain/maskers';
import { functionBox, testRandom } from './boxes';

const [H, W] = [16, 20];
const nchw: ImageLayout = { height: H, width: W, channels: 3, channelsLast: false };
const nhwc: ImageLayout = { ...nchw, channelsLast: true };
const offset = (l: ImageLayout, p: number, c: number) => (l.channelsLast ? p * 3 + c : c * H * W + p);

function image(seed: number): Float32Array {
  const r = testRandom(seed);
  return Float32Array.from({ length: 3 * H * W }, () => 0.2 + r());
}

/** Scores: [the mean of the top-left 6 × 6 block over channels, a constant]. */
function cornerModel(layout: ImageLayout) {
  return (x: Float32Array) => {
    let s = 0;
    for (let y = 0; y < 6; y++) for (let xx = 0; xx < 6; xx++) for (let c = 0; c < 3; c++) s += x[offset(layout, y * W + xx, c)];
    return [1, s / 108];
  };
}

const regionMean = (map: Float64Array, inside: boolean) => {
  let s = 0;
  let n = 0;
  for (let p = 0; p < H * W; p++) {
    if ((Math.floor(p / W) < 6 && p % W < 6) === inside) {
      s += map[p];
      n++;
    }
  }
  return s / n;
};

describe('occlusion and RISE saliency', function () {
  this.timeout(60_000);

  it('occlusion with a 1-pixel window gives w·(x − baseline) summed over channels for a linear model', async () => {
    const r = testRandom(2);
    const w = Float64Array.from({ length: 3 * H * W }, () => r() - 0.5);
    const x = image(1);
    const f = (v: Float32Array) => [v.reduce((s, vi, i) => s + w[i] * vi, 0)];
    const result = await occlusion(functionBox(f, x.length, 1, 16), x, nchw, 0, { window: 1, stride: 1, baseline: 0.1 });
    for (let p = 0; p < H * W; p++) {
      let e = 0;
      for (let c = 0; c < 3; c++) e += w[c * H * W + p] * (Math.fround(x[c * H * W + p]) - Math.fround(0.1));
      assert.ok(Math.abs(result.map[p] - e) < 1e-6, `pixel ${p}: ${result.map[p]} vs ${e}`);
    }
    assert.equal(result.evaluations, H * W + 1);
  });

  it('places windows to cover the far edge', () => {
    assert.deepEqual(windowStarts(10, 4, 3), [0, 3, 6]);
    assert.deepEqual(windowStarts(11, 4, 3), [0, 3, 6, 7]);
    assert.deepEqual(windowStarts(3, 8, 2), [0]);
  });

  for (const layout of [nchw, nhwc]) {
    const name = layout.channelsLast ? 'NHWC' : 'NCHW';
    it(`occlusion and RISE find the region the model reads (${name})`, async () => {
      const x = image(3);
      const f = cornerModel(layout);
      const occ = await occlusion(functionBox(f, x.length, 2, 8), x, layout, 1, { window: 4, stride: 2 });
      assert.ok(regionMean(occ.map, true) > 0.05 && Math.abs(regionMean(occ.map, false)) < regionMean(occ.map, true) / 5, `occlusion inside ${regionMean(occ.map, true)}, outside ${regionMean(occ.map, false)}`);
      const r = await rise(functionBox(f, x.length, 2, 32), x, layout, 1, { masks: 800, cells: 5, seed: 1 });
      // RISE maps carry an offset (E[f] where the model does not look): compare the difference.
      assert.ok(regionMean(r.map, true) - regionMean(r.map, false) > 0.05, `RISE inside ${regionMean(r.map, true)}, outside ${regionMean(r.map, false)}`);
      const peak = r.map.indexOf(Math.max(...r.map));
      assert.ok(Math.floor(peak / W) < 6 && peak % W < 6, `RISE peaks at pixel ${peak}, inside the region`);
    });
  }

  it('gives the same RISE map for any batch size, and repeats with a seed', async () => {
    const x = image(4);
    const f = cornerModel(nchw);
    const maps: Float64Array[] = [];
    for (const batch of [1, 7, 64]) maps.push((await rise(functionBox(f, x.length, 2, batch), x, nchw, 1, { masks: 50, seed: 9 })).map);
    for (const m of maps.slice(1)) m.forEach((v, p) => assert.ok(Math.abs(v - maps[0][p]) < 1e-12));
    const other = (await rise(functionBox(f, x.length, 2, 7), x, nchw, 1, { masks: 50, seed: 10 })).map;
    assert.notDeepEqual(Array.from(other), Array.from(maps[0]));
  });

  it('makes smooth masks with about p of the area on', () => {
    const rng = createRng(3);
    const out = new Float32Array(H * W);
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      riseMask(rng, H, W, 4, 0.3, out);
      assert.ok(out.every((v) => v >= 0 && v <= 1));
      sum += out.reduce((a, b) => a + b, 0) / (H * W);
    }
    assert.ok(Math.abs(sum / 200 - 0.3) < 0.05, `mean coverage ${sum / 200}`);
  });

  it('stops with a CancelledError when cancelled', async () => {
    const abort = new AbortController();
    const x = image(5);
    const box = functionBox(cornerModel(nchw), x.length, 2, 4);
    const started = rise(box, x, nchw, 1, { masks: 10_000 }, { signal: abort.signal, onProgress: (done) => { if (done >= 40) abort.abort(); } });
    await assert.rejects(started, (err) => isCancelled(err));
    assert.ok(box.samples < 100, `stopped after ${box.samples} samples`);
  });
});
