import { strict as assert } from 'node:assert';
import { F, single } from './helpers';

const ms = (op: string, inputs: Parameters<typeof single>[1], outputs: string[], attrs: Parameters<typeof single>[3] = {}) =>
  single(op, inputs, outputs, attrs, 17, 'com.microsoft');

describe('recurrent and attention-like ops', () => {
  it('infers LSTM outputs and counts input and recurrent products', () => {
    const r = single('LSTM', { x: [F, [10, 2, 8]], w: [F, [1, 64, 8]], rw: [F, [1, 64, 16]] }, ['y', 'yh', 'yc'], { hidden_size: 16 });
    assert.deepEqual(r.shape('y'), [10, 1, 2, 16]);
    assert.deepEqual(r.shape('yh'), [1, 2, 16]);
    assert.deepEqual(r.shape('yc'), [1, 2, 16]);
    // seq * batch * dirs * 4H * (input + hidden)
    assert.equal(r.costs[0].macs, 10 * 2 * 64 * (8 + 16));
  });

  it('infers a bidirectional GRU with batch-first layout and hidden size from W', () => {
    const r = single('GRU', { x: [F, ['b', 'seq', 8]], w: [F, [2, 48, 8]], rw: [F, [2, 48, 16]] }, ['y', 'yh'], { direction: 'bidirectional', layout: 1 }, 14);
    assert.deepEqual(r.shape('y'), ['b', 'seq', 2, 16]);
    assert.deepEqual(r.shape('yh'), ['b', 2, 16]);
    assert.equal(r.costs[0].macsBatch1, 2 * 48 * (8 + 16));
  });

  it('infers com.microsoft Attention and counts projections plus both attention products', () => {
    const r = ms('Attention', { x: [F, [1, 128, 768]], w: [F, [768, 2304]], b: [F, [2304]] }, ['y'], { num_heads: 12 });
    assert.deepEqual(r.shape('y'), [1, 128, 768]);
    const proj = 128 * 768 * 2304;
    const scores = 128 * 128 * 768;
    assert.equal(r.costs[0].macs, proj + 2 * scores);
  });

  it('infers MultiHeadAttention with separate key/value lengths and counts QKᵀ and AV', () => {
    const r = ms('MultiHeadAttention', { q: [F, [2, 128, 768]], k: [F, [2, 64, 768]], v: [F, [2, 64, 512]] }, ['y'], { num_heads: 8 });
    assert.deepEqual(r.shape('y'), [2, 128, 512]);
    assert.equal(r.costs[0].macs, 2 * 128 * 64 * 768 + 2 * 128 * 64 * 512);
  });

  it('infers SkipLayerNormalization, BiasGelu and FusedMatMul', () => {
    const s = ms('SkipLayerNormalization', { x: [F, ['b', 's', 768]], skip: [F, ['b', 's', 768]], g: [F, [768]] }, ['y', 'mean', 'inv', 'sum']);
    assert.deepEqual([s.shape('y'), s.shape('mean'), s.shape('sum')], [['b', 's', 768], ['b', 's', 1], ['b', 's', 768]]);
    assert.deepEqual(ms('BiasGelu', { x: [F, ['b', 3072]], bias: [F, [3072]] }, ['y']).shape('y'), ['b', 3072]);
    const f = ms('FusedMatMul', { a: [F, [2, 4, 3]], b: [F, [2, 5, 3]] }, ['y'], { transB: 1 });
    assert.deepEqual(f.shape('y'), [2, 4, 5]);
    assert.equal(f.costs[0].macs, 2 * 4 * 5 * 3);
  });
});
