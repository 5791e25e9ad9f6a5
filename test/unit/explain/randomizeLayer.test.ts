/**
 * The sanity check's model: the sample MLP with its last Gemm's weights randomised (seeded, same
 * mean and spread) still loads in onnxruntime, gives other scores, leaves the file alone, and
 * a model without a constant-weight layer says why.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readModelFile } from '../../../src/core/onnx/reader';
import { randomizeLastLayer } from '../../../src/core/explain/randomizeLayer';
import { graph, makeTempDir, node, tensorValue, writeModel } from '../../fixtures/onnxBuilder';

const SAMPLE = path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx');

describe('randomising the last layer (sanity check)', () => {
  it('replaces the last Gemm\'s weights of the sample with seeded numbers of the same spread', async () => {
    const before = fs.readFileSync(SAMPLE);
    const model = readModelFile(SAMPLE);
    const a = randomizeLastLayer(model, 1);
    const b = randomizeLastLayer(model, 1);
    model.close();
    assert.ok(typeof a !== 'string' && typeof b !== 'string');
    assert.equal(a.node, '/fc3/Gemm');
    assert.equal(a.weight, 'fc3.weight');
    assert.deepEqual(a.bytes, b.bytes, 'seeded');
    assert.deepEqual(fs.readFileSync(SAMPLE), before, 'the model file is untouched');
    const x = new ort.Tensor('float32', Float32Array.from({ length: 64 }, (_, i) => i % 17), [1, 64]);
    const original = await ort.InferenceSession.create(SAMPLE);
    const randomized = await ort.InferenceSession.create(a.bytes);
    const p = (await original.run({ input: x })).probabilities.data as Float32Array;
    const q = (await randomized.run({ input: x })).probabilities.data as Float32Array;
    assert.ok(p.some((v, i) => Math.abs(v - q[i]) > 1e-3), 'other scores');
    await original.release();
    await randomized.release();
  });

  it('says why when no layer has constant weights', () => {
    const { dir, cleanup } = makeTempDir('onnx-lens-randomize-');
    try {
      const file = writeModel({ graph: graph({ inputs: [tensorValue('x', 'float32', [2, 2]), tensorValue('w', 'float32', [2, 2])], nodes: [node('MatMul', ['x', 'w'], ['y'])], outputs: [tensorValue('y', 'float32', [2, 2])] }) }, { dir }).modelPath;
      const model = readModelFile(file);
      const why = randomizeLastLayer(model);
      model.close();
      assert.equal(typeof why, 'string');
      assert.match(why as string, /cannot be randomised: its weight is computed at run time/);
    } finally {
      cleanup();
    }
  });
});
