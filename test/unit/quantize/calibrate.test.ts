import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { entropyCandidates, entropyRange, percentileThreshold } from '../../../src/core/quantize/calibrate';
import { createModelRunner } from '../../../src/runtime/child/ort/modelRunner';
import { quantizeModelFile } from '../../../src/core/quantize/quantize';
import { readModelFile } from '../../../src/core/onnx/reader';
import { graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { relativeError, run } from './helpers';
import { DIGITS_TEST, DIGITS_TRAIN, normals, readDigits, SAMPLE } from './models';

describe('calibration', () => {
  it('takes the percentile at the upper edge of the bin that reaches it', () => {
    // 10 bins over [0, 10): 90 values in bin 0, 9 in bin 4, 1 in bin 9.
    const hist = new Float64Array(10);
    hist[0] = 90;
    hist[4] = 9;
    hist[9] = 1;
    assert.equal(percentileThreshold(hist, 10, 90), 1);
    assert.equal(percentileThreshold(hist, 10, 99), 5);
    assert.equal(percentileThreshold(hist, 10, 99.5), 10);
    assert.equal(percentileThreshold(hist, 10, 100), 10);
  });

  it('walks the KL candidates as TensorRT and onnxruntime define them, on a histogram computed by hand', () => {
    // 9 bins of width 1 over [-4.5, 4.5] (the zero bin is [-0.5, 0.5]), 3 quantized levels:
    // candidates keep 3, 5, 7 and 9 bins around the zero bin.
    const hist = [0, 1, 2, 8, 20, 12, 4, 0, 1];
    // Keeping 3 bins, [-1.5, 1.5]: P = [8 + (0+1+2), 20, 12 + (4+0+1)] = [11, 20, 17] (outliers into
    // the edges), Q = the same bins merged by 1 = [8, 20, 12]; no empty bin, so no smoothing:
    // KL = 11/48·ln((11/48)/(8/40)) + 20/48·ln((20/48)/(20/40)) + 17/48·ln((17/48)/(12/40))
    //    = 0.031198 − 0.075967 + 0.058789 = 0.014020.
    // Keeping 5, [-2.5, 2.5]: P = [3, 8, 20, 12, 5]; merged by 1 with the rest into the last group:
    // Q = [2, 8, 12, 12, 12] (20+12+4 spread over 3 bins); KL = 0.104431.
    // Keeping 7: P = [1, 2, 8, 20, 12, 4, 1], groups of 2 (+1): Q = [1.5, 1.5, 14, 14, 16/3, 16/3, 16/3]; KL = 0.181716.
    // Keeping all 9: P = hist, Q = [0, 1.5, 1.5, 40/3, 40/3, 40/3, 2.5, 0, 2.5] (zero where P is);
    // P's and Q's two empty bins get eps = 1e-4, taken evenly from the 7 others; KL = 0.081084.
    const expected = [[-1.5, 1.5, 0.014020], [-2.5, 2.5, 0.104431], [-3.5, 3.5, 0.181716], [-4.5, 4.5, 0.081084]];
    const got = entropyCandidates(hist, 4.5, 3);
    assert.deepEqual(got.map((c) => [c.lo, c.hi]), expected.map(([lo, hi]) => [lo, hi]));
    got.forEach((c, i) => assert.ok(Math.abs(c.kl - expected[i][2]) < 5e-6, `candidate ${i}: KL ${c.kl}, expected ${expected[i][2]}`));
    assert.deepEqual(entropyRange(hist, 4.5, 3), got[0]);
  });

  it('clips a long thin tail with entropy calibration and keeps the whole range of an even spread', () => {
    const bins = 2049;
    const tailed = new Float64Array(bins);
    for (let i = 1024; i < 1024 + 256; i++) tailed[i] = 1000 * Math.exp(-(i - 1024) / 32); // the bulk just above 0
    for (let i = 1024 + 256; i < bins; i += 97) tailed[i] = 1; // a few outliers up to the maximum
    const r = entropyRange(tailed, 8);
    assert.ok(r.hi > 0.5 && r.hi < 4, `threshold ${r.hi}`);
    const uniform = new Float64Array(bins).fill(5);
    assert.ok(entropyRange(uniform, 8).hi > 7.5);
  });
});

describe('quantizeModelFile', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-quant-pipeline-')));
  after(() => tmp.cleanup());
  const runner = createModelRunner();

  it('chooses mixed precision from a sensitivity scan: the most sensitive layers move up (int4 → int8 → fp32) until the error budget holds', async () => {
    const scan = async (bits: 4 | 8, maxError: number) => (await quantizeModelFile(
      { input: SAMPLE, output: path.join(tmp.dir, `mixed-${bits}-${maxError}.onnx`), settings: { mode: 'mixed', bits, blockSize: 16, accuracyLevel: 0, maxError, calibration: { data: DIGITS_TRAIN, method: 'minmax', maxSamples: 200 } }, skipCompare: true },
      { runner },
    )).sensitivity!;
    // The budget is checked on the quarter of the calibration rows the scan did not see (see the next test).
    const int4 = await scan(4, 0.0002);
    assert.equal(int4.layers.length, 3);
    assert.deepEqual(int4.layers.map((l) => l.error), [...int4.layers.map((l) => l.error)].sort((x, y) => y - x));
    assert.ok(int4.met && int4.finalError <= 0.0002, JSON.stringify(int4));
    // Sensitive layers first: along the sensitivity order the precision never goes back up (fp32, then int8, then int4).
    const rank = { fp32: 2, fp16: 2, int8: 1, int4: 0 };
    const chosen = int4.layers.map((l) => rank[l.chosen]);
    assert.ok(chosen.some((c) => c > 0), int4.layers.map((l) => l.chosen).join());
    assert.deepEqual(chosen, [...chosen].sort((x, y) => y - x), int4.layers.map((l) => l.chosen).join());
    // int8's error depends on the CPU's kernels (0.00034 with AVX512-VNNI, several times more without):
    // a budget of half the all-int8 error on this machine makes at least one layer go back to fp32.
    const allInt8 = await scan(8, 1);
    assert.equal(allInt8.kept, 0, JSON.stringify(allInt8));
    const int8 = await scan(8, allInt8.finalError / 2);
    assert.ok(int8.met, JSON.stringify(int8));
    assert.ok(int8.kept >= 1, `kept ${int8.kept}: ${JSON.stringify(int8)}`);
    assert.deepEqual(int8.layers.slice(0, int8.kept).map((l) => l.chosen), Array(int8.kept).fill('fp32'));
  });

  it('checks the mixed-precision budget on held-out rows, at batch 1 and at the batch the model runs at, and says so in the report', async () => {
    const output = path.join(tmp.dir, 'mixed-held-out.onnx');
    const budget = 0.01;
    const report = await quantizeModelFile(
      { input: SAMPLE, output, settings: { mode: 'mixed', bits: 4, blockSize: 16, maxError: budget, evalBatch: 64, calibration: { data: DIGITS_TRAIN, method: 'minmax', maxSamples: 256 } }, compareData: DIGITS_TEST, skipCompare: true },
      { runner },
    );
    const s = report.sensitivity!;
    const digits = readDigits(DIGITS_TEST);
    assert.deepEqual(s.check, { source: 'eval', data: DIGITS_TEST, samples: digits.count, batch: 64 });
    assert.ok(s.errors.batch1 !== null && s.errors.batch !== null);
    assert.equal(s.finalError, Math.max(s.errors.batch1!, s.errors.batch!));
    assert.ok(s.met && s.finalError <= budget, JSON.stringify(s.errors));
    // The batch-64 figure is what onnxruntime gives on those rows run 64 at a time.
    let [noise, signal] = [0, 0];
    for (let start = 0; start < digits.count; start += 64) {
      const n = Math.min(64, digits.count - start);
      const feeds = { input: new ort.Tensor('float32', digits.x.subarray(start * 64, (start + n) * 64), [n, 64]) };
      const [a, b] = [(await run(SAMPLE, feeds)).probabilities.data as Float32Array, (await run(output, feeds)).probabilities.data as Float32Array];
      a.forEach((x, i) => {
        noise += (x - b[i]) ** 2;
        signal += x ** 2;
      });
    }
    assert.ok(Math.abs(Math.sqrt(noise / signal) - s.errors.batch!) < 1e-6 * Math.max(1, s.errors.batch!), `${Math.sqrt(noise / signal)} vs ${s.errors.batch}`);
    // Without evaluation data, a quarter of the calibration rows is held out of the scan.
    const split = (await quantizeModelFile(
      { input: SAMPLE, output: path.join(tmp.dir, 'mixed-split.onnx'), settings: { mode: 'mixed', bits: 4, blockSize: 16, maxError: budget, calibration: { data: DIGITS_TRAIN, method: 'minmax', maxSamples: 256 } }, skipCompare: true },
      { runner },
    )).sensitivity!;
    assert.deepEqual(split.check, { source: 'calibration-split', data: DIGITS_TRAIN, samples: 64, batch: 32 });
  });

  it('applies precisions chosen by hand, fp16 and int8 and int4 side by side', async () => {
    const output = path.join(tmp.dir, 'by-hand.onnx');
    const report = await quantizeModelFile(
      { input: SAMPLE, output, settings: { mode: 'mixed', nodePrecision: { '/fc1/Gemm': 'fp16', '/fc2/Gemm': 'int4', '/fc3/Gemm': 'fp32' }, blockSize: 16 }, compareData: DIGITS_TEST },
      { runner },
    );
    assert.deepEqual(report.nodes.map((n) => [n.node, n.precision]), [['/fc1/Gemm', 'fp16'], ['/fc2/Gemm', 'int4']]);
    assert.deepEqual(report.summary.byPrecision, { fp16: 1, int4: 1 });
    assert.ok(report.comparison!.headline!.top1! >= 0.97);
    assert.deepEqual(report.comparison!.nodes.map((n) => n.node).sort(), ['/fc1/Gemm', '/fc2/Gemm']);
  });

  it('compares on seeded random inputs when no data is given', async () => {
    const output = path.join(tmp.dir, 'random.onnx');
    const report = await quantizeModelFile({ input: SAMPLE, output, settings: { mode: 'fp16' } }, { runner });
    assert.equal(report.comparison!.source, 'random');
    assert.equal(report.comparison!.samples, 8);
    assert.ok(report.comparison!.nodes.every((n) => n.sqnrDb > 40), JSON.stringify(report.comparison!.nodes.map((n) => n.sqnrDb)));
  });
});

describe('quantizing a model that keeps its weights in external data', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-quant-external-')));
  after(() => tmp.cleanup());

  it('writes the new weights to a data file next to the output, and compares the models through it', async () => {
    const { modelPath } = writeModel({
      graph: graph({
        inputs: [tensorValue('x', 'float32', ['batch', 64])],
        nodes: [node('MatMul', ['x', 'w1'], ['h'], { name: 'mm1' }), node('Relu', ['h'], ['r']), node('MatMul', ['r', 'w2'], ['y'], { name: 'mm2' })],
        initializers: [
          tensor('w1', 'float32', [64, 128], normals(41, 64 * 128, 0.2), { storage: 'external', location: 'weights.bin' }),
          tensor('w2', 'float32', [128, 10], normals(42, 1280, 0.1), { storage: 'external', location: 'weights.bin' }),
        ],
        outputs: [tensorValue('y', 'float32', ['batch', 10])],
      }),
    }, { dir: tmp.dir, fileName: 'external.onnx' });
    fs.mkdirSync(path.join(tmp.dir, 'out'));
    const output = path.join(tmp.dir, 'out', 'external-int8.onnx');
    const report = await quantizeModelFile({ input: modelPath, output, settings: { mode: 'dynamic' } }, { runner: createModelRunner() });
    assert.deepEqual(fs.readdirSync(path.join(tmp.dir, 'out')).sort(), ['external-int8.onnx', 'external-int8.onnx.data']);
    assert.equal(report.output.dataFile, `${output}.data`);
    assert.equal(report.size.before, fs.statSync(modelPath).size + 4 * (64 * 128 + 1280));
    assert.ok(report.size.ratio < 0.4, `ratio ${report.size.ratio}`);
    const model = readModelFile(output);
    assert.deepEqual(model.info.graph.initializers.filter((t) => t.data.kind === 'external').map((t) => t.name), ['w1_quantized', 'w2_quantized']);
    model.close();
    assert.ok(report.comparison!.headline!.relativeError < 0.05);
    assert.equal(report.comparison!.nodes.length, 2);
    const feeds = { x: new ort.Tensor('float32', normals(43, 2 * 64), [2, 64]) };
    const [a, b] = [(await run(modelPath, feeds)).y.data as Float32Array, (await run(output, feeds)).y.data as Float32Array];
    assert.ok(relativeError(a, b) < 0.05);
  });
});
