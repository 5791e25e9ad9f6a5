import { strict as assert } from 'node:assert';
import { F, I64, ints, single } from './helpers';

describe('reductions', () => {
  it('reduces with attribute axes before opset 18, keeping dims by default', () => {
    assert.deepEqual(single('ReduceMean', { x: [F, ['b', 'seq', 768]] }, ['y'], { axes: [-1] }, 13).shape('y'), ['b', 'seq', 1]);
    assert.deepEqual(single('ReduceMax', { x: [F, [2, 3, 4]] }, ['y'], { axes: [0, 2], keepdims: 0 }, 13).shape('y'), [3]);
  });

  it('reads axes from the input at opset 18 (and at 13 for ReduceSum)', () => {
    assert.deepEqual(single('ReduceMean', { x: [F, [2, 3, 4]], a: ints('a', [1]) }, ['y'], { keepdims: 0 }, 18).shape('y'), [2, 4]);
    assert.deepEqual(single('ReduceSum', { x: [F, [2, 3, 4]], a: ints('a', [1]) }, ['y'], {}, 13).shape('y'), [2, 1, 4]);
    // ReduceSum-11 still took an attribute.
    assert.deepEqual(single('ReduceSum', { x: [F, [2, 3, 4]] }, ['y'], { axes: [2] }, 11).shape('y'), [2, 3, 1]);
  });

  it('reduces everything without axes, unless noop_with_empty_axes says not to', () => {
    for (const op of ['ReduceMean', 'ReduceSum', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare', 'ReduceLogSum']) {
      assert.deepEqual(single(op, { x: [F, [2, 3]] }, ['y'], { keepdims: 0 }, 18).shape('y'), [], op);
      assert.deepEqual(single(op, { x: [F, [2, 3]] }, ['y'], {}, 18).shape('y'), [1, 1], op);
    }
    assert.deepEqual(single('ReduceSum', { x: [F, [2, 3]] }, ['y'], { noop_with_empty_axes: 1 }, 13).shape('y'), [2, 3]);
  });

  it('keeps the rank but not the sizes when axes are computed at run time with keepdims', () => {
    assert.deepEqual(single('ReduceSum', { x: [F, [2, 3]], a: [I64, [1]] }, ['y'], {}, 13).shape('y'), [null, null]);
    assert.equal(single('ReduceSum', { x: [F, [2, 3]], a: [I64, [1]] }, ['y'], { keepdims: 0 }, 13).shape('y'), null);
  });

  it('gives ArgMax/ArgMin int64 outputs', () => {
    assert.deepEqual(single('ArgMax', { x: [F, ['b', 10]] }, ['y'], { axis: 1, keepdims: 0 }).t('y'), [I64, ['b']]);
    assert.deepEqual(single('ArgMin', { x: [F, ['b', 10]] }, ['y']).t('y'), [I64, [1, 10]]);
  });
});
