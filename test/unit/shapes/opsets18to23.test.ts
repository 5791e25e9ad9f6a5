/**
 * Issue 13, item 16: shape inference for the operators and operator versions of opsets 18–23
 * (https://onnx.ai/onnx/operators/ for each formula), and no default-domain operator left without
 * a shape function (a model using one would be reported as having an op with unknown outputs).
 */
import { strict as assert } from 'node:assert';
import { knownOps, schemaHistory } from '../../../src/core/onnx/schemas';
import { registeredOps } from '../../../src/core/shapes';
import { BOOL, F, F16, I32, I64, STR, U8, floats, ints, single } from './helpers';

const BF16 = 16;
const scalar = (name: string, v: number) => ints(name, [v], true);

describe('shape inference for opsets 18–23', () => {
  it('has a shape function for every default-domain operator the schemas know', () => {
    const registered = new Set(registeredOps().filter((r) => r.domain === '').map((r) => r.opType));
    const missing = knownOps('').filter((op) => !registered.has(op) && !schemaHistory('', op).at(-1)!.deprecated);
    assert.deepEqual(missing, []);
  });

  it('Gelu (20), Mish (18) and the bitwise ops (18) keep or broadcast the input shape', () => {
    assert.deepEqual(single('Gelu', { x: [BF16, ['b', 8]] }, ['y'], { approximate: 'tanh' }, 20).t('y'), [BF16, ['b', 8]]);
    assert.deepEqual(single('Mish', { x: [F, [2, 3]] }, ['y'], {}, 18).t('y'), [F, [2, 3]]);
    assert.deepEqual(single('BitwiseAnd', { a: [I32, [3, 1]], b: [I32, [4]] }, ['y'], {}, 18).t('y'), [I32, [3, 4]]);
    assert.deepEqual(single('BitwiseXor', { a: [U8, ['n']], b: [U8, [1]] }, ['y'], {}, 18).t('y'), [U8, ['n']]);
    assert.deepEqual(single('BitwiseNot', { a: [I64, [5]] }, ['y'], {}, 18).t('y'), [I64, [5]]);
  });

  it('GroupNormalization (18 and 21) and RMSNormalization (23) keep the shape; RMS takes the scale type', () => {
    assert.deepEqual(single('GroupNormalization', { x: [F, [2, 6, 4, 4]], s: [F, [6]], b: [F, [6]] }, ['y'], { num_groups: 3 }, 21).t('y'), [F, [2, 6, 4, 4]]);
    assert.deepEqual(single('RMSNormalization', { x: [F16, ['b', 's', 64]], w: [F, [64]] }, ['y'], { axis: -1 }, 23).t('y'), [F, ['b', 's', 64]]);
  });

  it('reduces over the axes input from opset 18 (ReduceMax/ReduceMin 20 too), with keepdims and noop_with_empty_axes', () => {
    for (const op of ['ReduceMean', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare', 'ReduceProd']) {
      assert.deepEqual(single(op, { x: [F, [2, 3, 4]], a: ints('a', [1]) }, ['y'], {}, 18).shape('y'), [2, 1, 4], op);
      assert.deepEqual(single(op, { x: [F, [2, 3, 4]], a: ints('a', [-1, 0]) }, ['y'], { keepdims: 0 }, 18).shape('y'), [3], op);
    }
    assert.deepEqual(single('ReduceMax', { x: [BOOL, [2, 3]], a: ints('a', [1]) }, ['y'], { keepdims: 0 }, 20).t('y'), [BOOL, [2]]);
    assert.deepEqual(single('ReduceMin', { x: [F, [2, 3]] }, ['y'], {}, 20).shape('y'), [1, 1]);
    assert.deepEqual(single('ReduceMean', { x: [F, [2, 3]], a: ints('a', []) }, ['y'], { noop_with_empty_axes: 1 }, 18).shape('y'), [2, 3]);
    // An opset-17 model still has axes as an attribute: a second input is not read as axes.
    assert.deepEqual(single('ReduceMean', { x: [F, [2, 3, 4]] }, ['y'], { axes: [2] }, 17).shape('y'), [2, 3, 1]);
    // Axes not folded: with keepdims the rank survives.
    assert.deepEqual(single('ReduceL1', { x: [F, [2, 3]], a: [I64, [1]] }, ['y'], {}, 18).shape('y'), [null, null]);
  });

  it('Col2Im (18) folds columns into the image; CenterCropPad (18) sets the chosen axes', () => {
    assert.deepEqual(single('Col2Im', { x: [F, [1, 5, 25]], i: ints('i', [5, 5]), b: ints('b', [1, 5]) }, ['y'], {}, 18).shape('y'), [1, 1, 5, 5]);
    assert.deepEqual(single('CenterCropPad', { x: [F, [20, 10, 3]], s: ints('s', [10, 7, 3]) }, ['y'], {}, 18).shape('y'), [10, 7, 3]);
    assert.deepEqual(single('CenterCropPad', { x: [F, ['h', 'w', 3]], s: ints('s', [8, 9]) }, ['y'], { axes: [-3, -2] }, 18).shape('y'), [8, 9, 3]);
    assert.deepEqual(single('CenterCropPad', { x: [F, [20, 10, 3]], s: [I64, [3]] }, ['y'], {}, 18).shape('y'), [null, null, null]);
  });

  it('AffineGrid (20) builds [N, H, W, 2] or [N, D, H, W, 3] from the size input', () => {
    assert.deepEqual(single('AffineGrid', { t: [F, [2, 2, 3]], s: ints('s', [2, 3, 5, 6]) }, ['y'], {}, 20).shape('y'), [2, 5, 6, 2]);
    assert.deepEqual(single('AffineGrid', { t: [F, [2, 3, 4]], s: ints('s', [2, 3, 4, 5, 6]) }, ['y'], {}, 20).shape('y'), [2, 4, 5, 6, 3]);
    assert.deepEqual(single('AffineGrid', { t: [F, ['n', 2, 3]], s: [I64, [4]] }, ['y'], {}, 20).shape('y'), ['n', null, null, 2]);
  });

  it('DeformConv (19) sizes its output like Conv', () => {
    const r = single('DeformConv', { x: [F, [1, 4, 10, 10]], w: [F, [8, 4, 3, 3]], o: [F, [1, 18, 8, 8]] }, ['y'], { pads: [1, 1, 1, 1], strides: [2, 2] }, 19);
    assert.deepEqual(r.shape('y'), [1, 8, 5, 5]);
  });

  it('pools with the dilations of AveragePool 19 and the ceil_mode of LpPool 18', () => {
    assert.deepEqual(single('AveragePool', { x: [F, [1, 1, 10, 10]] }, ['y'], { kernel_shape: [3, 3], dilations: [2, 2] }, 19).shape('y'), [1, 1, 6, 6]);
    assert.deepEqual(single('LpPool', { x: [F, [1, 1, 10]] }, ['y'], { kernel_shape: [3], strides: [2], ceil_mode: 1 }, 18).shape('y'), [1, 1, 5]);
    assert.deepEqual(single('LpPool', { x: [F, [1, 1, 10]] }, ['y'], { kernel_shape: [3], strides: [2] }, 18).shape('y'), [1, 1, 4]);
  });

  it('splits into num_outputs parts (18), the last one smaller', () => {
    const r = single('Split', { x: [F, [7, 2]] }, ['a', 'b', 'c'], { num_outputs: 3 }, 18);
    assert.deepEqual([r.shape('a'), r.shape('b'), r.shape('c')], [[3, 2], [3, 2], [1, 2]]);
  });

  it('Attention (23): 4-D and 3-D inputs, grouped-query heads, a key/value cache', () => {
    const four = single('Attention', { q: [F, [2, 8, 5, 64]], k: [F, [2, 2, 7, 64]], v: [F, [2, 2, 7, 32]] }, ['y'], {}, 23);
    assert.deepEqual(four.t('y'), [F, [2, 8, 5, 32]]);
    const three = single('Attention', { q: [F, ['b', 5, 512]], k: [F, ['b', 7, 128]], v: [F, ['b', 7, 128]] }, ['y'], { q_num_heads: 8, kv_num_heads: 2 }, 23);
    assert.deepEqual(three.shape('y'), ['b', 5, 512]);
    const cached = single('Attention', {
      q: [F, [1, 4, 1, 16]], k: [F, [1, 4, 1, 16]], v: [F, [1, 4, 1, 16]], m: '', pk: [F, [1, 4, 9, 16]], pv: [F, [1, 4, 9, 16]],
    }, ['y', 'pk2', 'pv2', 'qk'], {}, 23);
    assert.deepEqual([cached.shape('y'), cached.shape('pk2'), cached.shape('pv2'), cached.shape('qk')],
      [[1, 4, 1, 16], [1, 4, 10, 16], [1, 4, 10, 16], [1, 4, 1, 10]]);
  });

  it('RotaryEmbedding (23) keeps the input shape', () => {
    const r = single('RotaryEmbedding', { x: [F16, [1, 8, 'S', 64]], c: [F16, [512, 32]], s: [F16, [512, 32]], p: [I64, [1, 'S']] }, ['y'], {}, 23);
    assert.deepEqual(r.t('y'), [F16, [1, 8, 'S', 64]]);
  });

  it('DFT: axis attribute before opset 20, optional axis input (default -2) from 20; onesided and dft_length', () => {
    assert.deepEqual(single('DFT', { x: [F, [3, 16, 1]] }, ['y'], {}, 17).shape('y'), [3, 16, 2]);
    assert.deepEqual(single('DFT', { x: [F, [3, 16, 1]] }, ['y'], { onesided: 1 }, 17).shape('y'), [3, 9, 2]);
    assert.deepEqual(single('DFT', { x: [F, [3, 16, 1]], n: scalar('n', 10) }, ['y'], {}, 17).shape('y'), [3, 10, 2]);
    assert.deepEqual(single('DFT', { x: [F, [3, 16, 6, 2]] }, ['y'], { onesided: 1 }, 20).shape('y'), [3, 16, 4, 2]);
    assert.deepEqual(single('DFT', { x: [F, [3, 16, 6, 2]], n: '', a: scalar('a', 1) }, ['y'], { onesided: 1 }, 20).shape('y'), [3, 9, 6, 2]);
  });

  it('STFT, the window generators and MelWeightMatrix (17)', () => {
    const stft = single('STFT', { s: [F, [2, 128, 1]], step: scalar('step', 8), w: [F, [16]] }, ['y'], {}, 17);
    assert.deepEqual(stft.shape('y'), [2, 15, 9, 2]);
    assert.deepEqual(single('HannWindow', { n: scalar('n', 10) }, ['y'], {}, 17).t('y'), [F, [10]]);
    assert.deepEqual(single('BlackmanWindow', { n: scalar('n', 10) }, ['y'], { output_datatype: I32 }, 17).t('y'), [I32, [10]]);
    const mel = single('MelWeightMatrix', {
      m: scalar('m', 8), d: scalar('d', 16), r: scalar('r', 8192), lo: floats('lo', [0]), hi: floats('hi', [4096]),
    }, ['y'], {}, 17);
    assert.deepEqual(mel.shape('y'), [9, 8]);
  });

  it('string ops (20): StringSplit adds a dimension, StringConcat broadcasts, RegexFullMatch gives booleans', () => {
    const split = single('StringSplit', { x: [STR, [2, 3]] }, ['y', 'z'], { delimiter: ',' }, 20);
    assert.deepEqual([split.t('y'), split.t('z')], [[STR, [2, 3, null]], [I64, [2, 3]]]);
    assert.deepEqual(single('StringConcat', { a: [STR, [2, 1]], b: [STR, [3]] }, ['y'], {}, 20).t('y'), [STR, [2, 3]]);
    assert.deepEqual(single('RegexFullMatch', { a: [STR, ['n']] }, ['y'], { pattern: '\\d+' }, 20).t('y'), [BOOL, ['n']]);
    assert.deepEqual(single('StringNormalizer', { a: [STR, [1, 4]] }, ['y'], { stopwords: ['a'] }, 17).t('y'), [STR, [1, null]]);
  });

  it('ImageDecoder (20) gives an (H, W, C) uint8 image; Multinomial [batch, sample_size]', () => {
    assert.deepEqual(single('ImageDecoder', { b: [U8, [1000]] }, ['y'], {}, 20).t('y'), [U8, [null, null, 3]]);
    assert.deepEqual(single('ImageDecoder', { b: [U8, [1000]] }, ['y'], { pixel_format: 'Grayscale' }, 20).t('y'), [U8, [null, null, 1]]);
    assert.deepEqual(single('Multinomial', { x: [F, [4, 10]] }, ['y'], { sample_size: 3 }, 22).t('y'), [I32, [4, 3]]);
  });

  it('keeps shapes through the opset 21/23 versions of the tensor-moving ops and blocked quantization', () => {
    assert.deepEqual(single('Flatten', { x: [F, [2, 3, 4]] }, ['y'], { axis: 2 }, 23).shape('y'), [6, 4]);
    assert.deepEqual(single('Transpose', { x: [F, [2, 3, 4]] }, ['y'], {}, 21).shape('y'), [4, 3, 2]);
    const q = single('QuantizeLinear', { x: [F, [4, 64]], s: [F, [4, 2]] }, ['y'], { axis: 1, block_size: 32, output_dtype: 22 }, 21);
    assert.deepEqual(q.t('y'), [22, [4, 64]]);
    const dq = single('DequantizeLinear', { x: [22, [4, 64]], s: [F16, [4, 2]] }, ['y'], { axis: 1, block_size: 32 }, 21);
    assert.deepEqual(dq.t('y'), [F16, [4, 64]]);
  });
});
