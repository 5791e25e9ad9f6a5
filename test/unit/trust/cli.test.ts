/**
 * The trust commands as CI runs them: `eval --conformal/--temperature`, `robust` and `drift` —
 * the JSON they print, the reports they write, the exit codes of gates, usage errors and bad data
 * (one line naming the file, row and column).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { linearModel, logisticModel, writeCsv } from '../eval/models';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const TEST = path.join(ROOT, 'media/sample/digits-test.csv');
const TRAIN = path.join(ROOT, 'media/sample/digits-train.csv');

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The digits CSV with pixel columns f20, f21, f28, f29 brightened by 4 (a drift the model notices). */
function shiftedDigits(file: string): string {
  const [header, ...rows] = fs.readFileSync(TEST, 'utf8').trim().split('\n');
  const shifted = rows.map((r) => r.split(',').map((v, i) => ([20, 21, 28, 29].includes(i) ? String(Math.min(16, Number(v) + 4)) : v)).join(','));
  fs.writeFileSync(file, `${[header, ...shifted].join('\n')}\n`);
  return file;
}

describe('onnx-lens eval --conformal / --temperature, robust, drift', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-trust-cli-')));
  after(() => tmp.cleanup());
  const file = (name: string) => path.join(tmp.dir, name);

  it('eval --conformal 0.1 --temperature --json adds conformal and temperature, on a split of the data', async () => {
    const r = await cli('eval', SAMPLE, '--data', TEST, '--conformal', '0.1', '--temperature', '--calib-split', '0.4', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j.conformal).filter((k) => ['alpha', 'coverage', 'coverageCi95', 'meanSetSize'].includes(k)).sort(), ['alpha', 'coverage', 'coverageCi95', 'meanSetSize']);
    assert.equal(j.conformal.alpha, 0.1);
    assert.equal(j.conformal.calibrationSize, 180);
    assert.equal(j.conformal.testSize, 270);
    assert.ok(j.conformal.coverageCi95[0] <= j.conformal.coverage && j.conformal.coverage <= j.conformal.coverageCi95[1]);
    assert.deepEqual(j.conformal.guarantee, [0.9, 0.9 + 1 / 181]);
    assert.ok(j.temperature.T > 0 && typeof j.temperature.eceBefore === 'number' && typeof j.temperature.eceAfter === 'number');
    assert.equal(j.report.uncertainty.distributions.confidence.edges.length, 21);
    assert.equal(j.accuracy.toFixed(4), '0.9667', 'the headline metrics stay on the whole data');
  });

  it('eval --conformal on a regression gives intervals; --conformal 1.5 is a usage error', async () => {
    const data = writeCsv(file('reg.csv'), ['x', 'y'], Array.from({ length: 40 }, (_, i) => [i, 2 * i + 1 + (i % 5) - 2]));
    const r = await cli('eval', linearModel(tmp.dir, [2], 1), '--data', data, '--label', 'y', '--conformal', '0.2', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.conformal.score, 'absolute-residual');
    assert.ok(j.conformal.intervalWidth > 0);
    const bad = await cli('eval', SAMPLE, '--data', TEST, '--conformal', '1.5');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--conformal must be a number between 0 and 1/);
  });

  it('robust --json: curves from the clean accuracy (severity 0) down, flip rates, the attack, examples with thumbnails', async () => {
    const report = file('robust.json');
    const r = await cli('robust', SAMPLE, '--data', TEST, '--perturb', 'noise=0.02,0.1', '--perturb', 'dropout=0.3', '--attack', 'square', '--eps', '0.05', '--queries', '100', '--attack-samples', '30', '--bootstrap', '100', '--json', '--report', report);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.metric, 'accuracy');
    const noise = j.curves.filter((p: { perturbation: string }) => p.perturbation === 'noise');
    assert.deepEqual(noise.map((p: { severity: number }) => p.severity), [0, 0.02, 0.1]);
    assert.equal(noise[0].metric.toFixed(4), '0.9667', 'severity 0 is the clean evaluation');
    assert.equal(noise[0].flipRate, 0);
    assert.ok(noise[2].metric < noise[0].metric && noise[2].flipRate > 0);
    for (const p of j.curves) for (const key of ['perturbation', 'severity', 'metric', 'ci95', 'flipRate']) assert.ok(key in p, key);
    assert.ok(j.attack.successRate > 0 && j.attack.medianQueries >= 1 && j.attack.eps === 0.05);
    const saved = JSON.parse(fs.readFileSync(report, 'utf8'));
    assert.equal(saved.schema, 'onnx-lens.robust/1');
    const ex = saved.examples.find((e: { perturbation: string }) => e.perturbation === 'attack');
    assert.ok(ex && ex.original.thumbnail.startsWith('data:image/png;base64,') && ex.perturbed.values.length === 64);
    assert.notEqual(ex.cleanPrediction, ex.perturbedPrediction);
  });

  it('robust --fail-under exits 3 with one line naming the failed point, and 0 when it holds', async () => {
    const junit = file('robust.xml');
    const fail = await cli('robust', SAMPLE, '--data', TEST, '--fail-under', 'accuracy@noise=0.1:0.9', '--bootstrap', '0', '--junit', junit);
    assert.equal(fail.code, 3, fail.stderr);
    assert.match(fail.stderr, /^onnx-lens: .*digits-mlp\.onnx: accuracy@noise=0\.1 0\.\d+ < 0\.9\n$/);
    assert.match(fs.readFileSync(junit, 'utf8'), /<failure message="accuracy@noise=0\.1/);
    const pass = await cli('robust', SAMPLE, '--data', TEST, '--fail-under', 'accuracy@dropout=0.05:0.8', '--bootstrap', '0', '--samples', '200');
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /pass\s+accuracy@dropout=0\.05 0\.\d+ >= 0\.8/);
  });

  it('robust refuses what cannot apply: an unknown perturbation (exit 2), blur on a tabular model (exit 1, one sentence)', async () => {
    const unknown = await cli('robust', SAMPLE, '--data', TEST, '--perturb', 'fog=1');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--perturb: unknown perturbation 'fog'; valid ones are noise, feature-noise, dropout/);
    const data = writeCsv(file('bin.csv'), ['a', 'b', 'label'], Array.from({ length: 30 }, (_, i) => [i / 30, 1 - i / 30, i % 2]));
    const blur = await cli('robust', logisticModel(tmp.dir, [3, -3], 0), '--data', data, '--perturb', 'blur=1');
    assert.equal(blur.code, 1);
    assert.match(blur.stderr, /^onnx-lens: logistic\.onnx: cannot be tested with blur: input 'x' is not an image/);
    assert.equal(blur.stderr.trim().split('\n').length, 1);
  });

  it('robust on bad data says which file, row and column in one line', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10, i % 2]);
    rows[6][2] = 7;
    const data = writeCsv(file('badlabel.csv'), ['a', 'b', 'label'], rows);
    const r = await cli('robust', logisticModel(tmp.dir, [3, -3], 0, 'logistic2.onnx'), '--data', data);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^onnx-lens: badlabel\.csv, row 8, column label: 7 is not a class index from 0 to 1/);
  });

  it('drift --json: the same distribution does not drift, a shifted one does; --fail-if psi>0.2 exits 3 naming the features', async () => {
    const same = await cli('drift', '--reference', TRAIN, '--current', TEST, '--fail-if', 'psi>0.2', '--json');
    assert.equal(same.code, 0, same.stderr);
    const a = JSON.parse(same.stdout);
    assert.equal(a.features.length, 65);
    for (const key of ['name', 'psi', 'ks', 'pValue', 'drifted']) assert.ok(key in a.features[0], key);
    assert.deepEqual(a.drifted, []);
    const shifted = shiftedDigits(file('shifted.csv'));
    const moved = await cli('drift', '--reference', TRAIN, '--current', shifted, '--model', SAMPLE, '--fail-if', 'psi>0.2', '--json');
    assert.equal(moved.code, 3);
    const b = JSON.parse(moved.stdout);
    assert.deepEqual(b.features.slice(0, 4).map((f: { name: string }) => f.name).sort(), ['f20', 'f21', 'f28', 'f29']);
    assert.ok(b.features.slice(0, 4).every((f: { drifted: boolean }) => f.drifted));
    assert.equal(b.outputs.length, 11, 'ten class probabilities and the predicted class');
    assert.match(moved.stderr, /^onnx-lens: .*shifted\.csv: psi>0\.2: f21 \(\d/);
  });

  it('drift on bad data: a ragged row names file and row, a missing column names file and column', async () => {
    const ref = writeCsv(file('ref.csv'), ['a', 'b'], [[1, 2], [3, 4], [5, 6]]);
    fs.writeFileSync(file('ragged.csv'), 'a,b\n1,2\n3,4,5\n');
    const ragged = await cli('drift', '--reference', ref, '--current', file('ragged.csv'));
    assert.equal(ragged.code, 1);
    assert.equal(ragged.stderr, 'onnx-lens: ragged.csv, row 3: has 3 fields where the header has 2.\n');
    const other = writeCsv(file('other.csv'), ['a', 'c'], [[1, 2]]);
    const missing = await cli('drift', '--reference', ref, '--current', other);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, "onnx-lens: other.csv, column b: has no column 'b', which the reference ref.csv has.\n");
  });
});
