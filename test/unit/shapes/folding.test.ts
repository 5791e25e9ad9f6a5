import { strict as assert } from 'node:assert';
import { BOOL, F, I64, floats, infer, ints, node, tensor } from './helpers';

describe('constant folding of shape subgraphs', () => {
  it('folds Shape → Gather → Unsqueeze → Concat → Reshape with a symbolic batch', () => {
    const r = infer({
      inputs: { x: [F, ['batch', 3, 4, 4]] },
      initializers: [ints('zero', [0], true), ints('axes', [0]), ints('minus1', [-1])],
      nodes: [
        node('Shape', ['x'], ['shape']),
        node('Gather', ['shape', 'zero'], ['batch'], { axis: 0 }),
        node('Unsqueeze', ['batch', 'axes'], ['batch1']),
        node('Concat', ['batch1', 'minus1'], ['target'], { axis: 0 }),
        node('Reshape', ['x', 'target'], ['y']),
      ],
      outputs: ['y'],
    }, 13);
    assert.deepEqual(r.t('shape'), [I64, [4]]);
    assert.deepEqual(r.t('batch'), [I64, []]);
    assert.deepEqual(r.t('target'), [I64, [2]]);
    assert.deepEqual(r.t('y'), [F, ['batch', 48]]);
    assert.deepEqual(r.warnings, []);
    // Symbolic elements are not exported as plain constants.
    assert.equal(r.consts.has('target'), false);
  });

  it('folds a fully static shape vector into an exported constant', () => {
    const r = infer({
      inputs: { x: [F, [2, 3, 4]] },
      initializers: [ints('one', [1], true), ints('end', [3])],
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Slice', ['s', 'one', 'end'], ['tail']),
        node('ReduceProd', ['tail'], ['n'], { keepdims: 1 }),
        node('Gather', ['s', 'one'], ['c']),
        node('Mul', ['c', 'one'], ['c2']),
      ],
      outputs: ['n', 'c2'],
    }, 13);
    assert.deepEqual(r.value('tail'), [3, 4]);
    assert.deepEqual(r.value('n'), [12]);
    assert.deepEqual(r.value('c2'), [3]);
  });

  it('folds arithmetic on symbolic sizes (head splitting: Div by num_heads)', () => {
    const r = infer({
      inputs: { x: [F, ['b', 'seq', 768]] },
      initializers: [ints('i0', [0], true), ints('i1', [1], true), ints('i2', [2], true), ints('heads', [12], true), ints('ax', [0])],
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'i0'], ['b']),
        node('Gather', ['s', 'i1'], ['n']),
        node('Gather', ['s', 'i2'], ['h']),
        node('Div', ['h', 'heads'], ['hd']),
        node('Unsqueeze', ['b', 'ax'], ['b1']),
        node('Unsqueeze', ['n', 'ax'], ['n1']),
        node('Unsqueeze', ['heads', 'ax'], ['h1']),
        node('Unsqueeze', ['hd', 'ax'], ['hd1']),
        node('Concat', ['b1', 'n1', 'h1', 'hd1'], ['target'], { axis: 0 }),
        node('Reshape', ['x', 'target'], ['y']),
        node('Transpose', ['y'], ['yt'], { perm: [0, 2, 1, 3] }),
      ],
      outputs: ['yt'],
    }, 13);
    assert.deepEqual(r.shape('yt'), ['b', 12, 'seq', 64]);
  });

  it('folds ConstantOfShape with its fill value into an Expand target', () => {
    const r = infer({
      inputs: { x: [F, [3, 1]] },
      initializers: [ints('len', [2])],
      nodes: [
        node('ConstantOfShape', ['len'], ['ones'], { value: { tensor: tensor('v', I64, [1], [1]) } }),
        node('Expand', ['x', 'ones'], ['y']),
      ],
      outputs: ['y'],
    }, 13);
    assert.deepEqual(r.value('ones'), [1, 1]);
    assert.deepEqual(r.t('y'), [F, [3, 1]]);
  });

  it('folds Equal to a bool vector', () => {
    const r = infer({
      initializers: [ints('target', [4, -1]), ints('minus1', [-1], true)],
      nodes: [node('Equal', ['target', 'minus1'], ['isneg'])],
      outputs: ['isneg'],
    }, 13);
    assert.deepEqual(r.t('isneg'), [BOOL, [2]]);
    assert.deepEqual(r.value('isneg'), [0, 1]);
  });

  it('folds Where and Cast when every input is known', () => {
    const r = infer({
      inputs: { x: [F, [1, 'n']] },
      initializers: [ints('target', [4, -1]), ints('minus1', [-1], true), ints('ones', [1, 1])],
      nodes: [
        node('Equal', ['target', 'minus1'], ['isneg']),
        node('Where', ['isneg', 'ones', 'target'], ['fixed']),
        node('Cast', ['fixed'], ['fixedf'], { to: F }),
        node('Cast', ['fixedf'], ['fixed64'], { to: I64 }),
        node('Expand', ['x', 'fixed64'], ['y']),
      ],
      outputs: ['y'],
    }, 13);
    assert.deepEqual(r.value('fixed64'), [4, 1]);
    assert.deepEqual(r.shape('y'), [4, 'n']);
  });

  it('folds Range over a symbolic sequence length into a symbolic size', () => {
    const r = infer({
      inputs: { x: [F, ['b', 'seq']] },
      initializers: [ints('zero', [0], true), ints('one', [1], true)],
      nodes: [node('Shape', ['x'], ['s']), node('Gather', ['s', 'one'], ['n']), node('Range', ['zero', 'n', 'one'], ['pos'])],
      outputs: ['pos'],
    }, 13);
    assert.deepEqual(r.t('pos'), [I64, ['seq']]);
  });

  it('folds Resize sizes computed from Shape * scale through float casts', () => {
    const r = infer({
      inputs: { x: [F, [1, 8, 'h', 10]] },
      initializers: [floats('scale', [2]), ints('idx', [2, 3]), ints('nc', [1, 8])],
      nodes: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'idx'], ['hw']),
        node('Cast', ['hw'], ['hwf'], { to: F }),
        node('Mul', ['hwf', 'scale'], ['hw2']),
        node('Floor', ['hw2'], ['hw2f']),
        node('Cast', ['hw2f'], ['hw2i'], { to: I64 }),
        node('Concat', ['nc', 'hw2i'], ['sizes'], { axis: 0 }),
        node('Resize', ['x', '', '', 'sizes'], ['y'], { mode: 'nearest' }),
      ],
      outputs: ['y'],
    }, 13);
    assert.deepEqual(r.shape('y'), [1, 8, 'h*2', 20]);
  });

  it('does not fold tensors larger than the limit and never allocates for huge ConstantOfShape', () => {
    const r = infer({
      initializers: [ints('s', [1e6, 1e6, 1e6])],
      nodes: [node('ConstantOfShape', ['s'], ['y'])],
      outputs: ['y'],
    });
    assert.deepEqual(r.shape('y'), [1e6, 1e6, 1e6]);
    assert.equal(r.consts.has('y'), false);
  });
});
