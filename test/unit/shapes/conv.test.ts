import { strict as assert } from 'node:assert';
import { F, I64, U8, single } from './helpers';

describe('convolution and pooling shape inference', () => {
  it('infers a strided, padded Conv and counts its MACs (ResNet stem)', () => {
    const r = single('Conv', { x: [F, [1, 3, 224, 224]], w: [F, [64, 3, 7, 7]] }, ['y'], { strides: [2, 2], pads: [3, 3, 3, 3] });
    // floor((224 + 6 - 7) / 2) + 1 = 112
    assert.deepEqual(r.t('y'), [F, [1, 64, 112, 112]]);
    // N * Cout * 112 * 112 * Cin * 7 * 7
    assert.equal(r.costs[0].macs, 64 * 112 * 112 * 3 * 7 * 7);
    assert.equal(r.costs[0].macs, 118013952);
    assert.equal(r.totalMacs, 118013952);
  });

  it('keeps a symbolic batch and leaves MACs unknown, but counts them with batch = 1', () => {
    const r = single('Conv', { x: [F, ['N', 3, 32, 32]], w: [F, [16, 3, 3, 3]] }, ['y'], { pads: [1, 1, 1, 1] });
    assert.deepEqual(r.t('y'), [F, ['N', 16, 32, 32]]);
    assert.equal(r.costs[0].macs, null);
    assert.equal(r.costs[0].macsBatch1, 16 * 32 * 32 * 3 * 9);
    assert.equal(r.totalMacs, null);
    assert.equal(r.totalMacsBatch1, 442368);
  });

  it('takes the kernel from W when kernel_shape is absent and honours dilations', () => {
    // effective kernel (3 - 1) * 2 + 1 = 5; 10 - 5 + 1 = 6
    const r = single('Conv', { x: [F, [1, 1, 10, 10]], w: [F, [4, 1, 3, 3]] }, ['y'], { dilations: [2, 2] });
    assert.deepEqual(r.shape('y'), [1, 4, 6, 6]);
  });

  it('handles auto_pad SAME_UPPER, SAME_LOWER and VALID', () => {
    const same = single('Conv', { x: [F, [1, 1, 15, 15]], w: [F, [2, 1, 3, 3]] }, ['y'], { auto_pad: 'SAME_UPPER', strides: [2, 2] });
    assert.deepEqual(same.shape('y'), [1, 2, 8, 8]);
    const lower = single('Conv', { x: [F, [1, 1, 15, 'W']], w: [F, [2, 1, 3, 3]] }, ['y'], { auto_pad: 'SAME_LOWER' });
    assert.deepEqual(lower.shape('y'), [1, 2, 15, 'W']);
    const valid = single('Conv', { x: [F, [1, 1, 15, 15]], w: [F, [2, 1, 3, 3]] }, ['y'], { auto_pad: 'VALID', strides: [2, 2] });
    assert.deepEqual(valid.shape('y'), [1, 2, 7, 7]);
  });

  it('derives readable symbolic spatial sizes at stride 1 and gives up at stride 2', () => {
    const r = single('Conv', { x: [F, [1, 1, 'H', 'W']], w: [F, [2, 1, 3, 3]] }, ['y']);
    assert.deepEqual(r.shape('y'), [1, 2, 'H-2', 'W-2']);
    const s2 = single('Conv', { x: [F, [1, 1, 'H', 8]], w: [F, [2, 1, 3, 3]] }, ['y'], { strides: [2, 2] });
    assert.deepEqual(s2.shape('y'), [1, 2, null, 3]);
  });

  it('counts grouped (depthwise) Conv MACs with Cin/group from W', () => {
    const r = single('Conv', { x: [F, [1, 32, 10, 10]], w: [F, [32, 1, 3, 3]] }, ['y'], { group: 32, pads: [1, 1, 1, 1] });
    assert.deepEqual(r.shape('y'), [1, 32, 10, 10]);
    assert.equal(r.costs[0].macs, 32 * 100 * 1 * 9);
  });

  it('infers 1-D and 3-D convolutions', () => {
    assert.deepEqual(single('Conv', { x: [F, [2, 4, 100]], w: [F, [8, 4, 5]] }, ['y'], { strides: [2] }).shape('y'), [2, 8, 48]);
    assert.deepEqual(single('Conv', { x: [F, [1, 2, 8, 8, 8]], w: [F, [4, 2, 3, 3, 3]] }, ['y']).shape('y'), [1, 4, 6, 6, 6]);
  });

  it('infers ConvTranspose with strides, pads and output_padding, and counts its MACs', () => {
    const r = single('ConvTranspose', { x: [F, [1, 16, 7, 7]], w: [F, [16, 8, 3, 3]] }, ['y'],
      { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] });
    // 2 * (7 - 1) + 1 + 3 - 2 = 14
    assert.deepEqual(r.t('y'), [F, [1, 8, 14, 14]]);
    // N * Cin * in_spatial * (Cout / group) * kernel
    assert.equal(r.costs[0].macs, 16 * 49 * 8 * 9);
  });

  it('infers ConvTranspose from output_shape, groups, and SAME auto_pad', () => {
    const explicit = single('ConvTranspose', { x: [F, [1, 16, 7, 7]], w: [F, [16, 4, 3, 3]] }, ['y'],
      { strides: [2, 2], output_shape: [15, 15], group: 2 });
    assert.deepEqual(explicit.shape('y'), [1, 8, 15, 15]);
    const same = single('ConvTranspose', { x: [F, [1, 16, 'h', 7]], w: [F, [16, 4, 3, 3]] }, ['y'], { strides: [2, 2], auto_pad: 'SAME_UPPER' });
    assert.deepEqual(same.shape('y'), [1, 4, 'h*2', 14]);
  });

  it('infers MaxPool with padding and its int64 Indices output', () => {
    const r = single('MaxPool', { x: [F, [1, 64, 112, 112]] }, ['y', 'i'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    // floor((112 + 2 - 3) / 2) + 1 = 56
    assert.deepEqual(r.t('y'), [F, [1, 64, 56, 56]]);
    assert.deepEqual(r.t('i'), [I64, [1, 64, 56, 56]]);
  });

  it('rounds up with MaxPool ceil_mode', () => {
    const floor = single('MaxPool', { x: [F, [1, 1, 6, 6]] }, ['y'], { kernel_shape: [3, 3], strides: [2, 2] });
    assert.deepEqual(floor.shape('y'), [1, 1, 2, 2]);
    const ceil = single('MaxPool', { x: [F, [1, 1, 6, 6]] }, ['y'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
    assert.deepEqual(ceil.shape('y'), [1, 1, 3, 3]);
  });

  it('infers AveragePool and LpPool, and leaves strided symbolic sizes unknown', () => {
    assert.deepEqual(single('AveragePool', { x: [F, ['b', 8, 'h', 9]] }, ['y'], { kernel_shape: [2, 2], strides: [2, 2] }).shape('y'), ['b', 8, null, 4]);
    assert.deepEqual(single('LpPool', { x: [F, [1, 8, 9, 9]] }, ['y'], { kernel_shape: [3, 3] }).shape('y'), [1, 8, 7, 7]);
  });

  it('reduces every spatial axis to 1 in global pooling', () => {
    assert.deepEqual(single('GlobalAveragePool', { x: [F, ['N', 2048, 7, 7]] }, ['y']).shape('y'), ['N', 2048, 1, 1]);
    assert.deepEqual(single('GlobalMaxPool', { x: [F, [1, 3, 4, 5, 6]] }, ['y']).shape('y'), [1, 3, 1, 1, 1]);
  });

  it('types QLinearConv by its output zero point and ConvInteger as int32, counting MACs like Conv', () => {
    const q = single('QLinearConv', {
      x: [U8, [1, 3, 8, 8]], xs: [F, []], xz: [U8, []], w: [U8, [4, 3, 3, 3]], ws: [F, []], wz: [U8, []], ys: [F, []], yz: [U8, []],
    }, ['y']);
    assert.deepEqual(q.t('y'), [U8, [1, 4, 6, 6]]);
    assert.equal(q.costs[0].macs, 4 * 36 * 3 * 9);
    const c = single('ConvInteger', { x: [U8, [1, 3, 8, 8]], w: [U8, [4, 3, 3, 3]] }, ['y']);
    assert.deepEqual(c.t('y'), [6, [1, 4, 6, 6]]);
    assert.equal(c.costs[0].macs, 4 * 36 * 3 * 9);
  });
});
