import { strict as assert } from 'node:assert';
import {
  broadcastShapes, countProduct, dimAdd, dimDiv, dimMul, dimProduct, dimSub, evalDimAsOne, normalizeDim,
} from '../../../src/core/shapes/dims';

describe('symbolic dims', () => {
  it('keeps products canonical: symbols sorted, coefficient last', () => {
    assert.equal(dimMul('batch', 128), 'batch*128');
    assert.equal(dimMul(128, 'batch'), 'batch*128');
    assert.equal(dimMul(dimMul('seq', 2), dimMul('batch', 3)), 'batch*seq*6');
    assert.equal(dimProduct(['batch', 3, 4, 4]), 'batch*48');
  });

  it('divides exactly or gives up', () => {
    assert.equal(dimDiv('batch*48', 48), 'batch');
    assert.equal(dimDiv('batch*48', 'batch'), 48);
    assert.equal(dimDiv('batch*seq*6', dimMul('seq', 3)), 'batch*2');
    assert.equal(dimDiv('batch', 2), null);
    assert.equal(dimDiv(7, 2), null);
    assert.equal(dimDiv(8, 0), null);
  });

  it('adds like terms and keeps other sums readable', () => {
    assert.equal(dimAdd('n', 'n'), 'n*2');
    assert.equal(dimAdd('seq', 1), 'seq+1');
    assert.equal(dimSub('seq', 'seq'), 0);
    assert.equal(dimSub('seq', 1), 'seq-1');
    assert.equal(dimMul('seq+1', 2), '(seq+1)*2');
    assert.equal(dimAdd(null, 3), null);
  });

  it('treats zero as absorbing and null as unknown', () => {
    assert.equal(dimMul('batch', 0), 0);
    assert.equal(dimMul(null, 0), 0);
    assert.equal(dimMul(null, 3), null);
  });

  it('rejects dims beyond Number.MAX_SAFE_INTEGER and negative or fractional sizes', () => {
    assert.equal(dimMul(2 ** 40, 2 ** 20), null);
    assert.equal(normalizeDim(-1), null);
    assert.equal(normalizeDim(1.5), null);
    assert.equal(normalizeDim(''), null);
    assert.equal(normalizeDim(1e300), null);
  });

  it('broadcasts like numpy, letting a fixed size > 1 decide against a symbol', () => {
    assert.deepEqual(broadcastShapes([[2, 1, 4], [3, 1]]), [2, 3, 4]);
    assert.deepEqual(broadcastShapes([['batch', 1], [1, 5]]), ['batch', 5]);
    assert.deepEqual(broadcastShapes([['n'], [4]]), [4]);
    assert.deepEqual(broadcastShapes([['a'], ['b']]), [null]);
    assert.deepEqual(broadcastShapes([[], [2, 3]]), [2, 3]);
    assert.equal(broadcastShapes([[2], [3]]), undefined);
  });

  it('evaluates symbolic dims as 1 for per-sample counts', () => {
    assert.equal(evalDimAsOne('batch*128'), 128);
    assert.equal(evalDimAsOne('(seq+1)*2'), 4);
    assert.equal(evalDimAsOne('sequence length'), 1);
    assert.equal(evalDimAsOne(null), null);
    assert.equal(countProduct(['batch', 3, 4], true), 12);
    assert.equal(countProduct(['batch', 3, 4], false), null);
  });
});
