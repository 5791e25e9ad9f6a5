/**
 * Models and data for the quantization tests and bench: the bundled digits sample, and a
 * generated ~6 MB MLP on the same digits data. The MLP's hidden layers are random (seeded) and
 * its last layer is fitted by ridge regression on the training split, so its logits are a real
 * classifier's (margins and all) without a training loop: 64 → 1024 → 1280 → 10, ReLU, ~96% test accuracy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededNormals } from '../../../src/core/quantize/samples';
import { attr, graph, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';

export const ROOT = path.resolve(__dirname, '../../..');
export const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
export const DIGITS_TEST = path.join(ROOT, 'media/sample/digits-test.csv');
export const DIGITS_TRAIN = path.join(ROOT, 'media/sample/digits-train.csv');

export interface Digits {
  x: Float32Array;
  labels: Int32Array;
  count: number;
}

export function readDigits(file: string): Digits {
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const x = new Float32Array(rows.length * 64);
  rows.forEach((r, i) => x.set(r.slice(0, 64), i * 64));
  return { x, labels: Int32Array.from(rows, (r) => r[64]), count: rows.length };
}

/** Seeded normal numbers (the quantize core's generator, also behind its random comparison inputs). */
export const normals = seededNormals;

/** y = relu(x · W + b) for row-major x [n, k], W [k, m]. */
function denseRelu(x: Float64Array, n: number, k: number, w: Float32Array, b: Float32Array, m: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = y.subarray(i * m, (i + 1) * m);
    row.set(b);
    for (let j = 0; j < k; j++) {
      const v = x[i * k + j];
      if (v === 0) continue;
      const wr = j * m;
      for (let c = 0; c < m; c++) row[c] += v * w[wr + c];
    }
    for (let c = 0; c < m; c++) if (row[c] < 0) row[c] = 0;
  }
  return y;
}

/** Solves (A + λI) X = B for symmetric positive definite A [d, d] and B [d, c] (Cholesky). */
function ridgeSolve(a: Float64Array, b: Float64Array, d: number, c: number, lambda: number): Float64Array {
  for (let i = 0; i < d; i++) a[i * d + i] += lambda;
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= a[j * d + k] * a[j * d + k];
    const l = Math.sqrt(s);
    a[j * d + j] = l;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / l;
    }
  }
  const x = new Float64Array(b);
  for (let col = 0; col < c; col++) {
    for (let i = 0; i < d; i++) {
      let t = x[i * c + col];
      for (let k = 0; k < i; k++) t -= a[i * d + k] * x[k * c + col];
      x[i * c + col] = t / a[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = x[i * c + col];
      for (let k = i + 1; k < d; k++) t -= a[k * d + i] * x[k * c + col];
      x[i * c + col] = t / a[i * d + i];
    }
  }
  return x;
}

/**
 * Writes the ~6 MB digits MLP into `dir` (as `digits-mlp-6mb.onnx`) and returns its path. Layers
 * are MatMul + Add (the PyTorch export shape) for the first and Gemm for the others, so both
 * rewrites are exercised. Deterministic: the same bytes every time.
 */
export function writeDigitsMlp6mb(dir: string, hidden: [number, number] = [1024, 1280]): string {
  const train = readDigits(DIGITS_TRAIN);
  const [h1, h2] = hidden;
  const mean = new Float32Array(64);
  const invStd = new Float32Array(64);
  for (let j = 0; j < 64; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < train.count; i++) {
      const v = train.x[i * 64 + j];
      s += v;
      s2 += v * v;
    }
    const m = s / train.count;
    mean[j] = m;
    invStd[j] = 1 / Math.sqrt(Math.max(s2 / train.count - m * m, 1e-2));
  }
  const w1 = normals(11, 64 * h1, Math.sqrt(2 / 64));
  const b1 = normals(12, h1, 0.5);
  const w2 = normals(13, h1 * h2, Math.sqrt(2 / h1));
  const b2 = normals(14, h2, 0.1);
  const x0 = new Float64Array(train.count * 64);
  for (let i = 0; i < x0.length; i++) x0[i] = (train.x[i] - mean[i % 64]) * invStd[i % 64];
  const f1 = denseRelu(x0, train.count, 64, w1, b1, h1);
  const f2 = denseRelu(f1, train.count, h1, w2, b2, h2);
  // Ridge: (FᵀF + λI) W = Fᵀ(one-hot − 0.1), with a bias through a centred target.
  const d = h2;
  const ftf = new Float64Array(d * d);
  const fty = new Float64Array(d * 10);
  for (let i = 0; i < train.count; i++) {
    const row = f2.subarray(i * d, (i + 1) * d);
    for (let a = 0; a < d; a++) {
      const v = row[a];
      if (v === 0) continue;
      const base = a * d;
      for (let b = 0; b <= a; b++) ftf[base + b] += v * row[b];
      fty[a * 10 + train.labels[i]] += v;
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) {
    trace += ftf[a * d + a];
    for (let b = 0; b < a; b++) ftf[b * d + a] = ftf[a * d + b];
  }
  const w3 = Float32Array.from(ridgeSolve(ftf, fty, d, 10, (1e-3 * trace) / d));
  // fc3 is a Gemm with transB = 1 (weight stored [10, h2]) like the sample model's layers.
  const w3t = new Float32Array(10 * d);
  for (let a = 0; a < d; a++) for (let c = 0; c < 10; c++) w3t[c * d + a] = w3[a * 10 + c];
  const w2t = new Float32Array(h2 * h1);
  for (let a = 0; a < h1; a++) for (let c = 0; c < h2; c++) w2t[c * h1 + a] = w2[a * h2 + c];
  const { modelPath } = writeModel({
    opset: 17,
    metadata: { labels: JSON.stringify(Array.from({ length: 10 }, (_, i) => String(i))) },
    graph: graph({
      name: 'digits_mlp_6mb',
      inputs: [tensorValue('input', 'float32', ['batch', 64])],
      nodes: [
        node('Sub', ['input', 'scaler.mean'], ['centred'], { name: '/scaler/Sub' }),
        node('Mul', ['centred', 'scaler.inv_std'], ['scaled'], { name: '/scaler/Mul' }),
        node('MatMul', ['scaled', 'fc1.weight'], ['fc1_mm'], { name: '/fc1/MatMul' }),
        node('Add', ['fc1_mm', 'fc1.bias'], ['fc1_out'], { name: '/fc1/Add' }),
        node('Relu', ['fc1_out'], ['fc1_relu'], { name: '/fc1/Relu' }),
        node('Gemm', ['fc1_relu', 'fc2.weight', 'fc2.bias'], ['fc2_out'], { name: '/fc2/Gemm', attrs: { transB: 1 } }),
        node('Relu', ['fc2_out'], ['fc2_relu'], { name: '/fc2/Relu' }),
        node('Gemm', ['fc2_relu', 'fc3.weight', 'fc3.bias'], ['logits'], { name: '/fc3/Gemm', attrs: { transB: 1 } }),
        node('Softmax', ['logits'], ['probabilities'], { name: '/head/Softmax', attrs: { axis: 1 } }),
        node('ArgMax', ['logits'], ['label'], { name: '/head/ArgMax', attrs: { axis: 1, keepdims: 0 } }),
      ],
      initializers: [
        tensor('scaler.mean', 'float32', [64], mean), tensor('scaler.inv_std', 'float32', [64], invStd),
        tensor('fc1.weight', 'float32', [64, h1], w1), tensor('fc1.bias', 'float32', [h1], b1),
        tensor('fc2.weight', 'float32', [h2, h1], w2t), tensor('fc2.bias', 'float32', [h2], b2),
        tensor('fc3.weight', 'float32', [10, h2], w3t), tensor('fc3.bias', 'float32', [10], new Float32Array(10)),
      ],
      outputs: [tensorValue('probabilities', 'float32', ['batch', 10]), tensorValue('label', 'int64', ['batch'])],
    }),
  }, { dir, fileName: 'digits-mlp-6mb.onnx' });
  return modelPath;
}

/**
 * The 6 MB MLP, built once per machine into the OS temp folder (building takes seconds: the ridge
 * fit is ~1 GFLOP in JavaScript). Written to a temp name and renamed, so a half-written file is never used.
 */
export function cachedDigitsMlp6mb(): string {
  const dir = path.join(require('node:os').tmpdir(), 'onnx-lens-quantize-fixtures-v1');
  const file = path.join(dir, 'digits-mlp-6mb.onnx');
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dir, '.build-'));
  try {
    fs.renameSync(writeDigitsMlp6mb(staging), file);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return file;
}

/** A small CNN (Conv with bias → Relu → Conv without bias → GlobalAveragePool → Flatten → Gemm) with seeded weights. */
export function writeSmallCnn(dir: string, fileName = 'cnn.onnx'): string {
  const { modelPath } = writeModel({
    opset: 17,
    graph: graph({
      inputs: [tensorValue('image', 'float32', ['batch', 3, 16, 16])],
      nodes: [
        node('Conv', ['image', 'c1.w', 'c1.b'], ['c1'], { name: '/conv1/Conv', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }),
        node('Relu', ['c1'], ['r1'], { name: '/conv1/Relu' }),
        node('Conv', ['r1', 'c2.w'], ['c2'], { name: '/conv2/Conv', attrs: { kernel_shape: [3, 3], strides: [2, 2], group: 2 } }),
        node('GlobalAveragePool', ['c2'], ['pool'], { name: '/pool' }),
        node('Flatten', ['pool'], ['flat'], { name: '/flatten' }),
        node('Gemm', ['flat', 'fc.w', 'fc.b'], ['logits'], { name: '/fc/Gemm', attrs: { transB: 1, alpha: 0.5, beta: attr.float(2) } }),
      ],
      initializers: [
        // Output channels of very different scales: per-channel weights matter.
        tensor('c1.w', 'float32', [8, 3, 3, 3], normals(21, 216, 0.3).map((v, i) => v * (i < 27 ? 10 : 1))), tensor('c1.b', 'float32', [8], normals(22, 8, 0.1)),
        tensor('c2.w', 'float32', [16, 4, 3, 3], normals(23, 576, 0.2)),
        tensor('fc.w', 'float32', [5, 16], normals(24, 80, 0.5)), tensor('fc.b', 'float32', [5], normals(25, 5, 0.1)),
      ],
      outputs: [tensorValue('logits', 'float32', ['batch', 5])],
    }),
  }, { dir, fileName });
  return modelPath;
}
