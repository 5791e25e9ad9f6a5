import { strict as assert } from 'node:assert';
import { buildGraph } from '../../../src/core/graph/build';
import type { AttributeInfo } from '../../../src/core/onnx/types';
import { inferShapes } from '../../../src/core/shapes';
import { F, I64, graphInfo, infer, ints, node, single, tensor } from './helpers';

describe('robustness on malformed models', () => {
  it('never allocates for absurd dims and keeps sizes beyond 2^53 unknown', () => {
    const huge = 1e15;
    const r = infer({
      inputs: { x: [F, [huge, 3, huge, huge]] },
      initializers: [tensor('w', F, [huge, 3, 3, 3]), ints('s', [huge, huge, huge])],
      nodes: [
        node('Conv', ['x', 'w'], ['y']),
        node('Flatten', ['y'], ['f']),
        node('ConstantOfShape', ['s'], ['c']),
        node('Tile', ['x', 's'], ['t']),
        node('Range', ['s', 's', 's'], ['rg']),
      ],
      outputs: ['f', 'c', 't', 'rg'],
    });
    assert.deepEqual(r.shape('y'), [huge, huge, huge - 2, huge - 2]);
    assert.deepEqual(r.shape('f'), [huge, null]);
    assert.equal(r.costs[0].macs, null);
    assert.equal(r.consts.has('c'), false);
  });

  it('treats negative, fractional and out-of-range declared dims as unknown', () => {
    const r = infer({ inputs: { x: [F, [-1, 2.5, 2 ** 60, 'n']] }, nodes: [node('Relu', ['x'], ['y'])], outputs: ['y'] });
    assert.deepEqual(r.shape('y'), [null, null, null, 'n']);
  });

  it('survives missing required attributes and wrong attribute types with warnings', () => {
    const pool = single('MaxPool', { x: [F, [1, 3, 8, 8]] }, ['y']);
    assert.deepEqual(pool.shape('y'), [1, 3, null, null]);
    const bad: AttributeInfo = { name: 'perm', type: 3 as AttributeInfo['type'], docString: '', s: 'oops' };
    const g = graphInfo({ inputs: { x: [F, [2, 3]] }, nodes: [node('Transpose', ['x'], ['y'])], outputs: ['y'] });
    g.nodes[0].attributes.push(bad);
    const r = inferShapes(buildGraph(g), [{ domain: '', version: 17 }], () => null);
    assert.deepEqual(r.types.get('y')?.shape, [3, 2]);
    const axis = single('Gather', { d: [F, [2, 3]], i: [I64, [4]] }, ['y'], { axis: 7 });
    assert.equal(axis.shape('y'), null);
    assert.match(axis.warnings.join(), /axis out of range/);
  });

  it('survives rank mismatches, missing inputs and empty nodes', () => {
    const r = infer({
      inputs: { a: [F, [2, 3]], b: [F, [2, 3, 4]] },
      nodes: [
        node('Concat', ['a', 'b'], ['c'], { axis: 1 }),
        node('Conv', ['a'], ['d']),
        node('Add', [], ['e']),
        node('Gemm', ['b', 'a'], ['f']),
        node('Reshape', ['a', 'nowhere'], ['g']),
        node('', [], []),
        node('Split', ['a'], ['s1', 's2', 's3', 's4', 's5', 's6', 's7'], { axis: 1 }),
        node('Slice', ['a', 'nowhere', 'nowhere2'], ['h']),
        node('TopK', ['a', 'nowhere'], ['v', 'i']),
      ],
      outputs: ['c'],
    });
    assert.equal(r.shape('c'), null);
    assert.equal(r.shape('d'), null);
    assert.equal(r.shape('f'), null);
    assert.ok(r.warnings.length > 0);
  });

  it('turns a failing tensor loader into a warning', () => {
    const g = buildGraph(graphInfo({
      inputs: { x: [F, [2, 3]] },
      initializers: [ints('s', [3, 2])],
      nodes: [node('Reshape', ['x', 's'], ['y'])],
      outputs: ['y'],
    }));
    const r = inferShapes(g, [{ domain: '', version: 13 }], () => {
      throw new Error('disk on fire');
    });
    assert.deepEqual(r.types.get('y')?.shape, [null, null]);
    assert.match(r.warnings.join(), /disk on fire/);
  });

  it('handles cycles, unknown opsets and absent opset imports', () => {
    const r = infer({
      inputs: { x: [F, [2]] },
      nodes: [node('Add', ['x', 'b'], ['a']), node('Relu', ['a'], ['b'])],
      outputs: ['b'],
    }, []);
    assert.ok(r.types.has('a'));
    assert.ok(r.types.has('b'));
  });

  it('caps the number of warnings on a model full of unknown ops', () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => node('Bogus' + i, ['x'], [`y${i}`], {}, 'com.example'));
    const r = infer({ inputs: { x: [F, [1]] }, nodes, outputs: ['y0'] }, [{ domain: 'com.example', version: 1 }]);
    assert.ok(r.warnings.length <= 501);
  });
});
