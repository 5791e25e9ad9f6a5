import * as assert from 'node:assert/strict';
import { onnx } from 'onnx-proto';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { fn, graph, modelProto, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';

/** The default domain written out as 'ai.onnx' everywhere a file can name a domain. */
function spelledOut(): Uint8Array {
  const m = modelProto({
    graph: graph({
      inputs: [tensorValue('x', 'float32', [1, 4])],
      nodes: [
        node('Constant', [], ['W'], { domain: 'ai.onnx', attrs: { value: tensor('W', 'float32', [4, 3], new Array(12).fill(0.5)) } }),
        node('Gemm', ['x', 'W'], ['y'], { domain: 'ai.onnx' }),
      ],
      outputs: [tensorValue('y', 'float32', [1, 3])],
    }),
    // A model-local function declared in the spelled-out domain (not called: only its domains matter here).
    functions: [fn({ name: 'Twice', domain: 'ai.onnx', inputs: ['a'], outputs: ['b'], nodes: [node('Add', ['a', 'a'], ['b'], { domain: 'ai.onnx' })], opsets: { 'ai.onnx': 13 } })],
  });
  m.opsetImport = [{ domain: 'ai.onnx', version: 13 }];
  return onnx.ModelProto.encode(m).finish();
}

describe("the default domain: '' however the file spells it", () => {
  it("reads 'ai.onnx' as '' in opset imports, nodes, functions and their imports", () => {
    const info = readModelBytes(spelledOut()).info;
    assert.deepEqual(info.opsets, [{ domain: '', version: 13 }]);
    assert.deepEqual(info.graph.nodes.map((n) => n.domain), ['', '']);
    assert.deepEqual([info.functions[0].domain, info.functions[0].opsets[0].domain, info.functions[0].nodes[0].domain], ['', '', '']);
  });

  it('summarises, counts parameters and MACs as for a file that writes nothing', () => {
    const { summary, inference } = analyzeModel(readModelBytes(spelledOut()), 'spelled-out.onnx');
    assert.deepEqual(summary.opsets, { '': 13 });
    assert.deepEqual(Object.keys(summary.opCounts).sort(), ['Constant', 'Gemm']);
    assert.equal(summary.parameterCount, 12, 'the Constant weight counts as parameters');
    assert.equal(summary.macs, 12, 'Gemm 1×4 · 4×3 has its MACs');
    assert.deepEqual(inference.types.get('y')?.shape, [1, 3]);
  });
});
