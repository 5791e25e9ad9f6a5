/**
 * `onnx-lens explain` as a user or CI runs it: the documented `--json` fields for a tabular row,
 * permutation importance and an image map (saved as .npy), the JSON report file, and bad input as
 * one sentence with the exit codes of the other commands (1 bad input, 2 usage).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNpy } from '../../../src/core/data/npy';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { runCli } from '../../fixtures/cliProcess';
import { quadrantCnn } from '../../fixtures/explainModels';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const DIGITS = path.join(ROOT, 'media/sample/digits-test.csv');

const cli = (...args: string[]) => runCli('explain', ...args);

describe('onnx-lens explain', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-explain-cli-')));
  after(() => tmp.cleanup());
  const file = (name: string) => path.join(tmp.dir, name);

  it('--json of a row: method, target, prediction, expected, attributions [{feature, value, attribution}], timeMs; --report writes the same report', async () => {
    const r = await cli(SAMPLE, '--data', DIGITS, '--row', '4', '--samples', '300', '--seed', '3', '--json', '--report', file('row4.json'));
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.method, 'kernelshap');
    assert.equal(typeof j.target, 'number');
    assert.ok(j.prediction > 0 && j.prediction <= 1);
    assert.equal(typeof j.expected, 'number');
    assert.equal(j.attributions.length, 64);
    assert.deepEqual(Object.keys(j.attributions[10]).slice(0, 3), ['feature', 'value', 'attribution']);
    const sum = j.attributions.reduce((s: number, a: { attribution: number }) => s + a.attribution, 0);
    assert.ok(Math.abs(sum - (j.prediction - j.expected)) < 1e-6);
    assert.equal(j.sanity, null);
    assert.ok(j.timeMs > 0);
    const saved = JSON.parse(fs.readFileSync(file('row4.json'), 'utf8'));
    assert.equal(saved.schema, 'onnx-lens.explain/1');
    assert.deepEqual(saved.attributions, j.attributions);
  });

  it('--method permutation --json: importances [{feature, mean, std}], metric and baseline', async () => {
    const r = await cli(SAMPLE, '--method', 'permutation', '--data', DIGITS, '--repeats', '2', '--metric', 'balanced_accuracy', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.metric, 'balanced_accuracy');
    assert.ok(j.baseline > 0.9);
    assert.equal(j.importances.length, 64);
    assert.deepEqual(Object.keys(j.importances[0]), ['feature', 'mean', 'std']);
  });

  it('an image map: {shape, npy} with --save, the sanity check, and the text summary', async () => {
    const model = quadrantCnn(tmp.dir);
    const x = Float32Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i % 1024) < 512 && (i % 32) < 16 ? 0.6 : 0.1));
    fs.writeFileSync(file('x.npy'), encodeNpy({ dtype: 'float32', shape: [1, 3, 32, 32], data: x }));
    const r = await cli(model, '--input', `image=${file('x.npy')}`, '--method', 'occlusion', '--window', '8', '--save', file('map.npy'), '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.attributions, { shape: [32, 32], npy: file('map.npy') });
    assert.ok(fs.statSync(file('map.npy')).size > 32 * 32 * 4);
    assert.equal(typeof j.sanity.rankCorrelation, 'number');
    const text = await cli(model, '--input', `image=${file('x.npy')}`, '--method', 'rise', '--masks', '64');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^RISE of quadrant-cnn\.onnx: class 0 of 'probabilities'/);
    assert.match(text.stdout, /sanity check \(last layer \/fc\/Gemm randomised\): rank correlation/);
  });

  it('bad input is one sentence: a row out of range and an image method on a table exit 1; usage exits 2; nothing is written', async () => {
    const out = file('never.json');
    const row = await cli(SAMPLE, '--data', DIGITS, '--row', '450', '--report', out);
    assert.equal(row.code, 1);
    assert.equal(row.stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn')).join('\n'), 'onnx-lens: digits-test.csv: has no row 450: it has 450 rows (0 to 449).');
    const image = await cli(SAMPLE, '--data', DIGITS, '--row', '0', '--method', 'occlusion');
    assert.equal(image.code, 1);
    assert.match(image.stderr, /digits-mlp\.onnx: Occlusion explains image inputs, but input 'input' is a row of features \[batch, 64\]; use kernelshap, lime, permutation\./);
    const usage = await cli(SAMPLE, '--data', DIGITS);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--data needs --row N/);
    const method = await cli(SAMPLE, '--data', DIGITS, '--row', '0', '--method', 'gradcam');
    assert.equal(method.code, 2);
    assert.ok(!fs.existsSync(out));
  });
});
