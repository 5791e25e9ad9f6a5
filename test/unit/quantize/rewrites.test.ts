import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { float32ToFloat16Bits } from '../../../src/core/data/float16';
import { ElemType } from '../../../src/core/onnx/elemTypes';
import { readModelFile } from '../../../src/core/onnx/reader';
import { dequantizeTensor, quantizeTensor } from '../../../src/core/quantize/math';
import { attr, graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { checkerVerdict, opCounts, quantizeTo, relativeError, run, share } from './helpers';
import { cachedDigitsMlp6mb, DIGITS_TEST, normals, readDigits, SAMPLE, writeSmallCnn } from './models';

const digits = readDigits(DIGITS_TEST);
const digitFeeds = () => ({ input: new ort.Tensor('float32', digits.x, [digits.count, 64]) });

async function labelsOf(file: string): Promise<BigInt64Array> {
  return (await run(file, digitFeeds())).label.data as BigInt64Array;
}

function accuracy(predicted: BigInt64Array): number {
  return share(Array.from(predicted, Number), digits.labels);
}

describe('quantization rewrites', function () {
  this.timeout(120_000);
  let tmp: { dir: string; cleanup(): void };
  before(() => {
    tmp = makeTempDir('onnx-lens-quant-');
  });
  after(() => tmp.cleanup());

  describe('dynamic int8', () => {
    it('rewrites the sample MLP into the MatMulInteger pattern onnxruntime fuses, and loses at most a point of accuracy', async () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'sample-dynamic', { mode: 'dynamic' });
      assert.deepEqual(q.changes.map((c) => c.node), ['/fc1/Gemm', '/fc2/Gemm', '/fc3/Gemm']);
      const ops = opCounts(q.file);
      assert.equal(ops.MatMulInteger, 3);
      assert.equal(ops.DynamicQuantizeLinear, 3);
      assert.equal(ops.Gemm, undefined);
      const [before, after] = [await labelsOf(SAMPLE), await labelsOf(q.file)];
      assert.ok(accuracy(before) - accuracy(after) <= 0.01, `accuracy ${accuracy(before)} → ${accuracy(after)}`);
      assert.ok(share(before, after) >= 0.98);
      const verdict = await checkerVerdict(q.file);
      if (verdict) assert.ok(verdict.ok, verdict.error ?? '');
    });

    it('shrinks a 6 MB MatMul-heavy MLP to at most 0.27x and keeps 99% top-1 agreement', async () => {
      const mlp = cachedDigitsMlp6mb();
      for (const perChannel of [false, true]) {
        const q = quantizeTo(mlp, tmp.dir, `mlp-dynamic-${perChannel}`, { mode: 'dynamic', perChannel });
        assert.ok(q.ratio <= 0.27, `size ratio ${q.ratio}`);
        assert.ok(share(await labelsOf(mlp), await labelsOf(q.file)) >= 0.99);
      }
    });

    it('shares one DynamicQuantizeLinear between the MatMuls that read the same activation', async () => {
      const { modelPath } = writeModel({
        graph: graph({
          inputs: [tensorValue('x', 'float32', [2, 8])],
          nodes: [node('MatMul', ['x', 'a'], ['ya'], { name: 'mm_a' }), node('MatMul', ['x', 'b'], ['yb'], { name: 'mm_b' })],
          initializers: [tensor('a', 'float32', [8, 4], normals(1, 32)), tensor('b', 'float32', [8, 3], normals(2, 24))],
          outputs: [tensorValue('ya', 'float32', [2, 4]), tensorValue('yb', 'float32', [2, 3])],
        }),
      }, { dir: tmp.dir, fileName: 'shared.onnx' });
      const q = quantizeTo(modelPath, tmp.dir, 'shared-q', { mode: 'dynamic' });
      assert.equal(opCounts(q.file).DynamicQuantizeLinear, 1);
      const feeds = { x: new ort.Tensor('float32', normals(3, 16), [2, 8]) };
      const [a, b] = [await run(modelPath, feeds), await run(q.file, feeds)];
      assert.ok(relativeError(a.ya.data as Float32Array, b.ya.data as Float32Array) < 0.03);
      assert.ok(relativeError(a.yb.data as Float32Array, b.yb.data as Float32Array) < 0.03);
    });

    it('quantizes Conv per output channel (ConvInteger with a scalar zero point) and folds Gemm alpha and beta', async () => {
      const cnn = writeSmallCnn(tmp.dir);
      const feeds = { image: new ort.Tensor('float32', normals(5, 2 * 3 * 16 * 16), [2, 3, 16, 16]) };
      const ref = (await run(cnn, feeds)).logits.data as Float32Array;
      const errors: Record<string, number> = {};
      for (const [name, perChannel] of [['per-channel', true], ['per-tensor', false]] as const) {
        const q = quantizeTo(cnn, tmp.dir, `cnn-${name}`, { mode: 'dynamic', ops: ['Conv', 'Gemm'], perChannel });
        assert.equal(opCounts(q.file).ConvInteger, 2);
        errors[name] = relativeError(ref, (await run(q.file, feeds)).logits.data as Float32Array);
      }
      assert.ok(errors['per-channel'] < 0.05, `per-channel error ${errors['per-channel']}`);
      assert.ok(errors['per-channel'] < errors['per-tensor'], JSON.stringify(errors));
    });

    it('writes the QDQ form (DequantizeLinear in front of the original op) on request', async () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'sample-qdq', { mode: 'dynamic', format: 'qdq', perChannel: true });
      const ops = opCounts(q.file);
      assert.equal(ops.DequantizeLinear, 6);
      assert.equal(ops.MatMul, 3);
      assert.ok(share(await labelsOf(SAMPLE), await labelsOf(q.file)) >= 0.98);
    });

    it('says so, naming the model, when there is nothing to quantize', () => {
      const { modelPath } = writeModel({
        graph: graph({ inputs: [tensorValue('x', 'float32', [2])], nodes: [node('Relu', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [2])] }),
      }, { dir: tmp.dir, fileName: 'relu.onnx' });
      assert.throws(() => quantizeTo(modelPath, tmp.dir, 'relu-q', { mode: 'dynamic' }), /relu\.onnx: has no quantizable ops for dynamic quantization: no MatMul\/Gemm node with a constant float32 weight/);
      assert.ok(!fs.existsSync(`${tmp.dir}/relu-q.onnx`));
    });
  });

  describe('weight-only', () => {
    it('stores the 6 MB MLP in int4 blocks of 32 at most 0.18x its size (MatMulNBits)', async () => {
      const mlp = cachedDigitsMlp6mb();
      const q = quantizeTo(mlp, tmp.dir, 'mlp-int4', { mode: 'weight-only', bits: 4, blockSize: 32 });
      assert.ok(q.ratio <= 0.18, `size ratio ${q.ratio}`);
      assert.equal(opCounts(q.file)['com.microsoft:MatMulNBits'], 3);
      // accuracy_level 4: onnxruntime's int8-compute kernels (faster than float32 at batch 1, see the bench).
      const model = readModelFile(q.file);
      assert.deepEqual(model.info.graph.nodes.map((n) => n.attributes.find((a) => a.name === 'accuracy_level')?.i).filter((l) => l !== undefined), [4, 4, 4]);
      model.close();
      assert.ok(share(await labelsOf(mlp), await labelsOf(q.file)) >= 0.95);
    });

    it('writes standard blocked DequantizeLinear at opset 21 when asked, moving Reduce axes to inputs and giving Split num_outputs', async () => {
      const { modelPath } = writeModel({
        graph: graph({
          inputs: [tensorValue('x', 'float32', [2, 64])],
          nodes: [
            node('MatMul', ['x', 'w'], ['h'], { name: 'mm' }),
            node('Split', ['h'], ['h1', 'h2'], { name: 'split', attrs: { axis: 1 } }),
            node('ReduceMean', ['h1'], ['m'], { name: 'mean', attrs: { axes: [1], keepdims: 1 } }),
            node('Add', ['h2', 'm'], ['y'], { name: 'add' }),
          ],
          initializers: [tensor('w', 'float32', [64, 6], normals(7, 384))],
          outputs: [tensorValue('y', 'float32', [2, 3])],
        }),
      }, { dir: tmp.dir, fileName: 'split-reduce.onnx' });
      const q = quantizeTo(modelPath, tmp.dir, 'split-reduce-int4', { mode: 'weight-only', bits: 4, blockSize: 16, weightOnlyFormat: 'dequantize' });
      const model = readModelFile(q.file);
      assert.equal(model.info.opsets.find((o) => o.domain === '')?.version, 21);
      assert.equal(model.info.irVersion, 10);
      const w = model.info.graph.initializers.find((t) => t.name === 'w_quantized')!;
      assert.equal(w.elemType, ElemType.INT4);
      assert.deepEqual(model.info.graph.nodes.find((n) => n.name === 'mean')!.inputs.length, 2);
      assert.equal(model.info.graph.nodes.find((n) => n.name === 'split')!.attributes.find((a) => a.name === 'num_outputs')?.i, 2);
      model.close();
      // The opset-17 MatMulNBits form keeps the old Reduce/Split spelling: both must compute the same.
      const nbits = quantizeTo(modelPath, tmp.dir, 'split-reduce-nbits', { mode: 'weight-only', bits: 4, blockSize: 16, accuracyLevel: 0 });
      const feeds = { x: new ort.Tensor('float32', normals(8, 128), [2, 64]) };
      const [a, b] = [(await run(nbits.file, feeds, true)).y.data as Float32Array, (await run(q.file, feeds, true)).y.data as Float32Array];
      assert.ok(relativeError(a, b) < 1e-6, `error ${relativeError(a, b)}`);
    });

    it('gives the same numbers in both formats as a reference computed from the dequantized weights', async () => {
      const [K, N] = [64, 8];
      const w = normals(7, K * N);
      const x = normals(8, 4 * K);
      const { modelPath } = writeModel({
        graph: graph({ inputs: [tensorValue('x', 'float32', [4, K])], nodes: [node('MatMul', ['x', 'w'], ['y'])], initializers: [tensor('w', 'float32', [K, N], w)], outputs: [tensorValue('y', 'float32', [4, N])] }),
      }, { dir: tmp.dir, fileName: 'matmul.onnx' });
      for (const [bits, symmetric] of [[4, true], [4, false], [8, true], [8, false]] as const) {
        const q = quantizeTensor(w, [K, N], { type: `${symmetric ? '' : 'u'}int${bits}`, symmetric, granularity: { kind: 'block', axis: 0, blockSize: 16 } });
        const dq = dequantizeTensor(q);
        const ref = new Float32Array(4 * N);
        for (let r = 0; r < 4; r++) for (let c = 0; c < N; c++) for (let k = 0; k < K; k++) ref[r * N + c] += x[r * K + k] * dq[k * N + c];
        const feeds = { x: new ort.Tensor('float32', x, [4, K]) };
        for (const format of ['matmulnbits', 'dequantize'] as const) {
          const file = quantizeTo(modelPath, tmp.dir, `mm-${bits}-${symmetric}-${format}`, { mode: 'weight-only', bits, blockSize: 16, symmetric, weightOnlyFormat: format, accuracyLevel: 0 }).file;
          const got = (await run(file, feeds, true)).y.data as Float32Array;
          assert.ok(relativeError(ref, got) < 1e-5, `${format} int${bits} ${symmetric ? 'symmetric' : 'asymmetric'}: error ${relativeError(ref, got)}`);
        }
      }
    });

    it('refuses a block size that is not a power of two of at least 16', () => {
      assert.throws(() => quantizeTo(SAMPLE, tmp.dir, 'bad-block', { mode: 'weight-only', blockSize: 24 }), /digits-mlp\.onnx: cannot be quantized with block size 24: it must be a power of two of at least 16/);
    });
  });

  describe('magnitude pruning', () => {
    it('zeroes exactly the requested share of each layer, smallest magnitudes first', async () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'pruned', { mode: 'prune', sparsity: 0.5 });
      const model = readModelFile(q.file);
      const source = readModelFile(SAMPLE);
      for (const name of ['fc1.weight', 'fc2.weight', 'fc3.weight']) {
        const after = model.readTensor(model.info.graph.initializers.find((t) => t.name === name)!).values as Float32Array;
        const before = source.readTensor(source.info.graph.initializers.find((t) => t.name === name)!).values as Float32Array;
        const zeros = after.filter((v) => v === 0).length;
        assert.equal(zeros, Math.max(Math.round(before.length / 2), before.filter((v) => v === 0).length), name);
        const kept = before.filter((_, i) => after[i] !== 0).map(Math.abs);
        const dropped = before.filter((_, i) => after[i] === 0).map(Math.abs);
        assert.ok(Math.min(...kept) >= Math.max(...dropped), `${name}: a kept weight is smaller than a pruned one`);
      }
      assert.deepEqual(q.changes.map((c) => c.sparsity!.after), [0.5, 0.5, 0.5]);
      assert.ok(q.changes[0].sparsity!.before > 0); // the sample's fc1 has dead inputs (pixels always 0)
      model.close();
      source.close();
      assert.ok(accuracy(await labelsOf(q.file)) > 0.9);
    });

    it('uses one threshold over all layers in global scope', () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'pruned-global', { mode: 'prune', sparsity: 0.5, pruneScope: 'global' });
      const sizes = [64 * 64, 32 * 64, 10 * 32];
      const zeros = q.changes.reduce((n, c, i) => n + c.sparsity!.after * sizes[i], 0);
      assert.equal(Math.round(zeros), Math.round(0.5 * (64 * 64 + 32 * 64 + 10 * 32)));
      assert.notDeepEqual(q.changes.map((c) => c.sparsity!.after.toFixed(2)), ['0.50', '0.50', '0.50']);
    });
  });

  describe('float16', () => {
    it('halves the weights, keeps float32 inputs and outputs with Casts at the edges, and agrees on every sample', async () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'fp16', { mode: 'fp16' });
      assert.ok(q.ratio < 0.55, `ratio ${q.ratio}`);
      const model = readModelFile(q.file);
      assert.equal(model.info.graph.inputs[0].type.kind === 'tensor' && model.info.graph.inputs[0].type.elemType, ElemType.FLOAT);
      assert.ok(model.info.graph.initializers.filter((t) => t.name.startsWith('fc')).every((t) => t.elemType === ElemType.FLOAT16));
      model.close();
      assert.equal(share(await labelsOf(SAMPLE), await labelsOf(q.file)), 1);
      const verdict = await checkerVerdict(q.file);
      if (verdict) assert.ok(verdict.ok, verdict.error ?? '');
    });

    it('declares float16 inputs and outputs without keepIoTypes', async () => {
      const q = quantizeTo(SAMPLE, tmp.dir, 'fp16-io', { mode: 'fp16', keepIoTypes: false });
      const model = readModelFile(q.file);
      const types = [...model.info.graph.inputs, ...model.info.graph.outputs].map((v) => (v.type.kind === 'tensor' ? v.type.elemType : 0));
      model.close();
      assert.deepEqual(types, [ElemType.FLOAT16, ElemType.FLOAT16, ElemType.INT64]);
      const x16 = Uint16Array.from(digits.x, float32ToFloat16Bits);
      const out = await run(q.file, { input: new ort.Tensor('float16', x16, [digits.count, 64]) });
      assert.ok(share(out.label.data as BigInt64Array, await labelsOf(SAMPLE)) > 0.99);
    });

    it('keeps ops without float16 kernels in float32 with Casts around them', async () => {
      const { modelPath } = writeModel({
        graph: graph({
          inputs: [tensorValue('x', 'float32', [1, 2, 4, 4])],
          nodes: [
            node('Mul', ['x', 'k'], ['m'], { name: 'mul' }),
            node('Resize', ['m', '', 'scales'], ['r'], { name: 'resize', attrs: { mode: 'nearest' } }),
            node('Relu', ['r'], ['y'], { name: 'relu' }),
          ],
          initializers: [tensor('k', 'float32', [], [2]), tensor('scales', 'float32', [4], [1, 1, 2, 2])],
          outputs: [tensorValue('y', 'float32', [1, 2, 8, 8])],
        }),
      }, { dir: tmp.dir, fileName: 'resize.onnx' });
      const q = quantizeTo(modelPath, tmp.dir, 'resize-fp16', { mode: 'fp16' });
      assert.deepEqual(q.changes.map((c) => c.node), ['mul', 'relu']);
      assert.equal(opCounts(q.file).Cast, 4); // x → fp16, m → fp32 for Resize, r → fp16 for Relu, y → fp32
      const feeds = { x: new ort.Tensor('float32', normals(9, 32), [1, 2, 4, 4]) };
      const [a, b] = [(await run(modelPath, feeds)).y.data as Float32Array, (await run(q.file, feeds)).y.data as Float32Array];
      assert.ok(relativeError(a, b) < 1e-3);
    });
  });

  it('dequantizes blocked weights back close to the originals (sanity of the stored int4 values)', () => {
    const q = quantizeTo(SAMPLE, tmp.dir, 'int4-dq', { mode: 'weight-only', bits: 4, blockSize: 16, weightOnlyFormat: 'dequantize' });
    const model = readModelFile(q.file);
    const source = readModelFile(SAMPLE);
    const t = model.info.graph.initializers.find((x) => x.name === 'fc1.weight_quantized')!;
    const s = model.info.graph.initializers.find((x) => x.name === 'fc1.weight_scale')!;
    const values = model.readTensor(t).values as Int8Array;
    const scales = model.readTensor(s).values as Float32Array;
    const back = dequantizeTensor({ type: 'int4', dims: t.dims, values, scales, zeroPoints: new Int8Array(scales.length), scaleDims: s.dims, axis: 0, blockSize: 16 });
    const w = source.readTensor(source.info.graph.initializers.find((x) => x.name === 'fc1.weight')!).values as Float32Array;
    // fc1 is a Gemm with transB: the stored weight is W transposed to [K, N].
    const wt = new Float32Array(w.length);
    for (let r = 0; r < 64; r++) for (let c = 0; c < 64; c++) wt[c * 64 + r] = w[r * 64 + c];
    assert.ok(relativeError(wt, back) < 0.15);
    model.close();
    source.close();
  });
});

describe('raising the opset for a rewrite', function () {
  this.timeout(60_000);
  let tmp: { dir: string; cleanup(): void };
  before(() => {
    tmp = makeTempDir('onnx-lens-quant-opset-');
  });
  after(() => tmp.cleanup());

  it('carries opset-9 Slice and Clip attributes over to inputs so DynamicQuantizeLinear (opset 11) can be used', async () => {
    const { modelPath } = writeModel({
      opset: 9, irVersion: 4,
      graph: graph({
        inputs: [tensorValue('x', 'float32', [2, 8])],
        nodes: [
          node('MatMul', ['x', 'w'], ['h'], { name: 'mm' }),
          node('Clip', ['h'], ['c'], { name: 'clip', attrs: { min: attr.float(-2.5), max: attr.float(2.5) } }),
          node('Slice', ['c'], ['y'], { name: 'slice', attrs: { starts: [1], ends: [4], axes: [1] } }),
        ],
        initializers: [tensor('w', 'float32', [8, 6], normals(31, 48))],
        outputs: [tensorValue('y', 'float32', [2, 3])],
      }),
    }, { dir: tmp.dir, fileName: 'opset9.onnx' });
    const q = quantizeTo(modelPath, tmp.dir, 'opset9-q', { mode: 'dynamic' });
    const model = readModelFile(q.file);
    assert.equal(model.info.opsets[0].version, 11);
    assert.equal(model.info.irVersion, 5);
    const clip = model.info.graph.nodes.find((n) => n.name === 'clip')!;
    assert.equal(clip.inputs.length, 3);
    assert.deepEqual(clip.attributes, []);
    assert.equal(model.info.graph.nodes.find((n) => n.name === 'slice')!.inputs.length, 4);
    model.close();
    const feeds = { x: new ort.Tensor('float32', normals(32, 16), [2, 8]) };
    const [a, b] = [(await run(modelPath, feeds)).y.data as Float32Array, (await run(q.file, feeds)).y.data as Float32Array];
    assert.ok(relativeError(a, b) < 0.03, `error ${relativeError(a, b)}`);
    const verdict = await checkerVerdict(q.file);
    if (verdict) assert.ok(verdict.ok, verdict.error ?? '');
  });

  it('refuses, in one sentence, when an op would change meaning (Softmax over a middle axis before and after opset 13)', () => {
    const { modelPath } = writeModel({
      opset: 11,
      graph: graph({
        inputs: [tensorValue('x', 'float32', [2, 3, 8])],
        nodes: [node('MatMul', ['x', 'w'], ['h'], { name: 'mm' }), node('Softmax', ['h'], ['y'], { name: 'sm', attrs: { axis: 1 } })],
        initializers: [tensor('w', 'float32', [8, 4], normals(33, 32))],
        outputs: [tensorValue('y', 'float32', [2, 3, 4])],
      }),
    }, { dir: tmp.dir, fileName: 'softmax11.onnx' });
    assert.throws(() => quantizeTo(modelPath, tmp.dir, 'softmax11-q', { mode: 'dynamic', format: 'qdq', perChannel: true }),
      /softmax11\.onnx: cannot be quantized dynamically: DynamicQuantizeLinear needs opset 13 and raising it is not safe: Softmax node 'sm' cannot be carried to opset 13: its axis 1 is not the last of 3 dimensions/);
  });
});
