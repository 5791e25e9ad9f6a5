/**
 * The `evaluate` method of the runtime process, end to end: a real forked runtime process, its
 * dataset worker, onnxruntime, the metrics core. Metrics are checked against scikit-learn on the
 * same predictions (computed here, in-process, with onnxruntime-node), not against ourselves.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { openDataset } from '../../../src/core/data/dataset';
import { encodeNpz } from '../../../src/core/data/npz';
import { EVAL_REPORT_SCHEMA, type EvalReport } from '../../../src/shared/evalReport';
import type { EvaluateParams } from '../../../src/runtime/methods';
import { RpcError } from '../../../src/rpc/messages';
import { writeIdxPair } from '../../fixtures/data/datasets';
import { OPTIONS, SAMPLE, useRuntime } from '../../fixtures/runtimeModels';
import { runOracle, type Json } from '../metrics/sklearnOracle';
import { argmaxModel, linearModel, logisticModel, mlpModel, npyPair, repeatCsv, rng, syntheticImageCsv, writeCsv } from './models';
import { requireFile } from '../../fixtures/prerequisites';

const DIGITS_TEST = path.join(path.dirname(SAMPLE), 'digits-test.csv');
const DIGITS_TRAIN = path.join(path.dirname(SAMPLE), 'digits-train.csv');
const FASHION = '/usr/share/datasets/fashion-mnist';

/** The model's first output on every sample of a dataset, run here (not in the runtime process). */
async function inProcess(model: string, data: string, output: string, labelColumn?: string): Promise<{ labels: number[]; scores: number[]; k: number }> {
  const session = await ort.InferenceSession.create(model);
  try {
    const reader = await openDataset(data, labelColumn ? { labelColumn } : {});
    const labels: number[] = [];
    const scores: number[] = [];
    let k = 0;
    const input = session.inputNames[0];
    const meta = session.inputMetadata[0];
    const dims: readonly (number | string)[] = meta.isTensor ? meta.shape : [];
    for await (const b of reader.batches(100)) {
      const shape = [b.size, ...dims.slice(1).map((d) => (typeof d === 'number' ? d : reader.featureCount))];
      const out = (await session.run({ [input]: new ort.Tensor('float32', b.features, shape) }))[output];
      k = out.dims.length > 1 ? out.dims[out.dims.length - 1] : 1;
      scores.push(...Array.from(out.data as Float32Array, Number));
      labels.push(...Array.from(b.labels!));
    }
    return { labels, scores, k };
  } finally {
    await session.release();
  }
}

const close = (actual: number | null | undefined, expected: Json, what: string, tol = 1e-9) => {
  assert.equal(typeof expected, 'number', `${what}: scikit-learn gave ${JSON.stringify(expected)}`);
  assert.ok(typeof actual === 'number' && Math.abs(actual - (expected as number)) <= tol, `${what}: ${actual} vs scikit-learn ${expected}`);
};

describe('evaluate in the runtime process', function () {
  this.timeout(120_000);
  const env = useRuntime('eval');
  const evaluate = (p: Partial<EvaluateParams> & { model: string; data: string }, onProgress?: (p: { done: number; total: number; message: string }) => void) =>
    env.rpc.request('evaluate', { options: OPTIONS, ...p }, { onProgress });

  describe('the digits sample', () => {
    let report: EvalReport;
    const progress: { done: number; total: number; message: string }[] = [];
    before(async () => {
      report = await evaluate({ model: SAMPLE, data: DIGITS_TEST }, (p) => progress.push(p));
    });

    it('scores 96.67% (435 of 450), as media/sample/README.md says, with every metric equal to scikit-learn on the same predictions', async () => {
      const m = report.classification!;
      assert.equal(m.n, 450);
      assert.equal(Math.round(m.accuracy * 450), 435);
      assert.equal(m.accuracy.toFixed(4), '0.9667');
      const local = await inProcess(SAMPLE, DIGITS_TEST, 'probabilities');
      assert.deepEqual(report.drilldown.yTrue, local.labels);
      const [sk] = (await runOracle([{ task: 'classification', y_true: local.labels, scores: local.scores, k: 10 }])) as Record<string, Json>[];
      close(m.accuracy, sk.accuracy, 'accuracy', 0);
      close(m.balancedAccuracy, sk.balancedAccuracy, 'balanced accuracy');
      for (const avg of ['macro', 'micro', 'weighted'] as const) {
        close(m.f1[avg], (sk.f1 as Record<string, Json>)[avg], `f1.${avg}`);
        close(m.precision[avg], (sk.precision as Record<string, Json>)[avg], `precision.${avg}`);
      }
      close(m.rocAuc.macro, (sk.rocAuc as Record<string, Json>).macro, 'rocAuc.macro', 1e-7);
      close(m.logLoss, sk.logLoss, 'log loss', 1e-7);
      close(m.brier, sk.brier, 'brier', 1e-7);
      assert.deepEqual(m.confusionMatrix, sk.confusionMatrix);
    });

    it('describes model, data, mapping, output and timing', async () => {
      assert.equal(report.schema, EVAL_REPORT_SCHEMA);
      assert.equal(report.model.path, SAMPLE);
      assert.equal(report.model.bytes, fs.statSync(SAMPLE).size);
      assert.equal(report.task, 'classification');
      assert.deepEqual(
        { ...report.data, path: path.basename(report.data.path) },
        { path: 'digits-test.csv', format: 'csv', samples: 450, bytes: fs.statSync(DIGITS_TEST).size, labelColumn: 'label', labelKind: 'class', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], classNamesSource: 'labels.txt' },
      );
      assert.equal(report.mappingSource, 'auto');
      assert.deepEqual(report.mapping.inputs.map((b) => [b.input, b.columns.length, b.sampleDims]), [['input', 64, [64]]]);
      assert.deepEqual(report.output, { name: 'probabilities', elemType: 'float32', role: 'scores', columns: 10, probabilitySource: 'probabilities', otherOutputs: ['label'] });
      assert.equal(report.timing.batchSize, 64);
      assert.equal(report.timing.batches, 8);
      assert.ok(report.timing.samplesPerSecond > 0 && report.timing.inferenceMs > 0 && report.timing.totalMs >= report.timing.passMs);
      assert.equal(report.headline.accuracy?.value, report.classification!.accuracy);
      assert.equal(report.headline.accuracy?.ci, undefined);
      assert.equal(report.binary, undefined);
      assert.deepEqual(report.warnings, []);
    });

    it('keeps every sample for drill-down with its CSV line, prediction, confidence and probability row', () => {
      const d = report.drilldown;
      assert.equal(d.count, 450);
      assert.equal(d.samplesTruncated, false);
      assert.equal(d.sourceKind, 'line');
      assert.deepEqual(d.source.slice(0, 3), [2, 3, 4]);
      assert.equal(d.probabilities!.length, 450);
      for (let i = 0; i < 450; i++) {
        const row = d.probabilities![i];
        assert.equal(row.indexOf(Math.max(...row)), d.yPred[i]);
        assert.equal(d.confidence![i], row[d.yPred[i]]);
      }
      assert.equal(d.yPred.filter((p, i) => p !== d.yTrue[i]).length, 15);
    });

    it('reports progress in bytes for a CSV (its sample count is unknown until the end), ending at the total', () => {
      assert.ok(progress.length >= 2, `${progress.length} progress reports`);
      const reading = progress.filter((p) => p.message.includes('samples evaluated'));
      assert.equal(reading[0].done, 0);
      const last = reading[reading.length - 1];
      assert.equal(last.done, last.total);
      assert.equal(last.total, fs.statSync(DIGITS_TEST).size);
      assert.match(last.message, /^digits-test\.csv: 450 samples evaluated$/);
      assert.equal(progress[progress.length - 1].message, 'computing metrics');
    });
  });

  it('keeps the misclassified samples first when it cannot keep them all', async () => {
    const r = await evaluate({ model: SAMPLE, data: DIGITS_TEST, keepSamples: 20 });
    const d = r.drilldown;
    assert.equal(d.count, 20);
    assert.equal(d.total, 450);
    assert.equal(d.samplesTruncated, true);
    assert.deepEqual([...d.index].sort((a, b) => a - b), d.index);
    assert.equal(d.yPred.filter((p, i) => p !== d.yTrue[i]).length, 15);
  });

  it('gives bootstrap intervals of the headline metrics when asked, the same for the same seed', async () => {
    const a = await evaluate({ model: SAMPLE, data: DIGITS_TEST, bootstrap: { resamples: 200, seed: 7 } });
    const b = await evaluate({ model: SAMPLE, data: DIGITS_TEST, bootstrap: { resamples: 200, seed: 7 } });
    const ci = a.headline.accuracy!.ci!;
    assert.ok(ci.low < a.classification!.accuracy && a.classification!.accuracy < ci.high, JSON.stringify(ci));
    assert.deepEqual(b.headline, a.headline);
  });

  it('evaluates a binary classifier with the binary averages and every sample\'s positive-class probability (equal to scikit-learn)', async () => {
    const next = rng(11);
    const rows: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const y = next() < 0.4 ? 1 : 0;
      rows.push([y + (next() - 0.5) * 2, (next() - 0.5) * 2, y]);
    }
    const data = writeCsv(path.join(env.dir, 'binary.csv'), ['a', 'b', 'label'], rows);
    const model = logisticModel(env.dir, [2.5, 0.3], -1.2);
    const r = await evaluate({ model, data });
    const m = r.classification!;
    assert.equal(m.task, 'binary');
    assert.equal(m.positiveClass, 1);
    const local = await inProcess(model, data, 'probabilities');
    const [sk] = (await runOracle([{ task: 'classification', y_true: local.labels, scores: local.scores, k: 2, positive_class: 1 }])) as Record<string, Json>[];
    close(m.f1.binary, (sk.f1 as Record<string, Json>).binary, 'f1.binary');
    close(m.rocAuc.binary, (sk.rocAuc as Record<string, Json>).binary, 'rocAuc.binary', 1e-9);
    close(m.averagePrecision.binary, (sk.averagePrecision as Record<string, Json>).binary, 'averagePrecision.binary', 1e-9);
    assert.ok(r.binary);
    assert.equal(r.binary.positiveClass, 1);
    assert.equal(r.binary.score.length, 300);
    assert.equal(r.binary.truncated, false);
    assert.deepEqual(r.binary.truth, rows.map((x) => x[2]));
    r.binary.score.forEach((p, i) => assert.ok(Math.abs(p - local.scores[2 * i + 1]) < 1e-7));
    assert.ok(r.headline.f1Binary && r.headline.rocAucBinary);
  });

  it('evaluates a regression model (a single float output) with MAE, MSE, R² … equal to scikit-learn', async () => {
    const next = rng(5);
    const rows: number[][] = [];
    for (let i = 0; i < 200; i++) {
      const x = [next() * 4, next() * 2, next()];
      rows.push([...x, 1.5 * x[0] - x[1] + 0.25 * x[2] + 3 + (next() - 0.5)]);
    }
    const data = writeCsv(path.join(env.dir, 'reg.csv'), ['x0', 'x1', 'x2', 'target'], rows);
    const model = linearModel(env.dir, [1.5, -1, 0.25], 3);
    const r = await evaluate({ model, data, labelColumn: 'target' });
    assert.equal(r.task, 'regression');
    assert.equal(r.output.role, 'values');
    assert.equal(r.data.labelKind, 'value');
    const local = await inProcess(model, data, 'y', 'target');
    const [sk] = (await runOracle([{ task: 'regression', y_true: rows.map((x) => x[3]), y_pred: local.scores }])) as Record<string, Json>[];
    for (const key of ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError'] as const) close(r.regression![key], sk[key], key, 1e-9);
    assert.equal(r.drilldown.confidence, null);
    assert.equal(r.drilldown.count, 200);
    assert.ok(r.headline.r2);
  });

  it('reads a single float output as a regression unless told it is a binary classifier, and says so when the labels are 0/1', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i / 40, i % 2]);
    const data = writeCsv(path.join(env.dir, 'zero-one.csv'), ['x', 'label'], rows);
    const model = linearModel(env.dir, [0.5], 0.2, 'one-output.onnx');
    const auto = await evaluate({ model, data });
    assert.equal(auto.task, 'regression');
    assert.match(auto.warnings.join(' '), /^Every label is 0 or 1 .* \(--task classification\)\./);
    const forced = await evaluate({ model, data, task: 'classification' });
    assert.equal(forced.task, 'classification');
    assert.equal(forced.classification!.task, 'binary');
    assert.equal(forced.output.columns, 1);
  });

  it('evaluates a model that outputs predicted classes only, on one-hot scores, and warns what that means', async () => {
    const rows = [[3, 1, 0, 0], [0, 5, 1, 1], [0, 1, 7, 2], [2, 1, 0, 2], [0, 0, 1, 2]];
    const data = writeCsv(path.join(env.dir, 'argmax.csv'), ['a', 'b', 'c', 'label'], rows);
    const r = await evaluate({ model: argmaxModel(env.dir, 3), data });
    assert.equal(r.task, 'classification');
    assert.equal(r.output.role, 'labels');
    assert.equal(r.output.probabilitySource, 'one-hot');
    assert.equal(r.classification!.accuracy, 0.8);
    assert.deepEqual(r.drilldown.yPred, [0, 1, 2, 0, 2]);
    assert.match(r.warnings[0], /holds predicted classes only, no scores: accuracy, precision, recall, F1 and the confusion matrix are exact/);
  });

  it('reads JSON Lines, .npz and IDX datasets like CSV', async () => {
    const next = rng(2);
    const xs = Array.from({ length: 30 }, () => Array.from({ length: 64 }, () => Math.floor(next() * 17)));
    const ys = xs.map((_, i) => i % 10);
    const model = SAMPLE;
    const jsonl = path.join(env.dir, 'digits.jsonl');
    fs.writeFileSync(jsonl, xs.map((x, i) => JSON.stringify({ input: x, label: ys[i] })).join('\n'));
    const npz = path.join(env.dir, 'digits.npz');
    fs.writeFileSync(npz, encodeNpz({ x: { dtype: 'float32', shape: [30, 64], data: Float32Array.from(xs.flat()) }, y: { dtype: 'int64', shape: [30], data: BigInt64Array.from(ys.map(BigInt)) } }));
    const idx = writeIdxPair(path.join(env.dir, 'idx'), 'digits', Uint8Array.from(xs.flat()), Uint8Array.from(ys), 8, 8, true);
    const csv = writeCsv(path.join(env.dir, 'same.csv'), [...Array.from({ length: 64 }, (_, i) => `f${i}`), 'label'], xs.map((x, i) => [...x, ys[i]]));
    const reports = await Promise.all([csv, jsonl, npz, idx.images].map((data) => evaluate({ model, data })));
    assert.deepEqual(reports.map((r) => r.data.format), ['csv', 'jsonl', 'npz', 'idx']);
    assert.deepEqual(reports.map((r) => r.drilldown.sourceKind), ['line', 'line', 'index', 'index']);
    assert.deepEqual(reports[3].drilldown.source.slice(0, 3), [0, 1, 2]);
    for (const r of reports) {
      assert.equal(r.data.samples, 30);
      assert.deepEqual(r.drilldown.yTrue, ys);
      assert.deepEqual(r.drilldown.yPred, reports[0].drilldown.yPred);
      assert.equal(r.classification!.accuracy, reports[0].classification!.accuracy);
    }
  });

  it('evaluates the 10 000 Fashion-MNIST test images (Debian dataset-fashion-mnist) as onnxruntime predicts them here', async () => {
    const data = requireFile(path.join(FASHION, 't10k-images-idx3-ubyte.gz'), 'apt-get install dataset-fashion-mnist (.ci/run does)');
    const model = mlpModel(env.dir, [784, 32, 10], 'fashion-mlp.onnx', 9);
    const r = await evaluate({ model, data, batchSize: 256 });
    assert.equal(r.data.format, 'idx');
    assert.equal(r.data.samples, 10_000);
    assert.equal(r.timing.batches, 40);
    const local = await inProcess(model, data, 'probabilities');
    let correct = 0;
    for (let i = 0; i < local.labels.length; i++) {
      const row = local.scores.slice(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === local.labels[i]) correct++;
    }
    assert.equal(r.classification!.accuracy, correct / 10_000);
  });

  it('evaluates uncompressed IDX images, read on the runtime\'s main thread into reused arrays, as onnxruntime predicts them here', async () => {
    // 157 batches of 64 images: every array after the first few is one handed back by an earlier batch.
    const gz = requireFile(path.join(FASHION, 't10k-images-idx3-ubyte.gz'), 'apt-get install dataset-fashion-mnist (.ci/run does)');
    const dir = path.join(env.dir, 'fashion-raw');
    fs.mkdirSync(dir, { recursive: true });
    const data = path.join(dir, 't10k-images-idx3-ubyte');
    fs.writeFileSync(data, zlib.gunzipSync(fs.readFileSync(gz)));
    fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), zlib.gunzipSync(fs.readFileSync(path.join(FASHION, 't10k-labels-idx1-ubyte.gz'))));
    const model = mlpModel(env.dir, [784, 32, 10], 'fashion-raw-mlp.onnx', 11);
    const r = await evaluate({ model, data, batchSize: 64, keepSamples: 10_000 });
    assert.equal(r.data.format, 'idx');
    assert.equal(r.data.samples, 10_000);
    assert.equal(r.timing.batches, 157);
    const local = await inProcess(model, data, 'probabilities');
    const d = r.drilldown;
    assert.equal(d.index.length, 10_000);
    d.index.forEach((sample, i) => {
      assert.equal(d.yTrue[i], local.labels[sample]);
      const expected = local.scores.slice(sample * 10, sample * 10 + 10);
      d.probabilities![i].forEach((p, k) => assert.ok(Math.abs(p - expected[k]) <= 1e-6, `sample ${sample}, class ${k}: ${p} vs ${expected[k]} here`));
    });
  });

  it('evaluates a CSV of more batches than the read-ahead holds (the worker refills the arrays handed back) as onnxruntime predicts it here', async () => {
    // 63 batches of 64 × 784 floats (200 KB) against a read-ahead of 8 MB (40 batches): the last 23
    // are read into arrays the main thread handed back after running the model on earlier ones.
    const model = mlpModel(env.dir, [784, 32, 10], 'pixels-mlp.onnx', 5);
    const data = syntheticImageCsv(path.join(env.dir, 'pixels-4k.csv'), 4000, 784, 10);
    const r = await evaluate({ model, data, batchSize: 64 });
    assert.equal(r.data.samples, 4000);
    assert.equal(r.timing.batches, 63);
    const local = await inProcess(model, data, 'probabilities');
    const d = r.drilldown;
    assert.equal(d.index.length, 4000);
    assert.ok(d.probabilities);
    d.index.forEach((sample, i) => {
      const expected = local.scores.slice(sample * 10, sample * 10 + 10);
      d.probabilities![i].forEach((p, k) => assert.ok(Math.abs(p - expected[k]) <= 1e-6, `sample ${sample}, class ${k}: ${p} vs ${expected[k]} here`));
    });
  });

  it('compares two models on the same samples and one model on two splits', async () => {
    const other = mlpModel(env.dir, [64, 16, 10], 'untrained.onnx', 4);
    const r = await evaluate({ model: SAMPLE, data: DIGITS_TEST, compareModel: { model: other }, compareData: { data: DIGITS_TRAIN }, bootstrap: { resamples: 100, seed: 1 } });
    assert.ok(r.comparison?.classification);
    assert.equal(r.comparison.model.path, other);
    const c = r.comparison.classification;
    assert.equal(c.a.accuracy, r.classification!.accuracy);
    assert.equal(c.disagreement.count, r.comparison.disagreeing.length);
    assert.ok(c.disagreement.count > 300, 'an untrained model disagrees with a trained one');
    const acc = c.deltas.find((d) => d.metric === 'accuracy')!;
    assert.ok(acc.delta! < -0.5 && acc.significant);
    assert.ok(r.splits?.classification);
    assert.deepEqual(r.splits.names, ['digits-test.csv', 'digits-train.csv']);
    assert.equal(r.splits.data.samples, 1347);
    assert.equal(r.splits.classification.accuracy, 1);
    assert.ok(r.splits.comparison.gaps.some((g) => g.metric === 'accuracy'));
  });

  describe('bad input: one sentence naming the file, row and column', () => {
    const fails = async (p: Partial<EvaluateParams> & { model: string; data: string }, message: string | RegExp) => {
      await assert.rejects(evaluate(p), (e: Error) => {
        assert.ok(e instanceof RpcError && e.reason === 'failed', String(e));
        if (typeof message === 'string') assert.equal(e.message, message);
        else assert.match(e.message, message);
        return true;
      });
    };
    const digitsLike = (name: string, edit: (lines: string[]) => void) => {
      const lines = fs.readFileSync(DIGITS_TEST, 'utf8').trim().split('\n').slice(0, 20);
      edit(lines);
      const file = path.join(env.dir, name);
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    };

    it('a label outside the classes of the model output', async () => {
      const data = digitsLike('label12.csv', (l) => (l[5] = l[5].replace(/,\d+$/, ',12')));
      await fails({ model: SAMPLE, data }, 'label12.csv, row 6, column label: 12 is not a class index from 0 to 9.');
    });

    it('a non-numeric cell and a NaN', async () => {
      await fails({ model: SAMPLE, data: digitsLike('abc.csv', (l) => (l[3] = l[3].replace(/^\d+,/, 'abc,'))) }, "abc.csv, row 4, column f0: 'abc' is not a number.");
      await fails({ model: SAMPLE, data: digitsLike('nan.csv', (l) => (l[2] = l[2].replace(/^\d+,\d+,/, '0,NaN,'))) }, "nan.csv, row 3, column f1: 'NaN' marks a missing value; fill in missing values or drop the row.");
    });

    it('a missing label column, the wrong number of features, an empty file, a missing file', async () => {
      await fails({ model: SAMPLE, data: DIGITS_TEST, labelColumn: 'digit' }, /^digits-test\.csv, row 1: has no label column 'digit' \(its columns are f0, f1, .*, label\); choose the label column\.$/);
      const short = writeCsv(path.join(env.dir, 'short.csv'), ['a', 'b', 'label'], [[1, 2, 0]]);
      await fails({ model: SAMPLE, data: short }, /^short\.csv: has 2 feature columns \(a, b\) but input 'input' \[batch, 64\] needs 64 per sample\.$/);
      fs.writeFileSync(path.join(env.dir, 'empty.csv'), '');
      await fails({ model: SAMPLE, data: path.join(env.dir, 'empty.csv') }, 'empty.csv: is empty (0 bytes).');
      await fails({ model: SAMPLE, data: path.join(env.dir, 'nope.csv') }, 'nope.csv: cannot be read: no such file.');
    });

    it('a model output name that does not exist', async () => {
      await fails({ model: SAMPLE, data: DIGITS_TEST, output: 'logits' }, "digits-mlp.onnx: has no output 'logits'; its outputs are 'probabilities' (float32 [batch, 10]), 'label' (int64 [batch]).");
    });
  });

  for (const format of ['csv', 'npy'] as const) {
  it(`stops when cancelled mid-way through a ${format === 'csv' ? 'CSV (read in the dataset worker)' : '.npy file (read on the main thread)'}, with no result, and serves the next request`, async () => {
    const big = format === 'csv' ? repeatCsv(DIGITS_TRAIN, path.join(env.dir, 'digits-200k.csv'), 200_000) : npyPair(path.join(env.dir, 'big-npy'), 200_000, 64, 10, 16);
    const abort = new AbortController();
    let reports = 0;
    let cancelled = false;
    const request = env.rpc.request('evaluate', { model: SAMPLE, options: OPTIONS, data: big }, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.message.includes('samples evaluated') && p.done > 0 && ++reports === 1) {
          cancelled = true;
          abort.abort();
        }
      },
    });
    await assert.rejects(request, (e: Error) => e instanceof RpcError && e.reason === 'cancelled');
    assert.ok(cancelled, 'progress came before the end');
    // The same runtime process serves the next request, with a whole result of its own.
    const after = await evaluate({ model: SAMPLE, data: DIGITS_TEST });
    assert.equal(after.data.samples, 450);
  });
  }
});
