import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarizeModelFile } from '../../../src/core/modelAnalysis';
import { attr, graph, makeTempDir, node, rawTensor, tensor, tensorValue, writeModel, externalRef, model } from '../../fixtures/onnxBuilder';
import { oracle, requireOracle } from '../../fixtures/oracle';
import { LIGHT_MODEL_FILES, lightModel } from '../../fixtures/prerequisites';

const SAMPLE = path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx');

describe('model summary', () => {
  it('counts parameters in initializers and in Constant nodes of subgraphs, and the nodes of subgraphs', async () => {
    const branch = (v: number) => graph({
      name: `b${v}`, nodes: [node('Constant', [], [`c${v}`], { attrs: { value: tensor(`k${v}`, 'float32', [3], [v, v, v]) } })],
      outputs: [tensorValue(`c${v}`, 'float32', [3])],
    });
    const w = writeModel({
      graph: graph({
        inputs: [tensorValue('cond', 'bool', [])],
        initializers: [tensor('w', 'float16', [2, 5], new Array(10).fill(1))],
        nodes: [
          node('If', ['cond'], ['r'], { attrs: { then_branch: branch(1), else_branch: branch(2) } }),
          node('Constant', [], ['k'], { attrs: { value_ints: attr.ints([1, 2, 3, 4]) } }),
        ],
        outputs: [tensorValue('r', 'float32', [3])],
      }),
    });
    try {
      const s = await summarizeModelFile(w.modelPath);
      assert.equal(s.nodeCount, 2);
      assert.equal(s.nodeCountTotal, 4);
      assert.equal(s.subgraphCount, 2);
      assert.equal(s.parameterCount, 10 + 3 + 3 + 4);
      assert.equal(s.parameterBytes, 20 + 12 + 12 + 32);
      assert.deepEqual(s.inputs, [{ name: 'cond', elemType: 'bool', shape: [] }]);
      assert.deepEqual(s.problems, []);
    } finally {
      w.cleanup();
    }
  });

  it('does not list initializers that old exporters also declare as graph inputs', async () => {
    const w = writeModel({ irVersion: 3, opset: 9, graph: graph({
      inputs: [tensorValue('x', 'float32', [1, 2]), tensorValue('w', 'float32', [2, 2])],
      initializers: [tensor('w', 'float32', [2, 2], [1, 2, 3, 4])],
      nodes: [node('MatMul', ['x', 'w'], ['y'])], outputs: [tensorValue('y', 'float32', [1, 2])],
    }) });
    try {
      assert.deepEqual((await summarizeModelFile(w.modelPath)).inputs.map((i) => i.name), ['x']);
    } finally {
      w.cleanup();
    }
  });

  it('reports absurd dims, missing and escaping external data as errors without reading data', async () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const file = path.join(dir, 'bad.onnx');
      fs.writeFileSync(file, model({ graph: graph({
        initializers: [
          rawTensor('huge', 'float32', [1e15, 1e15], new Uint8Array(8)),
          externalRef('gone', 'float32', [4], { location: 'missing.bin', offset: 0, length: 16 }),
          externalRef('escape', 'float32', [4], { location: '../../etc/passwd', offset: 0, length: 16 }),
        ],
        outputs: [tensorValue('huge', 'float32', null)],
      }) }));
      const s = await summarizeModelFile(file);
      const errors = s.problems.filter((p) => p.severity === 'error').map((p) => p.message);
      assert.equal(errors.length, 3, errors.join('\n'));
      assert.match(errors[0], /'huge'.*(impossible number of elements|needs)/);
      assert.match(errors[1], /'gone'.*missing/);
      assert.match(errors[2], /'escape'.*outside the model's folder/);
    } finally {
      cleanup();
    }
  });

  describe('matches python3-onnx on real public models', function () {
    this.timeout(120_000);
    before(() => requireOracle());
    for (const name of [...LIGHT_MODEL_FILES, path.basename(SAMPLE)]) {
      it(`agrees on counts, I/O and opsets for ${name}`, async () => {
        const file = name === path.basename(SAMPLE) ? SAMPLE : lightModel(name);
        const [ours, ref] = await Promise.all([summarizeModelFile(file), oracle('summary', file)]);
        assert.equal(ours.irVersion, ref.irVersion);
        assert.deepEqual(ours.opsets, ref.opsets);
        assert.deepEqual(ours.producer, ref.producer);
        assert.equal(ours.nodeCount, ref.nodeCount);
        assert.equal(ours.nodeCountTotal, ref.nodeCountTotal);
        assert.deepEqual(ours.opCounts, ref.opCountsMainGraph);
        assert.equal(ours.parameterCount, ref.parameterCount);
        assert.equal(ours.parameterBytes, ref.parameterBytes);
        assert.equal(ours.initializerCount, ref.initializerCount + ref.sparseInitializerCount);
        assert.deepEqual(ours.metadata, ref.metadata);
        assert.deepEqual(ours.inputs, ref.inputs);
        assert.deepEqual(ours.outputs.map((o) => o.name), ref.outputs.map((o) => o.name));
      });
    }
  });
});
