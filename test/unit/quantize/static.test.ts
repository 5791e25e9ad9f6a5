/**
 * Static int8 written where onnxruntime fuses it: the test reads the graph onnxruntime itself
 * optimised (optimizedModelFilePath), so a layout its QDQ selectors stop accepting fails here
 * rather than only in the benchmark's latency.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeNpy } from '../../../src/core/data/npy';
import { createModelRunner } from '../../../src/runtime/child/ort/modelRunner';
import { quantizeModelFile } from '../../../src/core/quantize/quantize';
import { attr, graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { checkerVerdict, opCounts, relativeError, run, share } from './helpers';
import { DIGITS_TEST, DIGITS_TRAIN, normals, readDigits, SAMPLE, writeSmallCnn } from './models';

/** Op counts of the graph onnxruntime runs after its optimisations (its QDQ fusions included). */
async function optimizedOps(file: string): Promise<Record<string, number>> {
  const optimized = `${file}.ort.onnx`;
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 3, optimizedModelFilePath: optimized });
  await session.release();
  return opCounts(optimized);
}

describe('static int8 (QDQ) as onnxruntime fuses it', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-quant-static-')));
  after(() => tmp.cleanup());
  const runner = createModelRunner();

  it('writes each Gemm as MatMul + Add with the Q after the product and after the Relu: onnxruntime runs QLinearMatMul and no float Gemm', async () => {
    const output = path.join(tmp.dir, 'mlp-static.onnx');
    const report = await quantizeModelFile(
      { input: SAMPLE, output, settings: { mode: 'static', calibration: { data: DIGITS_TRAIN, method: 'minmax', maxSamples: 300 } }, compareData: DIGITS_TEST },
      { runner },
    );
    const ops = opCounts(output);
    // Pairs: the input, each layer's product (before its bias), each Relu's output (read by the next layer).
    assert.equal(ops.QuantizeLinear, 6);
    assert.equal(ops.DequantizeLinear, 6 + 3); // … and each weight; biases stay float32 after the product
    assert.equal(ops.MatMul, 3);
    assert.equal(ops.Gemm, undefined);
    assert.deepEqual(report.nodes.map((n) => [n.node, n.scheme]), ['/fc1/Gemm', '/fc2/Gemm', '/fc3/Gemm'].map((n) => [n, 'static int8 (QDQ), per-tensor weights, as MatMul + Add']));
    const fused = await optimizedOps(output);
    assert.equal(fused.QLinearMatMul, 3, JSON.stringify(fused));
    assert.equal(fused.Gemm, undefined, JSON.stringify(fused));
    assert.equal(fused.Relu, undefined, JSON.stringify(fused)); // folded into the Q that follows it
    assert.equal((await checkerVerdict(output))?.ok, true);
    assert.ok(report.comparison!.headline!.top1! >= 0.98);
    const digits = readDigits(DIGITS_TEST);
    const feeds = { input: new ort.Tensor('float32', digits.x, [digits.count, 64]) };
    const [a, b] = [await run(SAMPLE, feeds), await run(output, feeds)];
    assert.ok(share(a.label.data as BigInt64Array, b.label.data as BigInt64Array) >= 0.98);
  });

  it('quantizes Conv with per-channel weights and int32 biases into QLinearConv, and folds the Relu', async () => {
    const cnn = writeSmallCnn(tmp.dir, 'cnn.onnx');
    const calib = path.join(tmp.dir, 'images.npy');
    fs.writeFileSync(calib, encodeNpy({ dtype: 'float32', shape: [64, 3, 16, 16], data: normals(31, 64 * 3 * 16 * 16) }));
    const output = path.join(tmp.dir, 'cnn-static.onnx');
    const report = await quantizeModelFile(
      { input: cnn, output, settings: { mode: 'static', calibration: { data: calib, method: 'minmax', labelColumn: null } } },
      { runner },
    );
    assert.deepEqual(report.nodes.map((n) => n.scheme), [
      'static int8 (QDQ), per-channel weights, int32 bias',
      'static int8 (QDQ), per-channel weights',
      'static int8 (QDQ), per-tensor weights, as MatMul + Add',
    ]);
    const fused = await optimizedOps(output);
    assert.equal(fused['com.microsoft:QLinearConv'], 2, JSON.stringify(fused));
    assert.equal(fused.QLinearMatMul, 1, JSON.stringify(fused));
    assert.equal(fused.Conv, undefined, JSON.stringify(fused));
    assert.equal(fused.Relu, undefined, JSON.stringify(fused));
    assert.equal((await checkerVerdict(output))?.ok, true);
    const x = { image: new ort.Tensor('float32', normals(32, 8 * 3 * 16 * 16), [8, 3, 16, 16]) };
    const [a, b] = [(await run(cnn, x)).logits.data as Float32Array, (await run(output, x)).logits.data as Float32Array];
    assert.ok(relativeError(a, b) < 0.05, `relative error ${relativeError(a, b)}`);
  });

  it('leaves a MatMul read by no int8 op without a Q: onnxruntime runs MatMulIntegerToFloat, and the graph output keeps its name and float values', async () => {
    const { modelPath } = writeModel({
      opset: 13,
      graph: graph({
        inputs: [tensorValue('x', 'float32', ['batch', 32])],
        nodes: [node('MatMul', ['x', 'w'], ['y'], { name: 'mm' })],
        initializers: [tensor('w', 'float32', [32, 8], normals(51, 256, 0.3))],
        outputs: [tensorValue('y', 'float32', ['batch', 8])],
      }),
    }, { dir: tmp.dir, fileName: 'out-mm.onnx' });
    const calib = path.join(tmp.dir, 'rows.npy');
    fs.writeFileSync(calib, encodeNpy({ dtype: 'float32', shape: [64, 32], data: normals(52, 64 * 32) }));
    const output = path.join(tmp.dir, 'out-mm-static.onnx');
    await quantizeModelFile({ input: modelPath, output, settings: { mode: 'static', calibration: { data: calib, method: 'minmax', labelColumn: null } } }, { runner });
    assert.equal(opCounts(output).QuantizeLinear, 1); // the input's only
    const fused = await optimizedOps(output);
    assert.equal(fused['com.microsoft:MatMulIntegerToFloat'], 1, JSON.stringify(fused));
    assert.equal(fused.MatMul, undefined, JSON.stringify(fused));
    const x = { x: new ort.Tensor('float32', normals(53, 4 * 32), [4, 32]) };
    const [a, b] = [(await run(modelPath, x)).y.data as Float32Array, (await run(output, x)).y.data as Float32Array];
    assert.ok(relativeError(a, b) < 0.03, `relative error ${relativeError(a, b)}`);
  });

  it('folds the BatchNormalization, Mul and Add by constants after a Conv into its weights, so that nothing runs between QLinearConv and its Q', async () => {
    // PP-LCNet's pattern: Conv → BatchNormalization → Mul(scalar) → Add(scalar) → Relu, then a Conv whose Mul is per channel.
    const { modelPath } = writeModel({
      opset: 13,
      graph: graph({
        inputs: [tensorValue('image', 'float32', ['batch', 3, 12, 12])],
        nodes: [
          node('Conv', ['image', 'c1.w'], ['c1'], { name: 'conv1', attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }),
          node('BatchNormalization', ['c1', 'bn.scale', 'bn.b', 'bn.mean', 'bn.var'], ['bn'], { name: 'bn1', attrs: { epsilon: attr.float(1e-3) } }),
          node('Mul', ['lab.s', 'bn'], ['scaled'], { name: 'scale1' }),
          node('Add', ['scaled', 'lab.t'], ['shifted'], { name: 'shift1' }),
          node('Relu', ['shifted'], ['r1'], { name: 'relu1' }),
          node('Conv', ['r1', 'c2.w', 'c2.b'], ['c2'], { name: 'conv2', attrs: { kernel_shape: [1, 1] } }),
          node('Mul', ['c2', 'c2.s'], ['y'], { name: 'scale2' }),
        ],
        initializers: [
          tensor('c1.w', 'float32', [6, 3, 3, 3], normals(61, 162, 0.3)),
          tensor('bn.scale', 'float32', [6], Float32Array.from(normals(62, 6, 0.3), (v) => 1 + v)), tensor('bn.b', 'float32', [6], normals(63, 6, 0.2)),
          tensor('bn.mean', 'float32', [6], normals(64, 6, 0.2)), tensor('bn.var', 'float32', [6], Float32Array.from(normals(65, 6, 0.3), (v) => 1 + Math.abs(v))),
          tensor('lab.s', 'float32', [1], Float32Array.of(1.7)), tensor('lab.t', 'float32', [1], Float32Array.of(-0.2)),
          tensor('c2.w', 'float32', [4, 6, 1, 1], normals(66, 24, 0.4)), tensor('c2.b', 'float32', [4], normals(67, 4, 0.1)),
          tensor('c2.s', 'float32', [1, 4, 1, 1], Float32Array.of(0.5, 2, -1, 3)),
        ],
        outputs: [tensorValue('y', 'float32', ['batch', 4, 12, 12])],
      }),
    }, { dir: tmp.dir, fileName: 'conv-affine.onnx' });
    const calib = path.join(tmp.dir, 'affine.npy');
    fs.writeFileSync(calib, encodeNpy({ dtype: 'float32', shape: [32, 3, 12, 12], data: normals(68, 32 * 3 * 144) }));
    const output = path.join(tmp.dir, 'conv-affine-static.onnx');
    const report = await quantizeModelFile({ input: modelPath, output, settings: { mode: 'static', calibration: { data: calib, method: 'minmax', labelColumn: null } } }, { runner });
    assert.deepEqual(report.nodes.map((n) => n.scheme), [
      'static int8 (QDQ), per-channel weights, int32 bias, BatchNormalization + Mul + Add folded in',
      'static int8 (QDQ), per-channel weights, int32 bias, Mul folded in',
    ]);
    const ops = opCounts(output);
    assert.equal(ops.BatchNormalization, undefined);
    assert.equal(ops.Mul, undefined);
    assert.equal(ops.Add, undefined);
    const fused = await optimizedOps(output);
    assert.equal(fused['com.microsoft:QLinearConv'], 2, JSON.stringify(fused));
    assert.equal(fused.Conv, undefined, JSON.stringify(fused));
    assert.equal((await checkerVerdict(output))?.ok, true);
    const x = { image: new ort.Tensor('float32', normals(69, 4 * 3 * 144), [4, 3, 12, 12]) };
    const [a, b] = [(await run(modelPath, x)).y.data as Float32Array, (await run(output, x)).y.data as Float32Array];
    assert.ok(relativeError(a, b) < 0.03, `relative error ${relativeError(a, b)}`);
  });
});
