import { strict as assert } from 'node:assert';
import { BOOL, F, F16, I64, U8, floats, node, infer, single, tensor } from './helpers';

describe('elementwise shape inference', () => {
  it('passes unary ops through unchanged, symbolic dims included', () => {
    for (const op of ['Relu', 'Sigmoid', 'Tanh', 'Gelu', 'Erf', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'LeakyRelu', 'HardSigmoid',
      'HardSwish', 'Softplus', 'Elu', 'Selu', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Identity', 'Softmax', 'LogSoftmax']) {
      const r = single(op, { x: [F, ['batch', 3, 7]] }, ['y'], {}, 20);
      assert.deepEqual(r.t('y'), [F, ['batch', 3, 7]], op);
      assert.deepEqual(r.warnings, [], op);
    }
  });

  it('broadcasts binary ops like numpy', () => {
    assert.deepEqual(single('Add', { a: [F, [2, 1, 4]], b: [F, [3, 1]] }, ['y']).t('y'), [F, [2, 3, 4]]);
    assert.deepEqual(single('Mul', { a: [F, ['batch', 1, 768]], b: [F, [768]] }, ['y']).t('y'), [F, ['batch', 1, 768]]);
    assert.deepEqual(single('Sub', { a: [F, []], b: [F, [5, 6]] }, ['y']).t('y'), [F, [5, 6]]);
    assert.deepEqual(single('Div', { a: [F, ['n', 1]], b: [F, [1, 'm']] }, ['y']).t('y'), [F, ['n', 'm']]);
  });

  it('lets a fixed size beat a symbol and leaves two different symbols unknown', () => {
    assert.deepEqual(single('Add', { a: [F, ['n', 4]], b: [F, [3, 4]] }, ['y']).t('y'), [F, [3, 4]]);
    assert.deepEqual(single('Add', { a: [F, ['n']], b: [F, ['m']] }, ['y']).t('y'), [F, [null]]);
  });

  it('warns instead of throwing on incompatible broadcasts', () => {
    const r = single('Add', { a: [F, [2, 3]], b: [F, [4]] }, ['y']);
    assert.deepEqual(r.t('y'), [F, null]);
    assert.match(r.warnings.join('\n'), /cannot be broadcast/);
  });

  it('broadcasts variadic Sum/Mean/Max/Min over all inputs', () => {
    const r = single('Sum', { a: [F, [1, 3]], b: [F, [2, 1]], c: [F, [3]] }, ['y']);
    assert.deepEqual(r.t('y'), [F, [2, 3]]);
    assert.deepEqual(single('Max', { a: [F, [4, 1]], b: [F, [1, 5]] }, ['y']).t('y'), [F, [4, 5]]);
  });

  it('gives comparisons and logic ops a bool result', () => {
    for (const op of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor']) {
      assert.deepEqual(single(op, { a: [F, [2, 3]], b: [F, [3]] }, ['y']).t('y'), [BOOL, [2, 3]], op);
    }
    assert.deepEqual(single('Not', { a: [BOOL, [4]] }, ['y']).t('y'), [BOOL, [4]]);
    assert.deepEqual(single('IsNaN', { a: [F, [4]] }, ['y']).t('y'), [BOOL, [4]]);
    assert.deepEqual(single('IsInf', { a: [F, [4]] }, ['y']).t('y'), [BOOL, [4]]);
  });

  it('gives Pow the base type', () => {
    assert.deepEqual(single('Pow', { a: [F16, [3]], b: [F, []] }, ['y']).t('y'), [F16, [3]]);
  });

  it('broadcasts Where over condition and both branches', () => {
    assert.deepEqual(single('Where', { c: [BOOL, [2, 1]], x: [I64, [1, 3]], y: [I64, []] }, ['z']).t('z'), [I64, [2, 3]]);
  });

  it('casts with the to attribute and CastLike with the target input', () => {
    assert.deepEqual(single('Cast', { x: [F, [2]] }, ['y'], { to: I64 }).t('y'), [I64, [2]]);
    assert.deepEqual(single('CastLike', { x: [F, [2]], t: [F16, []] }, ['y']).t('y'), [F16, [2]]);
  });

  it('gives Dropout a bool mask of the input shape', () => {
    const r = single('Dropout', { x: [F, ['b', 8]] }, ['y', 'mask']);
    assert.deepEqual(r.t('y'), [F, ['b', 8]]);
    assert.deepEqual(r.t('mask'), [BOOL, ['b', 8]]);
  });

  it('keeps Clip, PRelu, and normalisations at the input shape', () => {
    assert.deepEqual(single('Clip', { x: [F, [3, 4]], lo: [F, []], hi: [F, []] }, ['y']).t('y'), [F, [3, 4]]);
    assert.deepEqual(single('PRelu', { x: [F, [1, 8, 5, 5]], s: [F, [8, 1, 1]] }, ['y']).t('y'), [F, [1, 8, 5, 5]]);
    assert.deepEqual(single('InstanceNormalization', { x: [F, [2, 4, 9]], s: [F, [4]], b: [F, [4]] }, ['y']).t('y'), [F, [2, 4, 9]]);
    assert.deepEqual(single('GroupNormalization', { x: [F, [2, 4, 9]], s: [F, [2]], b: [F, [2]] }, ['y'], { num_groups: 2 }, 18).t('y'), [F, [2, 4, 9]]);
    assert.deepEqual(single('LRN', { x: [F, [1, 16, 5, 5]] }, ['y'], { size: 3 }).t('y'), [F, [1, 16, 5, 5]]);
  });

  it('infers BatchNormalization including training-mode per-channel outputs', () => {
    const r = single('BatchNormalization', { x: [F, [2, 16, 8, 8]], s: [F, [16]], b: [F, [16]], m: [F, [16]], v: [F, [16]] },
      ['y', 'rm', 'rv'], { training_mode: 1 }, 15);
    assert.deepEqual(r.t('y'), [F, [2, 16, 8, 8]]);
    assert.deepEqual(r.t('rm'), [F, [16]]);
  });

  it('infers LayerNormalization mean and inverse std-dev with reduced trailing dims', () => {
    const r = single('LayerNormalization', { x: [F16, ['b', 'seq', 768]], s: [F16, [768]] }, ['y', 'mean', 'inv'], { axis: -1 });
    assert.deepEqual(r.t('y'), [F16, ['b', 'seq', 768]]);
    assert.deepEqual(r.t('mean'), [F, ['b', 'seq', 1]]);
    assert.deepEqual(r.t('inv'), [F, ['b', 'seq', 1]]);
    const r2 = single('LayerNormalization', { x: [F, [2, 3, 4]], s: [F, [3, 4]] }, ['y', 'mean'], { axis: 1 });
    assert.deepEqual(r2.t('mean'), [F, [2, 1, 1]]);
  });

  it('types quantization ops: QuantizeLinear by zero point, Dequantize to float, dynamic outputs scalar', () => {
    assert.deepEqual(single('QuantizeLinear', { x: [F, [4, 4]], s: [F, []], z: [3, []] }, ['y']).t('y'), [3, [4, 4]]);
    assert.deepEqual(single('QuantizeLinear', { x: [F, [4, 4]], s: [F, []] }, ['y']).t('y'), [U8, [4, 4]]);
    assert.deepEqual(single('DequantizeLinear', { x: [U8, [4, 4]], s: [F, []], z: [U8, []] }, ['y']).t('y'), [F, [4, 4]]);
    const d = single('DynamicQuantizeLinear', { x: [F, ['b', 16]] }, ['y', 's', 'z']);
    assert.deepEqual([d.t('y'), d.t('s'), d.t('z')], [[U8, ['b', 16]], [F, []], [U8, []]]);
  });

  it('keeps the declared type when there is no shape function, with a warning not an error', () => {
    const r = infer({
      inputs: { x: [F, [3]] },
      nodes: [node('MyCustomOp', ['x'], ['y'], {}, 'com.example')],
      valueInfo: { y: [F, [3, 'k']] },
      outputs: ['y'],
    }, [{ domain: '', version: 17 }, { domain: 'com.example', version: 1 }]);
    assert.deepEqual(r.t('y'), [F, [3, 'k']]);
    assert.match(r.warnings[0], /no shape function for com\.example::MyCustomOp/);
  });

  it('uses inferred fixed sizes where the declared type is symbolic, and declared names where inference has none', () => {
    const r = infer({
      inputs: { x: [F, ['b', 4]] },
      initializers: [floats('w', [1, 2, 3, 4])],
      nodes: [node('Add', ['x', 'w'], ['y']), node('Relu', ['y'], ['z'])],
      valueInfo: { y: [F, ['n', 'm']] },
      outputs: ['z'],
    });
    assert.deepEqual(r.t('y'), [F, ['n', 4]]);
    assert.deepEqual(r.t('z'), [F, ['n', 4]]);
  });

  it('types initializers from their own dims and element type', () => {
    const r = infer({ initializers: [tensor('w', F16, [3, 3])], nodes: [node('Relu', ['w'], ['y'])], outputs: ['y'] });
    assert.deepEqual(r.t('w'), [F16, [3, 3]]);
    assert.deepEqual(r.t('y'), [F16, [3, 3]]);
  });
});

describe('elementwise edge cases across opsets', () => {
  it('types the Dropout mask as the input type before opset 10', () => {
    assert.deepEqual(single('Dropout', { x: [F, [2]] }, ['y', 'm'], {}, 7).t('m'), [F, [2]]);
  });

  it('drops the matrix dims in Det', () => {
    assert.deepEqual(single('Det', { x: [F, ['b', 3, 3]] }, ['y']).shape('y'), ['b']);
  });
});
