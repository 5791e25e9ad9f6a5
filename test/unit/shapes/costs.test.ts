import { strict as assert } from 'node:assert';
import { F, infer, node, tensor } from './helpers';

describe('parameters and MAC totals', () => {
  it('counts each initializer once, for its first consumer in topological order', () => {
    const r = infer({
      inputs: { x: [F, [1, 8]] },
      initializers: [tensor('w', F, [8, 8]), tensor('b', F, [8])],
      nodes: [
        node('Gemm', ['x', 'w', 'b'], ['h']),
        node('Gemm', ['h', 'w', 'b'], ['y']), // weights tied to the first layer
      ],
      outputs: ['y'],
    });
    assert.equal(r.costs[0].parameters, 72);
    assert.equal(r.costs[1].parameters, 0);
    assert.equal(r.totalParameters, 72);
    assert.equal(r.costs[0].macs, 64);
    assert.equal(r.totalMacs, 128);
    assert.equal(r.totalMacsBatch1, 128);
  });

  it('attributes Constant-node tensors to the node that reads them', () => {
    const r = infer({
      inputs: { x: [F, [2, 3]] },
      nodes: [
        node('Constant', [], ['w'], { value: { tensor: tensor('t', F, [3, 4]) } }),
        node('MatMul', ['x', 'w'], ['y']),
      ],
      outputs: ['y'],
    });
    assert.equal(r.costs[0].parameters, 0);
    assert.equal(r.costs[1].parameters, 12);
    assert.equal(r.costs[1].macs, 24);
  });

  it('sums only known MACs and reports null totals when nothing is countable', () => {
    const r = infer({
      inputs: { x: [F, ['b', 4]], z: [F, [2, 2]] },
      initializers: [tensor('w', F, [4, 4])],
      nodes: [node('MatMul', ['x', 'w'], ['y']), node('MatMul', ['z', 'z'], ['zz']), node('Relu', ['y'], ['r'])],
      outputs: ['r', 'zz'],
    });
    assert.deepEqual(r.costs.map((c) => c.macs), [null, 8, null]);
    assert.deepEqual(r.costs.map((c) => c.macsBatch1), [16, 8, null]);
    assert.equal(r.totalMacs, 8);
    assert.equal(r.totalMacsBatch1, 24);
    const none = infer({ inputs: { x: [F, [2]] }, nodes: [node('Relu', ['x'], ['y'])], outputs: ['y'] });
    assert.equal(none.totalMacs, null);
    assert.equal(none.totalMacsBatch1, null);
  });

  it('counts a small CNN end to end (hand-computed)', () => {
    const r = infer({
      inputs: { x: [F, [1, 1, 28, 28]] },
      initializers: [tensor('w1', F, [8, 1, 3, 3]), tensor('b1', F, [8]), tensor('fc', F, [10, 8 * 13 * 13]), tensor('fcb', F, [10])],
      nodes: [
        node('Conv', ['x', 'w1', 'b1'], ['c1']), // [1, 8, 26, 26]
        node('Relu', ['c1'], ['r1']),
        node('MaxPool', ['r1'], ['p1'], { kernel_shape: [2, 2], strides: [2, 2] }), // [1, 8, 13, 13]
        node('Flatten', ['p1'], ['f']), // [1, 1352]
        node('Gemm', ['f', 'fc', 'fcb'], ['y'], { transB: 1 }), // [1, 10]
      ],
      outputs: ['y'],
    }, 13);
    assert.deepEqual(r.shape('y'), [1, 10]);
    assert.equal(r.costs[0].macs, 8 * 26 * 26 * 1 * 9);
    assert.equal(r.costs[4].macs, 10 * 1352);
    assert.equal(r.totalMacs, 48672 + 13520);
    assert.equal(r.totalParameters, 72 + 8 + 13520 + 10);
  });
});
