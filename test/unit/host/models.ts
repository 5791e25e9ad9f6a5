/** Models for the host layer's tests, built by code. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graph, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';

/**
 * Two MatMuls to one float output, with a CSV whose `label` column holds real numbers: it quantizes
 * and compares, but cannot be evaluated as a classifier (a label of 0.37 is no class index).
 */
export function regressionModel(dir: string): { model: string; data: string } {
  const w = Float32Array.from({ length: 16 }, (_, i) => (i % 5) * 0.1 - 0.2);
  const { modelPath } = writeModel({
    opset: 17,
    graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', 4])],
      outputs: [tensorValue('y', 'float32', ['batch', 1])],
      nodes: [node('MatMul', ['x', 'W'], ['h'], { name: '/fc1/MatMul' }), node('MatMul', ['h', 'W2'], ['y'], { name: '/fc2/MatMul' })],
      initializers: [tensor('W', 'float32', [4, 4], w), tensor('W2', 'float32', [4, 1], Float32Array.from([0.3, -0.1, 0.2, 0.5]))],
    }),
  }, { dir, fileName: 'reg.onnx' });
  const data = path.join(dir, 'reg.csv');
  const rows = Array.from({ length: 40 }, (_, i) => `${i % 3},${i % 5},${i % 7},${i % 2},${(i * 0.37).toFixed(2)}`);
  fs.writeFileSync(data, `a,b,c,d,label\n${rows.join('\n')}\n`);
  return { model: modelPath, data };
}
