import * as assert from 'node:assert/strict';
import { colourRamp, finiteRange, gridLayout, imagePixels, paintValues, pixelMapping } from '../../../webview/ui/tensor/heatmap';
import { featureMap, imageLayout, isAttentionCandidate, multiIndex, rowsSumToOne, tableRowLength } from '../../../webview/ui/tensor/shapes';

describe('run view: reading tensor shapes', () => {
  it('recognises image-like outputs in NCHW and NHWC, colour and grey', () => {
    assert.deepEqual(imageLayout([1, 3, 64, 48]), { layout: 'NCHW', channels: 3, height: 64, width: 48 });
    assert.deepEqual(imageLayout([1, 32, 32, 3]), { layout: 'NHWC', channels: 3, height: 32, width: 32 });
    assert.deepEqual(imageLayout([1, 1, 28, 28]), { layout: 'NCHW', channels: 1, height: 28, width: 28 });
    assert.deepEqual(imageLayout([1, 28, 28, 1]), { layout: 'NHWC', channels: 1, height: 28, width: 28 });
  });

  it('does not read classifier scores, feature maps or batches as images', () => {
    assert.equal(imageLayout([1, 1000]), null);
    assert.equal(imageLayout([1, 1000, 1, 1]), null);
    assert.equal(imageLayout([1, 64, 56, 56]), null);
    assert.equal(imageLayout([4, 3, 32, 32]), null);
    assert.equal(imageLayout([1, 3, 2, 2]), null);
  });

  it('finds feature maps with a spatial extent', () => {
    assert.deepEqual(featureMap([1, 64, 112, 112]), { channels: 64, height: 112, width: 112 });
    assert.equal(featureMap([1, 1000, 1, 1]), null);
    assert.equal(featureMap([1, 64]), null);
  });

  it('takes a 4-D Softmax output for attention, and confirms it by rows that sum to 1', () => {
    assert.equal(isAttentionCandidate([1, 4, 16, 16], 'Softmax'), true);
    assert.equal(isAttentionCandidate([1, 4, 16, 16], 'com.microsoft:Softmax'), true);
    assert.equal(isAttentionCandidate([1, 4, 16, 16], 'Relu'), false);
    assert.equal(isAttentionCandidate([1, 16], 'Softmax'), false);
    assert.equal(isAttentionCandidate([1, 4, 16, 16], null), false);
    assert.equal(rowsSumToOne([0.25, 0.75, 0.5, 0.5], 2), true);
    // A softmax over axis 1 (heads) leaves rows that do not sum to 1.
    assert.equal(rowsSumToOne([0.1, 0.1, 0.9, 0.9], 2), false);
    assert.equal(rowsSumToOne([], 2), false);
  });

  it('turns flat positions into multi-indices and picks a table row length', () => {
    assert.deepEqual(multiIndex(5, [2, 3]), [1, 2]);
    assert.deepEqual(multiIndex(0, []), []);
    assert.deepEqual(multiIndex(63, [1, 64]), [0, 63]);
    assert.equal(tableRowLength([1, 10]), 10);
    assert.equal(tableRowLength([1, 64]), 8);
    assert.equal(tableRowLength([]), 1);
  });
});

describe('run view: heatmaps', () => {
  it('lays out 64 channels in a grid that fits the width, keeping the map aspect', () => {
    const g = gridLayout(64, 56, 56, 560);
    assert.equal(g.columns * g.rows >= 64, true);
    assert.ok(g.width <= 560, `grid width ${g.width}`);
    assert.equal(g.tileWidth, g.tileHeight);
    const wide = gridLayout(8, 10, 20, 400);
    assert.equal(wide.tileHeight, Math.round(wide.tileWidth / 2));
  });

  it('never blows a tiny map up past 8× (blocky, not a blur), and keeps one column in a narrow panel', () => {
    assert.equal(gridLayout(1, 7, 7, 800).tileWidth, 56);
    const narrow = gridLayout(64, 56, 56, 20);
    assert.equal(narrow.columns, 1);
  });

  it('normalises each tile to its own finite range and colours through the ramp', () => {
    const data = [0, 5, 10, 100, 200, NaN];
    assert.deepEqual(finiteRange(data, 0, 3), { min: 0, max: 10 });
    assert.deepEqual(finiteRange(data, 3, 3), { min: 100, max: 200 });
    assert.deepEqual(finiteRange([NaN, Infinity]), { min: 0, max: 0 });
    const lut = colourRamp([{ r: 0, g: 0, b: 0 }, { r: 255, g: 255, b: 255 }]);
    const out = new Uint8ClampedArray(12);
    paintValues(data, 3, 3, { min: 100, max: 200 }, lut, out);
    assert.deepEqual(Array.from(out), [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    // A constant tile takes the low end of the ramp.
    paintValues([3, 3], 0, 2, { min: 3, max: 3 }, lut, out);
    assert.deepEqual(Array.from(out.subarray(0, 8)), [0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('builds a three-stop ramp through the middle colour', () => {
    const lut = colourRamp([{ r: 0, g: 0, b: 0 }, { r: 0, g: 0, b: 200 }, { r: 255, g: 255, b: 255 }]);
    assert.deepEqual(Array.from(lut.subarray(0, 3)), [0, 0, 0]);
    assert.deepEqual(Array.from(lut.subarray(255 * 3)), [255, 255, 255]);
    assert.ok(Math.abs(lut[128 * 3 + 2] - 200) <= 2);
  });

  it('maps image outputs to pixels by their range', () => {
    assert.equal(pixelMapping({ min: 0, max: 1 }).scale, 255);
    assert.equal(pixelMapping({ min: 0, max: 200 }).scale, 1);
    assert.deepEqual(pixelMapping({ min: -1, max: 1 }), { scale: 127.5, offset: 127.5, note: 'stretched from min–max' });
    // 1×2 NCHW RGB, values 0–1: red pixel then white pixel.
    const { rgba } = imagePixels([1, 1, 0, 1, 0, 1], 'NCHW', 3, 1, 2);
    assert.deepEqual(Array.from(rgba), [255, 0, 0, 255, 255, 255, 255, 255]);
    const grey = imagePixels([0, 255], 'NHWC', 1, 1, 2).rgba;
    assert.deepEqual(Array.from(grey), [0, 0, 0, 255, 255, 255, 255, 255]);
  });
});
