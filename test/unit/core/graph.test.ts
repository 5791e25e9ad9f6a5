import * as assert from 'node:assert/strict';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { graph, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';
import type { onnx } from 'onnx-proto';

const build = (spec: Parameters<typeof graph>[0]) => buildGraph(readModelBytes(model({ graph: graph(spec) })).info.graph);
const x = tensorValue('x', 'float32', ['batch', 4]);

describe('graph model', () => {
  it('links every value to its producer and consumers by identity', () => {
    const g = build({
      inputs: [x], initializers: [tensor('w', 'float32', [4, 4], new Float32Array(16))],
      nodes: [node('MatMul', ['x', 'w'], ['h'], { name: 'mm' }), node('Relu', ['h'], ['y'], { name: 'relu' }), node('Add', ['h', 'y'], ['z'], { name: 'add' })],
      outputs: [tensorValue('z', 'float32', null)],
    });
    assert.deepEqual(g.inputs, ['x']);
    const h = g.values.get('h')!;
    assert.equal(g.nodes[h.producer].name, 'mm');
    assert.deepEqual(h.consumers.map((i) => g.nodes[i].name), ['relu', 'add']);
    assert.equal(g.values.get('w')!.kind, 'initializer');
    assert.equal(g.values.get('z')!.isGraphOutput, true);
    assert.deepEqual(g.problems, []);
  });

  it('orders nodes topologically even when the file lists them out of order', () => {
    const g = build({
      inputs: [x],
      nodes: [node('Relu', ['a'], ['b'], { name: 'second' }), node('Abs', ['x'], ['a'], { name: 'first' })],
      outputs: [tensorValue('b', 'float32', null)],
    });
    assert.deepEqual(g.order.map((i) => g.nodes[i].name), ['first', 'second']);
  });

  it('reports a cycle once, names a node on it, and still orders every node', () => {
    const g = build({
      inputs: [x],
      nodes: [node('Add', ['x', 'c'], ['a'], { name: 'n1' }), node('Relu', ['a'], ['b'], { name: 'n2' }), node('Abs', ['b'], ['c'], { name: 'n3' })],
      outputs: [tensorValue('c', 'float32', null)],
    });
    assert.equal(g.problems.length, 1);
    assert.equal(g.problems[0].code, 'cycle');
    assert.match(g.problems[0].message, /cycle.*'n1'/);
    assert.equal(g.order.length, 3);
  });

  it('marks a dangling input without dropping the node', () => {
    const g = build({ inputs: [x], nodes: [node('Add', ['x', 'ghost'], ['y'], { name: 'add' })], outputs: [tensorValue('y', 'float32', null)] });
    assert.equal(g.nodes.length, 1);
    assert.deepEqual(g.problems.map((p) => [p.code, p.value]), [['dangling-input', 'ghost']]);
    assert.match(g.problems[0].message, /node 'add' \(Add\) reads 'ghost'/);
  });

  it('reports a value produced twice and an output nobody produces', () => {
    const g = build({
      inputs: [x], nodes: [node('Relu', ['x'], ['y'], { name: 'a' }), node('Abs', ['x'], ['y'], { name: 'b' })],
      outputs: [tensorValue('y', 'float32', null), tensorValue('nope', 'float32', null)],
    });
    assert.deepEqual(g.problems.map((p) => p.code).sort(), ['duplicate-output', 'missing-output']);
  });

  it('treats an empty input name as an omitted optional input, not a dangling one', () => {
    const g = build({ inputs: [x], nodes: [node('Clip', ['x', '', ''], ['y'])], outputs: [tensorValue('y', 'float32', null)] });
    assert.deepEqual(g.problems, []);
  });

  it('resolves subgraph reads of outer values and makes the If node depend on them', () => {
    const body = (name: string): onnx.GraphProto => graph({ name, nodes: [node('Relu', ['h'], [`${name}_out`])], outputs: [tensorValue(`${name}_out`, 'float32', null)] });
    const g = build({
      inputs: [x, tensorValue('cond', 'bool', [])],
      nodes: [
        node('If', ['cond'], ['r'], { name: 'if', attrs: { then_branch: body('then'), else_branch: body('else') } }),
        node('Abs', ['x'], ['h'], { name: 'abs' }),
      ],
      outputs: [tensorValue('r', 'float32', null)],
    });
    assert.deepEqual(g.problems, []);
    const ifNode = g.nodes.find((n) => n.opType === 'If')!;
    assert.equal(ifNode.subgraphs.length, 2);
    assert.equal(ifNode.subgraphs[0].graph.values.get('h')!.kind, 'outer');
    assert.deepEqual(g.order.map((i) => g.nodes[i].name), ['abs', 'if']);
  });

  it('takes name scopes from /-separated names and strips a prefix every node shares', () => {
    const g = build({
      inputs: [x],
      nodes: [
        node('Relu', ['x'], ['a'], { name: 'model/encoder/layer.0/Relu' }),
        node('Abs', ['a'], ['b'], { name: 'model/encoder/layer.1/Abs' }),
        node('Neg', ['b'], ['c'], { name: 'model/head/Neg' }),
      ],
      outputs: [tensorValue('c', 'float32', null)],
    });
    assert.deepEqual(g.nodes.map((n) => n.scope), [['encoder', 'layer.0'], ['encoder', 'layer.1'], ['head']]);
  });

  it('groups unnamed graphs into blocks cut where a single tensor is live', () => {
    // Eight residual blocks: Relu -> Abs -> Add(skip); between blocks only one tensor is live.
    const nodes: onnx.NodeProto[] = [];
    let cur = 'x';
    for (let b = 0; b < 8; b++) {
      nodes.push(node('Relu', [cur], [`r${b}`]), node('Abs', [`r${b}`], [`a${b}`]), node('Add', [`a${b}`, cur], [`s${b}`]));
      cur = `s${b}`;
    }
    const g = build({ inputs: [x], nodes, outputs: [tensorValue(cur, 'float32', null)] });
    const blocks = new Set(g.nodes.map((n) => n.scope.join('/')));
    assert.equal(blocks.size, 8);
    assert.deepEqual(g.nodes.slice(0, 3).map((n) => n.scope), [['Relu ×8', 'block 1'], ['Relu ×8', 'block 1'], ['Relu ×8', 'block 1']]);
    assert.deepEqual(g.nodes.at(-1)!.scope, ['Relu ×8', 'block 8']);
  });

  it('names invented blocks by their op pattern, and a pattern that comes back later separately', () => {
    // A plain chain: (Conv·BN·Relu) ×2, Conv·BN·Relu·MaxPool, three times.
    const nodes: onnx.NodeProto[] = [];
    let cur = 'x';
    let k = 0;
    const conv = (pool: boolean) => {
      nodes.push(node('Conv', [cur], [`c${k}`]), node('BatchNormalization', [`c${k}`], [`n${k}`]), node('Relu', [`n${k}`], [`r${k}`]));
      cur = `r${k}`;
      if (pool) nodes.push(node('MaxPool', [cur], [(cur = `p${k}`)]));
      k++;
    };
    for (let stage = 0; stage < 3; stage++) { conv(false); conv(false); conv(true); }
    const g = build({ inputs: [x], nodes, outputs: [tensorValue(cur, 'float32', null)] });
    const scopes = [...new Set(g.nodes.map((n) => n.scope.join(' / ')))];
    assert.deepEqual(scopes, [
      'Conv·BN·Relu ×2 / block 1', 'Conv·BN·Relu ×2 / block 2', 'Conv·BN·Relu·MaxPool',
      'Conv·BN·Relu ×2 (2) / block 1', 'Conv·BN·Relu ×2 (2) / block 2', 'Conv·BN·Relu·MaxPool (2)',
      'Conv·BN·Relu ×2 (3) / block 1', 'Conv·BN·Relu ×2 (3) / block 2', 'Conv·BN·Relu·MaxPool (3)',
    ]);
  });

  it('puts constant-producing nodes in the scope of the layer that uses them', () => {
    const g = build({
      inputs: [x], initializers: [tensor('shape', 'int64', [2], [4n, 4n])],
      nodes: [
        node('ConstantOfShape', ['shape'], ['w']),
        node('MatMul', ['x', 'w'], ['y'], { name: '/fc1/MatMul' }),
        node('Relu', ['y'], ['z'], { name: '/act/Relu' }),
      ],
      outputs: [tensorValue('z', 'float32', null)],
    });
    assert.deepEqual(g.nodes[0].scope, ['fc1']);
  });
});
