import { strict as assert } from 'node:assert';
import { F, floats, ints, single } from './helpers';

describe('padding, resizing and block ops', () => {
  it('pads from the attribute before opset 11 and from the input after, negative pads cropping', () => {
    assert.deepEqual(single('Pad', { x: [F, [1, 3, 10, 10]] }, ['y'], { pads: [0, 0, 1, 2, 0, 0, 3, 4] }, 2).shape('y'), [1, 3, 14, 16]);
    assert.deepEqual(single('Pad', { x: [F, ['b', 3, 10]], p: ints('p', [0, 0, -2, 0, 0, 1]) }, ['y'], {}, 11).shape('y'), ['b', 3, 9]);
    assert.deepEqual(single('Pad', { x: [F, ['b', 'n']], p: ints('p', [0, 1, 0, 1]) }, ['y'], {}, 13).shape('y'), ['b', 'n+2']);
  });

  it('pads only the listed axes with the opset 18 axes input', () => {
    const r = single('Pad', { x: [F, [2, 5, 5]], p: ints('p', [1, 1, 1, 1]), v: '', a: ints('a', [1, 2]) }, ['y'], {}, 18);
    assert.deepEqual(r.shape('y'), [2, 7, 7]);
  });

  it('resizes by scales or by sizes', () => {
    const byScales = single('Resize', { x: [F, ['b', 3, 16, 20]], roi: '', s: floats('s', [1, 1, 2, 1.5]) }, ['y'], {}, 13);
    assert.deepEqual(byScales.shape('y'), ['b', 3, 32, 30]);
    const bySizes = single('Resize', { x: [F, [1, 3, 16, 20]], roi: '', s: '', z: ints('z', [1, 3, 64, 64]) }, ['y'], {}, 13);
    assert.deepEqual(bySizes.shape('y'), [1, 3, 64, 64]);
    const v10 = single('Resize', { x: [F, [1, 3, 5, 5]], s: floats('s', [1, 1, 2, 2]) }, ['y'], {}, 10);
    assert.deepEqual(v10.shape('y'), [1, 3, 10, 10]);
  });

  it('resizes with an empty scales tensor and sizes given (exporter style)', () => {
    const r = single('Resize', { x: [F, [1, 3, 16, 20]], roi: floats('roi', []), s: floats('s', []), z: ints('z', [1, 3, 8, 8]) }, ['y'], {}, 13);
    assert.deepEqual(r.shape('y'), [1, 3, 8, 8]);
  });

  it('upsamples from the scales attribute (opset 7) or input (opset 9)', () => {
    assert.deepEqual(single('Upsample', { x: [F, [1, 2, 4, 4]] }, ['y'], { scales: { floats: [1, 1, 2, 2] } }, 7).shape('y'), [1, 2, 8, 8]);
    assert.deepEqual(single('Upsample', { x: [F, [1, 2, 4, 4]], s: floats('s', [1, 1, 3, 3]) }, ['y'], {}, 9).shape('y'), [1, 2, 12, 12]);
  });

  it('moves channels into space and back', () => {
    assert.deepEqual(single('DepthToSpace', { x: [F, ['b', 16, 5, 6]] }, ['y'], { blocksize: 2 }).shape('y'), ['b', 4, 10, 12]);
    assert.deepEqual(single('SpaceToDepth', { x: [F, [1, 3, 8, 6]] }, ['y'], { blocksize: 2 }).shape('y'), [1, 12, 4, 3]);
  });
});

describe('sampling ops', () => {
  it('takes GridSample output size from the grid', () => {
    assert.deepEqual(single('GridSample', { x: [F, ['n', 3, 32, 32]], g: [F, ['n', 7, 9, 2]] }, ['y'], {}, 16).shape('y'), ['n', 3, 7, 9]);
  });

  it('folds Col2Im columns back into the image shape (opset 18)', () => {
    const r = single('Col2Im', { x: [F, [1, 12, 25]], i: ints('i', [5, 5]), b: ints('b', [2, 2]) }, ['y'], {}, 18);
    assert.deepEqual(r.shape('y'), [1, 3, 5, 5]);
  });
});
