import { strict as assert } from 'node:assert';
import { F, I32, U8, single } from './helpers';

describe('matrix product shape inference and MACs', () => {
  it('infers Gemm with transB and counts M*N*K', () => {
    const r = single('Gemm', { a: [F, [4, 8]], b: [F, [16, 8]], c: [F, [16]] }, ['y'], { transB: 1 });
    assert.deepEqual(r.t('y'), [F, [4, 16]]);
    assert.equal(r.costs[0].macs, 4 * 16 * 8);
  });

  it('infers Gemm with transA', () => {
    const r = single('Gemm', { a: [F, [8, 'M']], b: [F, [8, 3]] }, ['y'], { transA: 1 });
    assert.deepEqual(r.shape('y'), ['M', 3]);
    assert.equal(r.costs[0].macs, null);
    assert.equal(r.costs[0].macsBatch1, 3 * 8);
  });

  it('broadcasts MatMul batch dims and counts batch*M*N*K', () => {
    const r = single('MatMul', { a: [F, [2, 1, 3, 4]], b: [F, [5, 4, 6]] }, ['y']);
    assert.deepEqual(r.shape('y'), [2, 5, 3, 6]);
    assert.equal(r.costs[0].macs, 2 * 5 * 3 * 6 * 4);
  });

  it('follows numpy for 1-D MatMul operands', () => {
    const vm = single('MatMul', { a: [F, [4]], b: [F, [4, 6]] }, ['y']);
    assert.deepEqual(vm.shape('y'), [6]);
    assert.equal(vm.costs[0].macs, 24);
    const mv = single('MatMul', { a: [F, [2, 3, 4]], b: [F, [4]] }, ['y']);
    assert.deepEqual(mv.shape('y'), [2, 3]);
    assert.equal(mv.costs[0].macs, 24);
    const dot = single('MatMul', { a: [F, [4]], b: [F, [4]] }, ['y']);
    assert.deepEqual(dot.shape('y'), []);
    assert.equal(dot.costs[0].macs, 4);
  });

  it('keeps symbolic batch and sequence through a transformer projection', () => {
    const r = single('MatMul', { a: [F, ['batch', 'seq', 768]], b: [F, [768, 3072]] }, ['y']);
    assert.deepEqual(r.shape('y'), ['batch', 'seq', 3072]);
    assert.equal(r.costs[0].macs, null);
    assert.equal(r.costs[0].macsBatch1, 768 * 3072);
  });

  it('warns on mismatched inner dims', () => {
    const r = single('MatMul', { a: [F, [2, 3]], b: [F, [4, 5]] }, ['y']);
    assert.equal(r.shape('y'), null);
    assert.match(r.warnings.join(), /cannot multiply/);
  });

  it('types MatMulInteger as int32 and QLinearMatMul by its output zero point, with MatMul MACs', () => {
    const i = single('MatMulInteger', { a: [U8, ['b', 8]], b: [U8, [8, 4]], az: [U8, []] }, ['y']);
    assert.deepEqual(i.t('y'), [I32, ['b', 4]]);
    assert.equal(i.costs[0].macsBatch1, 32);
    const q = single('QLinearMatMul', {
      a: [U8, [3, 8]], as: [F, []], az: [U8, []], b: [U8, [8, 4]], bs: [F, []], bz: [U8, []], ys: [F, []], yz: [U8, []],
    }, ['y']);
    assert.deepEqual(q.t('y'), [U8, [3, 4]]);
    assert.equal(q.costs[0].macs, 96);
  });

  it('infers Einsum for batched matmul, implicit output, ellipsis and transpose', () => {
    const bmm = single('Einsum', { a: [F, [2, 3, 4]], b: [F, [2, 4, 5]] }, ['y'], { equation: 'bij,bjk->bik' });
    assert.deepEqual(bmm.shape('y'), [2, 3, 5]);
    assert.equal(bmm.costs[0].macs, 2 * 3 * 4 * 5);
    assert.deepEqual(single('Einsum', { a: [F, [3, 4]], b: [F, [4, 5]] }, ['y'], { equation: 'ij,jk' }).shape('y'), [3, 5]);
    assert.deepEqual(single('Einsum', { a: [F, ['n', 7, 3, 4]], b: [F, [4, 5]] }, ['y'], { equation: '...ij,jk->...ik' }).shape('y'), ['n', 7, 3, 5]);
    const t = single('Einsum', { a: [F, [3, 4]] }, ['y'], { equation: 'ij->ji' });
    assert.deepEqual(t.shape('y'), [4, 3]);
    assert.equal(t.costs[0].macs, null);
  });

  it('counts attention-like einsums (BERT scores bhqd,bhkd->bhqk)', () => {
    const r = single('Einsum', { q: [F, [1, 12, 128, 64]], k: [F, [1, 12, 128, 64]] }, ['s'], { equation: 'bhqd,bhkd->bhqk' });
    assert.deepEqual(r.shape('s'), [1, 12, 128, 128]);
    assert.equal(r.costs[0].macs, 12 * 128 * 128 * 64);
  });
});
