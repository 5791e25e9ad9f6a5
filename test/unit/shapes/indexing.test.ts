import { strict as assert } from 'node:assert';
import { F, I64, ints, single } from './helpers';

const INT64_MAX = 9223372036854775807;

describe('indexing ops', () => {
  it('slices with attributes before opset 10', () => {
    const r = single('Slice', { x: [F, [20, 10, 5]] }, ['y'], { starts: [0, 2], ends: [3, -1], axes: [0, 1] }, 9);
    assert.deepEqual(r.shape('y'), [3, 7, 5]);
  });

  it('slices with inputs from opset 10, clamping out-of-range bounds and honouring steps', () => {
    const r = single('Slice', { x: [F, [20, 10, 5]], s: ints('s', [1, 0]), e: ints('e', [1000, 10]), a: ints('a', [0, 1]), st: ints('st', [2, 3]) }, ['y'], {}, 13);
    // axis 0: 1..19 step 2 → 10; axis 1: 0..9 step 3 → 4
    assert.deepEqual(r.shape('y'), [10, 4, 5]);
  });

  it('slices backwards with a negative step', () => {
    const r = single('Slice', { x: [F, [10]], s: ints('s', [-1]), e: ints('e', [-INT64_MAX]), a: ints('a', [0]), st: ints('st', [-1]) }, ['y'], {}, 13);
    assert.deepEqual(r.shape('y'), [10]);
    const r2 = single('Slice', { x: [F, [10]], s: ints('s', [8]), e: ints('e', [1]), a: ints('a', [0]), st: ints('st', [-3]) }, ['y'], {}, 13);
    assert.deepEqual(r2.shape('y'), [3]);
  });

  it('keeps a symbolic dim sliced to the end and leaves other symbolic slices unknown', () => {
    const toEnd = single('Slice', { x: [F, ['b', 'seq', 8]], s: ints('s', [1]), e: ints('e', [INT64_MAX]), a: ints('a', [1]) }, ['y'], {}, 13);
    assert.deepEqual(toEnd.shape('y'), ['b', 'seq-1', 8]);
    const head = single('Slice', { x: [F, ['b', 'seq', 8]], s: ints('s', [0]), e: ints('e', [4]), a: ints('a', [1]) }, ['y'], {}, 13);
    assert.deepEqual(head.shape('y'), ['b', null, 8]);
  });

  it('marks only the sliced axes unknown when bounds are computed at run time', () => {
    const r = single('Slice', { x: [F, [4, 5, 6]], s: [I64, [1]], e: [I64, [1]], a: ints('a', [2]) }, ['y'], {}, 13);
    assert.deepEqual(r.shape('y'), [4, 5, null]);
  });

  it('gathers: data[:axis] + indices + data[axis+1:]', () => {
    assert.deepEqual(single('Gather', { d: [F, [30522, 768]], i: [I64, ['b', 'seq']] }, ['y']).shape('y'), ['b', 'seq', 768]);
    assert.deepEqual(single('Gather', { d: [F, [2, 3, 4]], i: [I64, []] }, ['y'], { axis: 1 }).shape('y'), [2, 4]);
  });

  it('gives GatherElements the indices shape and GatherND indices[:-1] + data[b+k:]', () => {
    assert.deepEqual(single('GatherElements', { d: [F, [3, 4]], i: [I64, [3, 2]] }, ['y'], { axis: 1 }).shape('y'), [3, 2]);
    assert.deepEqual(single('GatherND', { d: [F, [2, 3, 4]], i: [I64, [5, 2]] }, ['y']).shape('y'), [5, 4]);
    assert.deepEqual(single('GatherND', { d: [F, [2, 3, 4]], i: [I64, [2, 1]] }, ['y'], { batch_dims: 1 }).shape('y'), [2, 4]);
  });

  it('keeps the data shape in scatters', () => {
    for (const op of ['ScatterND', 'ScatterElements']) {
      assert.deepEqual(single(op, { d: [F, [4, 5]], i: [I64, [2, 1]], u: [F, [2, 5]] }, ['y']).shape('y'), [4, 5], op);
    }
  });

  it('reads TopK k from the attribute before opset 10 and from the input after', () => {
    const a = single('TopK', { x: [F, ['b', 1000]] }, ['v', 'i'], { k: 5 }, 1);
    assert.deepEqual([a.t('v'), a.t('i')], [[F, ['b', 5]], [I64, ['b', 5]]]);
    const b = single('TopK', { x: [F, [8, 1000]], k: ints('k', [3]) }, ['v', 'i'], { axis: 0 }, 11);
    assert.deepEqual(b.shape('v'), [3, 1000]);
  });

  it('leaves data-dependent sizes unknown: NonZero, NonMaxSuppression, Compress', () => {
    assert.deepEqual(single('NonZero', { x: [F, [3, 4, 5]] }, ['y']).t('y'), [I64, [3, null]]);
    assert.deepEqual(single('NonMaxSuppression', { b: [F, [1, 100, 4]], s: [F, [1, 1, 100]] }, ['y']).t('y'), [I64, [null, 3]]);
    assert.deepEqual(single('Compress', { x: [F, [3, 4]], c: [9, [3]] }, ['y'], { axis: 0 }).shape('y'), [null, 4]);
  });
});
