import * as assert from 'node:assert/strict';
import { sampleLayout } from '../../../src/core/robustness/layout';
import { affine, gaussianBlur } from '../../../src/core/robustness/imageOps';
import { perturbSample, sampleSeed, unsupportedReason, type InputStats } from '../../../src/core/robustness/perturbations';

const image = sampleLayout([3, 16, 16]);
const n = 3 * 16 * 16;
const stats: InputStats = { lo: 0, hi: 1, mean: new Float64Array(n).fill(0.5), std: new Float64Array(n).fill(0.2) };
const gradient = Float32Array.from({ length: n }, (_, i) => (i % 16) / 15);

const mean = (x: Float32Array) => x.reduce((a, b) => a + b, 0) / x.length;
const std = (x: Float32Array) => Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / x.length);

describe('perturbations', () => {
  it('reads layouts: NCHW, NHWC, H×W, square pixel rows as images, anything else as a vector', () => {
    assert.deepEqual(sampleLayout([3, 224, 224]), { kind: 'image', channels: 3, height: 224, width: 224, channelsFirst: true });
    assert.deepEqual(sampleLayout([32, 32, 3]), { kind: 'image', channels: 3, height: 32, width: 32, channelsFirst: false });
    assert.deepEqual(sampleLayout([28, 28]), { kind: 'image', channels: 1, height: 28, width: 28, channelsFirst: true });
    assert.deepEqual(sampleLayout([64]), { kind: 'image', channels: 1, height: 8, width: 8, channelsFirst: true });
    assert.deepEqual(sampleLayout([13]), { kind: 'vector', size: 13 });
    assert.match(unsupportedReason('blur', sampleLayout([13]))!, /blur needs an image input .* 13 values per sample/);
  });

  it('adds noise of σ times the value range, seeded per sample, clipped to the range for images', async () => {
    const flat = new Float32Array(n).fill(0.5);
    const a = await perturbSample(flat, image, stats, 'noise', 0.1, sampleSeed(1, 0, 0, 5));
    const b = await perturbSample(flat, image, stats, 'noise', 0.1, sampleSeed(1, 0, 0, 5));
    const c = await perturbSample(flat, image, stats, 'noise', 0.1, sampleSeed(1, 0, 0, 6));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(Math.abs(std(a) - 0.1) < 0.01, `σ ${std(a)}`);
    const big = await perturbSample(flat, image, stats, 'noise', 5, 1);
    assert.ok(big.every((v) => v >= 0 && v <= 1));
  });

  it('scales tabular noise by each feature\'s std and drops features to their mean', async () => {
    const layout = sampleLayout([4]);
    const s: InputStats = { lo: 0, hi: 100, mean: Float64Array.from([1, 2, 3, 4]), std: Float64Array.from([0, 10, 0, 0]) };
    const x = Float32Array.from([9, 9, 9, 9]);
    const noisy = await perturbSample(x, layout, s, 'feature-noise', 1, 3);
    assert.equal(noisy[0], 9);
    assert.notEqual(noisy[1], 9);
    const all = await perturbSample(x, layout, s, 'dropout', 1, 3);
    assert.deepEqual(Array.from(all), [1, 2, 3, 4]);
    const none = await perturbSample(x, layout, s, 'dropout', 0, 3);
    assert.deepEqual(Array.from(none), [9, 9, 9, 9]);
  });

  it('changes brightness and contrast of images in the value range', async () => {
    const bright = await perturbSample(gradient, image, stats, 'brightness', 0.2, 0);
    assert.ok(Math.abs(mean(bright) - Math.min(1, mean(gradient) + 0.2)) < 0.05);
    assert.ok(bright.every((v) => v <= 1));
    const flat = await perturbSample(gradient, image, stats, 'contrast', 1, 0);
    assert.ok(std(flat) < 1e-6, 'contrast factor 0 leaves each channel flat');
    const half = await perturbSample(gradient, image, stats, 'contrast', 0.5, 0);
    assert.ok(Math.abs(std(half) - std(gradient) / 2) < 1e-6);
  });

  it('blurs with a normalised Gaussian (a constant image stays constant, an edge spreads)', () => {
    const constant = new Float32Array(n).fill(0.3);
    assert.ok(gaussianBlur(constant, image as never, 2).every((v) => Math.abs(v - 0.3) < 1e-6));
    const edge = Float32Array.from({ length: n }, (_, i) => (i % 16 < 8 ? 0 : 1));
    const blurred = gaussianBlur(edge, image as never, 1);
    assert.ok(blurred[7] > 0.1 && blurred[8] < 0.9);
    assert.ok(Math.abs(mean(blurred) - mean(edge)) < 1e-6);
  });

  it('shifts and rotates about the centre, filling with the range\'s low end', () => {
    const dot = new Float32Array(n);
    dot[(0 * 16 + 5) * 16 + 5] = 1;
    const moved = affine(dot, image as never, 2, 3, 0, stats);
    assert.equal(moved[(0 * 16 + 8) * 16 + 7], 1);
    const ones = new Float32Array(n).fill(1);
    const shifted = affine(ones, image as never, 4, 0, 0, stats);
    assert.equal(shifted[0], 0);
    assert.equal(shifted[15], 1);
    const turned = affine(gradient, image as never, 0, 0, 90, stats);
    // A left-to-right gradient turned 90° clockwise runs top to bottom.
    assert.ok(turned[0 * 16 + 8] < turned[15 * 16 + 8]);
  });

  it('round-trips JPEG through sharp: quality 100 is nearly lossless, lower qualities lose more', async () => {
    const grey = sampleLayout([1, 16, 16]);
    const g = { ...stats, mean: stats.mean.subarray(0, 256), std: stats.std.subarray(0, 256) };
    const smooth = Float32Array.from({ length: 256 }, (_, i) => 0.5 + 0.3 * Math.sin(i / 9) * Math.cos((i % 16) / 3));
    const err = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);
    const q100 = await perturbSample(smooth, grey, g, 'jpeg', 100, 0);
    const q5 = await perturbSample(smooth, grey, g, 'jpeg', 5, 0);
    assert.ok(err(q100, smooth) < 0.01, `q100 error ${err(q100, smooth)}`);
    assert.ok(err(q5, smooth) > 3 * err(q100, smooth), `q5 error ${err(q5, smooth)}`);
    // RGB goes through chroma subsampling too: still worse at lower quality, and inside the range.
    const rgb = await perturbSample(gradient, image, stats, 'noise', 0.1, 4);
    const [r90, r10] = [await perturbSample(rgb, image, stats, 'jpeg', 90, 0), await perturbSample(rgb, image, stats, 'jpeg', 10, 0)];
    assert.ok(err(r10, rgb) > err(r90, rgb));
    assert.ok(r10.every((v) => v >= 0 && v <= 1));
  });
});
