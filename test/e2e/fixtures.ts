/**
 * Writes the e2e workspace's generated bad-input models into the folder given as argv[2]
 * (run by scripts/vscode/run-e2e.mjs through tsx; the builder is TypeScript).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graph, model, node, tensor, tensorValue } from '../fixtures/onnxBuilder';

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) throw new Error('usage: fixtures.ts <existing folder>');

// A graph with inputs and outputs but no nodes: the output is the input passed straight through.
fs.writeFileSync(path.join(dir, 'no-nodes.onnx'), model({ graph: graph({
  inputs: [tensorValue('x', 'float32', ['batch', 4])],
  outputs: [tensorValue('x', 'float32', ['batch', 4])],
}) }));

// A node reads 'ghost', which nothing provides; the rest of the graph is fine.
fs.writeFileSync(path.join(dir, 'dangling.onnx'), model({ graph: graph({
  inputs: [tensorValue('x', 'float32', ['batch', 4])],
  initializers: [tensor('w', 'float32', [4, 4], new Float32Array(16).fill(0.5))],
  nodes: [
    node('MatMul', ['x', 'w'], ['h'], { name: '/fc/MatMul' }),
    node('Add', ['h', 'ghost'], ['y'], { name: '/fc/Add' }),
    node('Relu', ['y'], ['out'], { name: '/act/Relu' }),
  ],
  outputs: [tensorValue('out', 'float32', ['batch', 4])],
}) }));
