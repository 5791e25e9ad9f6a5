/**
 * Models and datasets for the evaluation tests and bench, built by code: MLPs with seeded weights,
 * a logistic (binary) classifier, a linear regressor, an argmax "classifier" with no scores, and
 * CSV/JSONL writers for their data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNpy } from '../../../src/core/data/npy';
import { graph, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';

/** A small seeded generator (LCG), so fixtures repeat. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

function normal(next: () => number): number {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * A ReLU MLP `sizes[0] → … → sizes[last]` with Gemm layers (He-scaled seeded weights) and a
 * Softmax: input 'input' float32 [batch, sizes[0]], output 'probabilities' [batch, classes].
 */
export function mlpModel(dir: string, sizes: readonly number[], fileName: string, seed = 1): string {
  const next = rng(seed);
  const nodes = [];
  const initializers = [];
  let x = 'input';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const scale = Math.sqrt(2 / fanIn);
    initializers.push(tensor(`W${l}`, 'float32', [fanIn, fanOut], Array.from({ length: fanIn * fanOut }, () => normal(next) * scale)));
    initializers.push(tensor(`b${l}`, 'float32', [fanOut], Array.from({ length: fanOut }, () => 0.01)));
    const y = `h${l}`;
    nodes.push(node('Gemm', [x, `W${l}`, `b${l}`], [y], { name: `/fc${l + 1}/Gemm` }));
    x = y;
    if (l + 2 < sizes.length) {
      nodes.push(node('Relu', [y], [`${y}_relu`], { name: `/fc${l + 1}/Relu` }));
      x = `${y}_relu`;
    }
  }
  nodes.push(node('Softmax', [x], ['probabilities'], { name: '/head/Softmax', attrs: { axis: -1 } }));
  return writeModel({
    graph: graph({
      inputs: [tensorValue('input', 'float32', ['batch', sizes[0]])],
      nodes,
      initializers,
      outputs: [tensorValue('probabilities', 'float32', ['batch', sizes[sizes.length - 1]])],
    }),
  }, { dir, fileName }).modelPath;
}

/**
 * A binary logistic classifier on two features: P(class 1) = σ(w·x + b), emitted as two columns
 * [1 − p, p] by a Softmax over logits [0, w·x + b]. Input 'x' [batch, 2]; output 'probabilities'.
 */
export function logisticModel(dir: string, w: [number, number], b: number, fileName = 'logistic.onnx'): string {
  return writeModel({
    graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', 2])],
      initializers: [tensor('W', 'float32', [2, 2], [0, w[0], 0, w[1]]), tensor('B', 'float32', [2], [0, b])],
      nodes: [node('Gemm', ['x', 'W', 'B'], ['logits'], { name: 'linear' }), node('Softmax', ['logits'], ['probabilities'], { name: 'softmax', attrs: { axis: -1 } })],
      outputs: [tensorValue('probabilities', 'float32', ['batch', 2])],
    }),
  }, { dir, fileName }).modelPath;
}

/** y = x·w + b: input 'x' [batch, w.length], output 'y' [batch, 1]. */
export function linearModel(dir: string, w: readonly number[], b: number, fileName = 'linear.onnx'): string {
  return writeModel({
    graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', w.length])],
      initializers: [tensor('W', 'float32', [w.length, 1], [...w]), tensor('B', 'float32', [1], [b])],
      nodes: [node('Gemm', ['x', 'W', 'B'], ['y'], { name: 'linear' })],
      outputs: [tensorValue('y', 'float32', ['batch', 1])],
    }),
  }, { dir, fileName }).modelPath;
}

/** Predicts the index of the largest feature, as int64 only (no scores): input 'x' [batch, k], output 'label' [batch]. */
export function argmaxModel(dir: string, k: number, fileName = 'argmax.onnx'): string {
  return writeModel({
    graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', k])],
      nodes: [node('ArgMax', ['x'], ['label'], { name: 'argmax', attrs: { axis: 1, keepdims: 0 } })],
      outputs: [tensorValue('label', 'int64', ['batch'])],
    }),
  }, { dir, fileName }).modelPath;
}

/** Writes a CSV with header `names` and the given rows. */
export function writeCsv(file: string, names: readonly string[], rows: readonly (readonly (number | string)[])[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${[names.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`);
  return file;
}

/** `rows` rows of the digits CSV (header kept), repeating its data rows in order. */
export function repeatCsv(source: string, target: string, rows: number): string {
  const [header, ...data] = fs.readFileSync(source, 'utf8').trim().split('\n');
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(data[i % data.length]);
  fs.writeFileSync(target, `${lines.join('\n')}\n`);
  return target;
}

/** A CSV of `rows` samples of `features` seeded integers 0..255 (image-like) and a label < classes. */
export function syntheticImageCsv(file: string, rows: number, features: number, classes: number, seed = 3): string {
  const next = rng(seed);
  const out = fs.openSync(file, 'w');
  try {
    fs.writeSync(out, `${[...Array.from({ length: features }, (_, i) => `p${i}`), 'label'].join(',')}\n`);
    for (let r = 0; r < rows; r++) {
      const cells = new Array<number>(features + 1);
      for (let f = 0; f < features; f++) cells[f] = Math.floor(next() * 256);
      cells[features] = Math.floor(next() * classes);
      fs.writeSync(out, `${cells.join(',')}\n`);
    }
  } finally {
    fs.closeSync(out);
  }
  return file;
}

/**
 * x.npy (`rows` × `features` float32, seeded integers 0..max) and y.npy (int64 classes < `classes`)
 * in `dir`, which it creates; returns x.npy.
 */
export function npyPair(dir: string, rows: number, features: number, classes: number, max: number, seed = 3): string {
  fs.mkdirSync(dir, { recursive: true });
  const next = rng(seed);
  const x = Float32Array.from({ length: rows * features }, () => Math.floor(next() * (max + 1)));
  const y = BigInt64Array.from({ length: rows }, (_, i) => BigInt(i % classes));
  fs.writeFileSync(path.join(dir, 'x.npy'), encodeNpy({ dtype: 'float32', shape: [rows, features], data: x }));
  fs.writeFileSync(path.join(dir, 'y.npy'), encodeNpy({ dtype: 'int64', shape: [rows], data: y }));
  return path.join(dir, 'x.npy');
}
