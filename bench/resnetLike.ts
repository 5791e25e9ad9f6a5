/**
 * A ResNet-like CNN for the explanation benchmark, generated: the ResNet-18 layout (7×7/2 stem,
 * max pool, four stages of two residual basic blocks at 64–512 channels, global average pool,
 * 1000-way Gemm and Softmax) on 224×224 RGB with a free batch dim, He-initialised from a seed.
 * The onnx-light ResNet-50 has a batch of 1 fixed in its graph, which would make every loop batch 1.
 */
import { fillNormals, mulberry32 } from '../src/core/random';
import { graph, node, tensor, tensorValue, writeModel } from '../test/fixtures/onnxBuilder';
import type { onnx } from 'onnx-proto';

export function resnetLike(dir: string): string {
  const rand = mulberry32(18);
  const inits: onnx.TensorProto[] = [];
  const nodes: onnx.NodeProto[] = [];
  let n = 0;
  const weight = (dims: number[], fanIn: number) => {
    const name = `w${n++}`;
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    fillNormals(values, rand, Math.sqrt(2 / fanIn));
    inits.push(tensor(name, 'float32', dims, values));
    return name;
  };
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, relu: boolean) => {
    const y = `t${n++}`;
    const b = `b${n++}`;
    inits.push(tensor(b, 'float32', [cout], new Float32Array(cout)));
    nodes.push(node('Conv', [x, weight([cout, cin, k, k], cin * k * k), b], [y], { attrs: { kernel_shape: [k, k], strides: [stride, stride], pads: Array(4).fill(Math.floor(k / 2)) } }));
    if (!relu) return y;
    nodes.push(node('Relu', [y], [`${y}r`]));
    return `${y}r`;
  };
  let x = conv('image', 3, 64, 7, 2, true);
  nodes.push(node('MaxPool', [x], ['pool'], { attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } }));
  x = 'pool';
  let cin = 64;
  for (const [stage, cout] of [64, 128, 256, 512].entries()) {
    for (let block = 0; block < 2; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const skip = stride === 1 && cin === cout ? x : conv(x, cin, cout, 1, stride, false);
      const h = conv(conv(x, cin, cout, 3, stride, true), cout, cout, 3, 1, false);
      const sum = `s${n++}`;
      nodes.push(node('Add', [h, skip], [sum]), node('Relu', [sum], [`${sum}r`]));
      x = `${sum}r`;
      cin = cout;
    }
  }
  nodes.push(node('GlobalAveragePool', [x], ['gap']), node('Flatten', ['gap'], ['flat']));
  inits.push(tensor('fc.bias', 'float32', [1000], new Float32Array(1000)));
  nodes.push(node('Gemm', ['flat', weight([1000, 512], 512), 'fc.bias'], ['logits'], { attrs: { transB: 1 } }), node('Softmax', ['logits'], ['probabilities'], { attrs: { axis: 1 } }));
  return writeModel({
    opset: 17,
    graph: graph({ name: 'resnet_like', inputs: [tensorValue('image', 'float32', ['N', 3, 224, 224])], initializers: inits, nodes, outputs: [tensorValue('probabilities', 'float32', ['N', 1000])] }),
  }, { dir, fileName: 'resnet-like.onnx' }).modelPath;
}
