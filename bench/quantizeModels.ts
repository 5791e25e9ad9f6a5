/**
 * Generated MLPs for timing quantization by model size: `layers` square MatMul layers of width
 * `width` with seeded weights, written with external data or inline. No training: these measure
 * time and size, not accuracy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ElemType } from '../src/core/onnx/elemTypes';
import { GraphRewriter } from '../src/core/quantize/graphRewriter';
import { writeModelFile } from '../src/core/onnx/write/writeModel';
import { readModelBytes } from '../src/core/onnx/reader';
import { graph, model, node, tensorValue } from '../test/fixtures/onnxBuilder';

/** Writes an MLP of about `megabytes` MB (float32 weights) to `file` and returns its size in bytes. */
export function writeTimingMlp(file: string, megabytes: number, width = 1024): number {
  const layers = Math.max(1, Math.round((megabytes * 1024 * 1024) / (width * width * 4)));
  const nodes = [];
  for (let l = 0; l < layers; l++) {
    const x = l === 0 ? 'input' : `h${l - 1}`;
    nodes.push(node('MatMul', [x, `w${l}`], [`m${l}`], { name: `/fc${l}/MatMul` }));
    nodes.push(node('Relu', [`m${l}`], [l === layers - 1 ? 'output' : `h${l}`], { name: `/fc${l}/Relu` }));
  }
  // The skeleton through the builder; the weights added with our writer (as raw_data), so no
  // 100 MB protobufjs encode is timed or needed.
  const skeleton = model({ graph: graph({ inputs: [tensorValue('input', 'float32', ['batch', width])], nodes, outputs: [tensorValue('output', 'float32', ['batch', width])] }) });
  const m = readModelBytes(skeleton, 'skeleton.onnx', path.dirname(file));
  const ed = new GraphRewriter(m);
  let s = 12345;
  for (let l = 0; l < layers; l++) {
    const w = new Float32Array(width * width);
    for (let i = 0; i < w.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      w[i] = (s / 4294967296 - 0.5) * (2 * Math.sqrt(3 / width));
    }
    ed.addInitializer({ name: `w${l}`, elemType: ElemType.FLOAT, dims: [width, width], data: new Uint8Array(w.buffer) }, false);
  }
  fs.rmSync(file, { force: true });
  writeModelFile(m, ed.finish(), file, { externalData: 'never' });
  return fs.statSync(file).size;
}
