import * as assert from 'node:assert/strict';
import { PairIndex } from '../../../src/core/graphLayout/pairIndex';

describe('PairIndex (the layout’s edge numbering)', () => {
  it('numbers pairs in the order first added and gives a pair its number again, past growth and large values', () => {
    const index = new PairIndex(2);
    const pairs: [number, number][] = [];
    for (let i = 0; i < 5000; i++) pairs.push([(i * 7919) % 100_003, 2_000_000_000 - i]);
    pairs.forEach(([x, y], i) => assert.equal(index.add(x, y), i));
    assert.equal(index.size, pairs.length);
    pairs.forEach(([x, y], i) => assert.equal(index.add(x, y), i, `(${x}, ${y}) again`));
    assert.equal(index.size, pairs.length, 'nothing added twice');
    // Order matters: (a, b) and (b, a) are different edges.
    const small = new PairIndex(4);
    assert.deepEqual([small.add(1, 2), small.add(2, 1), small.add(1, 2), small.add(0, 0)], [0, 1, 0, 2]);
  });
});
