import * as assert from 'node:assert/strict';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { buildGraphPayload, formatShape } from '../../../src/core/graph/payload';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { ValueKind } from '../../../src/shared/graphPayload';
import { transformerLike } from '../../fixtures/bigModels';
import { graph, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';

function payloadOf(bytes: Uint8Array) {
  const m = readModelBytes(bytes, 'm.onnx');
  return buildGraphPayload(analyzeModel(m, 'm.onnx'), 'm.onnx', 'hash');
}

describe('graph payload', () => {
  it('lays nodes and values out in columns with CSR inputs/outputs, -1 for omitted inputs', () => {
    const p = payloadOf(model({ graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', 4])],
      initializers: [tensor('w', 'float32', [4, 2], new Array(8).fill(1))],
      nodes: [
        node('MatMul', ['x', 'w'], ['h'], { name: '/enc/layer.0/MatMul' }),
        node('Clip', ['h', '', ''], ['y'], { name: '/enc/layer.1/Clip' }),
      ],
      outputs: [tensorValue('y', 'float32', ['batch', 2])],
    }) }));
    assert.equal(p.nodeCount, 2);
    assert.deepEqual(p.ops, ['MatMul', 'Clip']);
    assert.deepEqual([...p.nodeOp], [0, 1]);
    const id = (name: string) => p.valueNames.indexOf(name);
    assert.deepEqual([...p.nodeInputs.slice(p.nodeInputStart[1], p.nodeInputStart[2])], [id('h'), -1, -1]);
    assert.deepEqual([...p.nodeOutputs], [id('h'), id('y')]);
    assert.equal(p.valueKind[id('w')], ValueKind.Initializer);
    assert.equal(p.valueKind[id('x')], ValueKind.Input);
    assert.equal(p.valueProducer[id('y')], 1);
    assert.equal(p.valueShapes[id('h')], '[batch, 2]');
    assert.equal(p.valueElemTypes[id('h')], 'float32');
    assert.deepEqual(p.graphInputs, [id('x')]);
    assert.deepEqual(p.graphOutputs, [id('y')]);
    assert.deepEqual([...p.nodeParams], [8, 0]);
    assert.equal(p.nodeMacs[0], 8);
    assert.ok(Number.isNaN(p.nodeMacs[1]));
    assert.deepEqual([...p.nodeOrder], [0, 1]);
  });

  it('builds the scope tree: one group per scope prefix, innermost group per node, subtree sizes', () => {
    const p = payloadOf(model({ graph: graph({
      inputs: [tensorValue('x', 'float32', [1])],
      nodes: [
        node('Relu', ['x'], ['a'], { name: '/enc/layer.0/Relu' }),
        node('Relu', ['a'], ['b'], { name: '/enc/layer.0/attn/Relu' }),
        node('Relu', ['b'], ['c'], { name: '/enc/layer.1/Relu' }),
        node('Relu', ['c'], ['d'], { name: '/head/Relu' }),
      ],
      outputs: [tensorValue('d', 'float32', [1])],
    }) }));
    const path = (g: number): string => (g <= 0 ? '' : `${path(p.groupParent[g])}/${p.groupNames[g]}`);
    assert.deepEqual([...p.nodeGroup].map(path), ['/enc/layer.0', '/enc/layer.0/attn', '/enc/layer.1', '/head']);
    assert.equal(p.groupParent[0], -1);
    assert.equal(p.groupNodeCount[0], 4);
    const count = (q: string) => p.groupNodeCount[[...Array(p.groupCount).keys()].find((g) => path(g) === q)!];
    assert.equal(count('/enc'), 3);
    assert.equal(count('/enc/layer.0'), 2);
    assert.equal(count('/enc/layer.0/attn'), 1);
  });

  it('marks values nobody defines as Missing with a located problem, and still lists the node', () => {
    const p = payloadOf(model({ graph: graph({
      inputs: [tensorValue('x', 'float32', [1])],
      nodes: [node('Add', ['x', 'ghost'], ['y'], { name: 'add' })],
      outputs: [tensorValue('y', 'float32', [1]), tensorValue('nowhere', 'float32', [1])],
    }) }));
    const ghost = p.valueNames.indexOf('ghost');
    assert.equal(p.valueKind[ghost], ValueKind.Missing);
    assert.equal(p.valueShapes[ghost], '?');
    const dangling = p.problems.find((x) => x.message.includes('ghost'))!;
    assert.deepEqual([dangling.node, dangling.value], [0, ghost]);
    const nowhere = p.valueNames.indexOf('nowhere');
    assert.equal(p.valueKind[nowhere], ValueKind.Missing);
    assert.ok(p.problems.some((x) => x.value === nowhere && x.node === -1));
    assert.ok(p.graphOutputs.includes(nowhere));
  });

  it('handles a model with 0 nodes', () => {
    const p = payloadOf(model({ graph: graph({ inputs: [tensorValue('x', 'float32', [1])], outputs: [tensorValue('x', 'float32', [1])] }) }));
    assert.equal(p.nodeCount, 0);
    assert.equal(p.groupCount, 1);
    assert.equal(p.nodeInputStart.length, 1);
  });

  it('prints shapes with ? for unknown dims and rank', () => {
    assert.equal(formatShape(['batch', 3, null]), '[batch, 3, ?]');
    assert.equal(formatShape([]), '[]');
    assert.equal(formatShape(null), '?');
  });

  // Its speed is a ratio in bench/hotPaths.bench.ts (payload vs the analysis it is built from).
  it('builds a 20k-node transformer: every node in the root group, layers as groups, no problem', function () {
    this.timeout(60_000);
    const m = readModelBytes(model(transformerLike({ nodes: 20000, shareWeights: true })), 'big.onnx');
    const p = buildGraphPayload(analyzeModel(m, 'big.onnx'), 'big.onnx', 'h');
    assert.ok(p.nodeCount >= 20000);
    assert.equal(p.groupNodeCount[0], p.nodeCount);
    assert.ok(p.groupCount > 100, 'layers and their sub-scopes become groups');
    assert.deepEqual(p.problems, []);
  });
});
