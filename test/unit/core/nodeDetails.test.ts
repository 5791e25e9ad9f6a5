import * as assert from 'node:assert/strict';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { nodeDetails, paramName } from '../../../src/core/nodeDetails';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { attr, graph, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';

function analysed(bytes: Uint8Array) {
  const m = readModelBytes(bytes, 'test.onnx');
  const a = analyzeModel(m, 'test.onnx');
  const payload = buildGraphPayload(a, 'test.onnx', 'hash');
  return { a, payload, ids: new Map(payload.valueNames.map((n, i) => [n, i])) };
}

describe('node details', () => {
  const conv = () => analysed(model({ opset: 13, graph: graph({
    inputs: [tensorValue('image', 'float32', ['batch', 3, 8, 8])],
    initializers: [
      tensor('conv.weight', 'float32', [4, 3, 3, 3], Array.from({ length: 108 }, (_, i) => i / 10)),
      tensor('conv.bias', 'float32', [4], [0.5, 0, 0, 0]),
    ],
    nodes: [node('Conv', ['image', 'conv.weight', 'conv.bias'], ['features'], {
      name: 'stem/conv',
      attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], auto_pad: 'NOTSET', epsilon_like: attr.float(0.1) },
    })],
    outputs: [tensorValue('features', 'float32', ['batch', 4, 8, 8])],
  }) }));

  it('describes a Conv: schema doc for the opset, attributes printed, inputs named X/W/B with shapes', () => {
    const { a, ids } = conv();
    const d = nodeDetails(a, 0, ids);
    assert.equal(d.name, 'stem/conv');
    assert.equal(d.opType, 'Conv');
    assert.ok(d.schema, 'Conv has a schema');
    assert.equal(d.schema.sinceVersion, 11);
    assert.match(d.schema.doc, /convolution/i);
    assert.equal(d.schema.beyondKnownOpset, false);
    assert.ok(d.schema.attributes.some((x) => x.name === 'group' && x.default === '1'));
    assert.deepEqual(
      d.attributes.map((x) => [x.name, x.type, x.value]),
      [['kernel_shape', 'ints', '[3, 3]'], ['pads', 'ints', '[1, 1, 1, 1]'], ['strides', 'ints', '[1, 1]'], ['auto_pad', 'string', '"NOTSET"'], ['epsilon_like', 'float', '0.1']],
    );
    assert.deepEqual(d.inputs.map((i) => [i.param, i.name, i.elemType, i.shape, i.isInitializer]), [
      ['X', 'image', 'float32', '[batch, 3, 8, 8]', false],
      ['W', 'conv.weight', 'float32', '[4, 3, 3, 3]', true],
      ['B', 'conv.bias', 'float32', '[4]', true],
    ]);
    assert.equal(d.inputs[1].valueId, ids.get('conv.weight'));
    assert.deepEqual(d.outputs.map((o) => [o.param, o.name, o.shape]), [['Y', 'features', '[batch, 4, 8, 8]']]);
    assert.equal(d.parameters, 108 + 4);
    // 4 output channels × 8×8 positions × 3×3×3 kernel, batch counted as 1.
    assert.equal(d.macs, 4 * 64 * 27);
    assert.deepEqual(d.subgraphs, []);
  });

  it('summarises tensor attributes with their first values and graphs with node counts', () => {
    const body = graph({ name: 'then', nodes: [node('Constant', [], ['c'], { attrs: { value: tensor('ct', 'float32', [], [1]) } })], outputs: [tensorValue('c', 'float32', [])] });
    const { a, ids } = analysed(model({ graph: graph({
      inputs: [tensorValue('cond', 'bool', [])],
      nodes: [
        node('Constant', [], ['k'], { attrs: { value: tensor('kt', 'float32', [3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]) } }),
        node('If', ['cond'], ['r'], { attrs: { then_branch: body, else_branch: body } }),
      ],
      outputs: [tensorValue('r', 'float32', [])],
    }) }));
    assert.deepEqual(nodeDetails(a, 0, ids).attributes, [{ name: 'value', type: 'tensor', value: 'float32[3, 3] = [1, 2, 3, 4, 5, 6, 7, 8, 9]' }]);
    const ifNode = nodeDetails(a, 1, ids);
    assert.equal(ifNode.attributes[0].value, "graph 'then' (1 node)");
    assert.deepEqual(ifNode.subgraphs, [{ attribute: 'then_branch', nodeCount: 1 }, { attribute: 'else_branch', nodeCount: 1 }]);
  });

  it('numbers the actual inputs of a variadic parameter and marks omitted optional inputs', () => {
    const { a, ids } = analysed(model({ graph: graph({
      inputs: ['a', 'b', 'c'].map((n) => tensorValue(n, 'float32', [2])),
      nodes: [node('Concat', ['a', 'b', 'c'], ['y'], { attrs: { axis: 0 } }), node('Clip', ['y', '', ''], ['z'])],
      outputs: [tensorValue('z', 'float32', [6])],
    }) }));
    assert.deepEqual(nodeDetails(a, 0, ids).inputs.map((i) => i.param), ['inputs[0]', 'inputs[1]', 'inputs[2]']);
    const clip = nodeDetails(a, 1, ids).inputs;
    assert.deepEqual(clip.map((i) => [i.param, i.valueId]), [['input', ids.get('y')], ['min', -1], ['max', -1]]);
    assert.equal(paramName([], 0, 1), '');
  });

  it('has no schema for ops outside the known domains, and refuses a node index out of range', () => {
    const { a, ids } = analysed(model({ opsets: { 'com.example': 1 }, graph: graph({
      inputs: [tensorValue('x', 'float32', [2])],
      nodes: [node('Mystery', ['x'], ['y'], { domain: 'com.example' })],
      outputs: [tensorValue('y', 'float32', [2])],
    }) }));
    assert.equal(nodeDetails(a, 0, ids).schema, null);
    assert.throws(() => nodeDetails(a, 5, ids), /no node #5/);
  });
});
