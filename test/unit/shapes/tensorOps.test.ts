import { strict as assert } from 'node:assert';
import { F, I64, STR, floats, infer, ints, node, single, tensor } from './helpers';

describe('shape-manipulating ops', () => {
  it('infers Reshape with 0 and -1 against a symbolic batch', () => {
    const r = single('Reshape', { x: [F, ['batch', 3, 4, 4]], s: ints('s', [0, -1]) }, ['y']);
    assert.deepEqual(r.shape('y'), ['batch', 48]);
    const r2 = single('Reshape', { x: [F, ['batch', 3, 4, 4]], s: ints('s', [-1, 12]) }, ['y']);
    assert.deepEqual(r2.shape('y'), ['batch*4', 12]);
  });

  it('reads Reshape shape from the attribute before opset 5', () => {
    assert.deepEqual(single('Reshape', { x: [F, [2, 6]] }, ['y'], { shape: [3, -1] }, 4).shape('y'), [3, 4]);
  });

  it('treats 0 literally in Reshape when allowzero is set', () => {
    assert.deepEqual(single('Reshape', { x: [F, [0, 4]], s: ints('s', [0, 2, 2]) }, ['y'], { allowzero: 1 }, 14).shape('y'), [0, 2, 2]);
  });

  it('knows the rank but not the sizes when the Reshape target is computed at run time', () => {
    const r = single('Reshape', { x: [F, [2, 6]], s: [I64, [3]] }, ['y']);
    assert.deepEqual(r.shape('y'), [null, null, null]);
  });

  it('infers Flatten at positive, zero and negative axes', () => {
    assert.deepEqual(single('Flatten', { x: [F, ['b', 3, 4, 4]] }, ['y']).shape('y'), ['b', 48]);
    assert.deepEqual(single('Flatten', { x: [F, ['b', 3, 4, 4]] }, ['y'], { axis: 0 }).shape('y'), [1, 'b*48']);
    assert.deepEqual(single('Flatten', { x: [F, [2, 3, 4, 5]] }, ['y'], { axis: -1 }).shape('y'), [24, 5]);
  });

  it('infers Transpose with perm and with the default reversal', () => {
    assert.deepEqual(single('Transpose', { x: [F, ['b', 3, 224, 224]] }, ['y'], { perm: [0, 2, 3, 1] }).shape('y'), ['b', 224, 224, 3]);
    assert.deepEqual(single('Transpose', { x: [F, [2, 3, 4]] }, ['y']).shape('y'), [4, 3, 2]);
  });

  it('adds Concat sizes along the axis, symbolic ones included', () => {
    assert.deepEqual(single('Concat', { a: [F, ['b', 3, 8]], c: [F, ['b', 5, 8]] }, ['y'], { axis: 1 }).shape('y'), ['b', 8, 8]);
    assert.deepEqual(single('Concat', { a: [F, ['past', 64]], c: [F, ['seq', 64]] }, ['y'], { axis: -2 }).shape('y'), ['past+seq', 64]);
  });

  it('splits into unequal parts from the split attribute (opset 11) and input (opset 13)', () => {
    const a = single('Split', { x: [F, [4, 10]] }, ['p', 'q', 'r'], { axis: 1, split: [2, 3, 5] }, 11);
    assert.deepEqual([a.shape('p'), a.shape('q'), a.shape('r')], [[4, 2], [4, 3], [4, 5]]);
    const b = single('Split', { x: [F, [4, 10]], s: ints('s', [7, 3]) }, ['p', 'q'], { axis: 1 }, 13);
    assert.deepEqual([b.shape('p'), b.shape('q')], [[4, 7], [4, 3]]);
  });

  it('splits evenly without sizes, and with num_outputs gives the last part the remainder', () => {
    const even = single('Split', { x: [F, ['b', 12]] }, ['p', 'q', 'r'], { axis: -1 }, 13);
    assert.deepEqual(even.shape('r'), ['b', 4]);
    const uneven = single('Split', { x: [F, [10]] }, ['p', 'q', 'r'], { num_outputs: 3 }, 18);
    assert.deepEqual([uneven.shape('p'), uneven.shape('q'), uneven.shape('r')], [[4], [4], [2]]);
  });

  it('squeezes with axes as an attribute before opset 13 and as an input from 13', () => {
    assert.deepEqual(single('Squeeze', { x: [F, [1, 3, 1, 5]] }, ['y'], { axes: [0, 2] }, 11).shape('y'), [3, 5]);
    assert.deepEqual(single('Squeeze', { x: [F, [1, 3, 1, 5]], a: ints('a', [-2]) }, ['y'], {}, 13).shape('y'), [1, 3, 5]);
    assert.deepEqual(single('Squeeze', { x: [F, [1, 3, 1, 5]] }, ['y'], {}, 13).shape('y'), [3, 5]);
    // Without axes a symbolic dim might be 1, so the rank is not knowable.
    assert.equal(single('Squeeze', { x: [F, [1, 'n']] }, ['y'], {}, 13).shape('y'), null);
  });

  it('unsqueezes with attribute or input axes, negative ones counted in the output rank', () => {
    assert.deepEqual(single('Unsqueeze', { x: [F, [3, 4]] }, ['y'], { axes: [0, 3] }, 11).shape('y'), [1, 3, 4, 1]);
    assert.deepEqual(single('Unsqueeze', { x: [F, [3, 4]], a: ints('a', [-1]) }, ['y'], {}, 13).shape('y'), [3, 4, 1]);
    assert.deepEqual(single('Unsqueeze', { x: [F, []], a: ints('a', [0]) }, ['y'], {}, 13).shape('y'), [1]);
  });

  it('gives Shape its start/end slice and Size a scalar, both folded', () => {
    const r = single('Shape', { x: [F, ['b', 3, 7]] }, ['s'], { start: 1 }, 15);
    assert.deepEqual(r.t('s'), [I64, [2]]);
    assert.deepEqual(r.value('s'), [3, 7]);
    const sz = single('Size', { x: [F, [2, 3, 7]] }, ['n']);
    assert.deepEqual(sz.t('n'), [I64, []]);
    assert.deepEqual(sz.value('n'), [42]);
  });

  it('types Constant from each value_* attribute', () => {
    const cases: [Record<string, unknown>, [number, (number | null)[]]][] = [
      [{ value: { tensor: tensor('t', F, [2, 3]) } }, [F, [2, 3]]],
      [{ value_float: { float: 0.5 } }, [F, []]],
      [{ value_floats: { floats: [1.5, 2] } }, [F, [2]]],
      [{ value_int: 3 }, [I64, []]],
      [{ value_ints: [1, 2, 3] }, [I64, [3]]],
      [{ value_string: 'a' }, [STR, []]],
      [{ value_strings: ['a', 'b'] }, [STR, [2]]],
    ];
    for (const [attrs, expected] of cases) {
      const r = infer({ nodes: [node('Constant', [], ['c'], attrs as never)], outputs: ['c'] });
      assert.deepEqual(r.t('c'), expected, JSON.stringify(attrs));
    }
    const v = infer({ nodes: [node('Constant', [], ['c'], { value_ints: [4, 5] })], outputs: ['c'] });
    assert.deepEqual(v.value('c'), [4, 5]);
  });

  it('makes ConstantOfShape from a folded shape with the value tensor type', () => {
    const r = single('ConstantOfShape', { s: ints('s', [2, 3]) }, ['y'], { value: { tensor: tensor('v', I64, [1], [7]) } });
    assert.deepEqual(r.t('y'), [I64, [2, 3]]);
    assert.deepEqual(r.value('y'), [7, 7, 7, 7, 7, 7]);
    assert.deepEqual(single('ConstantOfShape', { s: ints('s', [4]) }, ['y']).t('y'), [F, [4]]);
  });

  it('broadcasts Expand against its target, keeping larger input dims', () => {
    assert.deepEqual(single('Expand', { x: [F, [3, 1]], s: ints('s', [2, 1, 6]) }, ['y']).shape('y'), [2, 3, 6]);
    assert.deepEqual(single('Expand', { x: [F, ['b', 1, 4]], s: ints('s', [1, 5, 1]) }, ['y']).shape('y'), ['b', 5, 4]);
  });

  it('multiplies dims by Tile repeats', () => {
    assert.deepEqual(single('Tile', { x: [F, ['b', 3]], r: ints('r', [2, 4]) }, ['y']).shape('y'), ['b*2', 12]);
  });

  it('computes Range length and folds small ranges', () => {
    const r = single('Range', { s: ints('s', [1], true), l: ints('l', [10], true), d: ints('d', [3], true) }, ['y']);
    assert.deepEqual(r.t('y'), [I64, [3]]);
    assert.deepEqual(r.value('y'), [1, 4, 7]);
    const f = single('Range', { s: tensor('s', F, [], [0]), l: tensor('l', F, [], [1]), d: tensor('d', F, [], [0.25]) }, ['y']);
    assert.deepEqual(f.shape('y'), [4]);
    assert.deepEqual(single('Range', { s: ints('s', [5], true), l: ints('l', [0], true), d: ints('d', [1], true) }, ['y']).shape('y'), [0]);
  });

  it('inserts the depth dim in OneHot and keeps the shape in EyeLike', () => {
    const r = single('OneHot', { i: [I64, ['b', 7]], d: ints('d', [10], true), v: floats('v', [0, 1]) }, ['y'], { axis: -1 });
    assert.deepEqual(r.t('y'), [F, ['b', 7, 10]]);
    assert.deepEqual(single('OneHot', { i: [I64, [5]], d: ints('d', [3]), v: floats('v', [0, 1]) }, ['y'], { axis: 0 }).shape('y'), [3, 5]);
    assert.deepEqual(single('EyeLike', { x: [F, [3, 4]] }, ['y'], { dtype: I64 }).t('y'), [I64, [3, 4]]);
  });
});
