/**
 * `onnx-lens quantize` as a user runs it: exit codes, the one-line failures, path safety (never the
 * input, whatever the spelling; an existing output only with --force; nothing left behind on
 * failure) and the report's figures.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readModelFile } from '../../../src/core/onnx/reader';
import type { QuantReport } from '../../../src/shared/quantReport';
import { graph, makeTempDir, node, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { regressionModel } from '../host/models';
import { DIGITS_TEST, DIGITS_TRAIN, ROOT, SAMPLE } from './models';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), 'quantize', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Everything in `dir` except what a test put there on purpose. */
const leftovers = (dir: string, expected: string[]) => fs.readdirSync(dir).filter((f) => !expected.includes(f));

describe('onnx-lens quantize', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let input: string;
  before(() => {
    tmp = makeTempDir('onnx-lens-quant-cli-');
    input = path.join(tmp.dir, 'digits.onnx');
    fs.copyFileSync(SAMPLE, input);
  });
  after(() => tmp.cleanup());

  it('quantizes the sample dynamically: exit 0, a report with size, agreement, per-node error, accuracy and latency', () => {
    const out = path.join(tmp.dir, 'digits-int8.onnx');
    const report = path.join(tmp.dir, 'digits-int8.quant.json');
    const r = cli([input, '--mode', 'dynamic', '-o', out, '--eval', DIGITS_TEST, '--report', report, '--bench-runs', '50']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /digits\.onnx → digits-int8\.onnx: dynamic, 3 nodes rewritten/);
    assert.match(r.stdout, /Per-node error \(worst 3 of 3\)/);
    const q = JSON.parse(fs.readFileSync(report, 'utf8')) as QuantReport;
    assert.equal(q.schema, 'onnx-lens.quant/1');
    assert.equal(q.output.path, out);
    assert.equal(q.size.before, fs.statSync(input).size);
    assert.equal(q.size.after, fs.statSync(out).size);
    assert.ok(q.size.ratio < 0.45);
    assert.equal(q.comparison!.headline!.output, 'probabilities');
    assert.ok(q.comparison!.headline!.top1! >= 0.98);
    assert.equal(q.comparison!.samples, 450);
    assert.deepEqual(q.comparison!.nodes.map((n) => n.node).sort(), ['/fc1/Gemm', '/fc2/Gemm', '/fc3/Gemm']);
    const sqnr = q.comparison!.nodes.map((n) => n.sqnrDb);
    assert.deepEqual(sqnr, [...sqnr].sort((a, b) => a - b));
    assert.ok(sqnr.every((x) => x > 20), JSON.stringify(sqnr));
    assert.ok(q.comparison!.nodes.every((n) => n.cosine > 0.99));
    assert.equal(q.accuracy!.samples, 450);
    assert.ok(q.accuracy!.delta >= -0.01, `accuracy ${q.accuracy!.before} → ${q.accuracy!.after}`);
    // The paired bootstrap interval of the change, as the editor's report has it.
    assert.ok(q.accuracy!.deltaCi && q.accuracy!.deltaCi.low <= q.accuracy!.delta && q.accuracy!.delta <= q.accuracy!.deltaCi.high, JSON.stringify(q.accuracy));
    assert.ok(q.latency!.before.p50 > 0 && q.latency!.after.p50 > 0);
    readModelFile(out).close();
  });

  it('prints the report as JSON with --json, and per-layer sparsity before and after for pruning', () => {
    const out = path.join(tmp.dir, 'digits-pruned.onnx');
    const r = cli([input, '--mode', 'prune', '--sparsity', '0.4', '--prune-scope', 'global', '-o', out, '--no-bench', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const q = JSON.parse(r.stdout) as QuantReport;
    assert.deepEqual(q.nodes.map((n) => [n.node, n.sparsity!.before < n.sparsity!.after]), [['/fc1/Gemm', true], ['/fc2/Gemm', true], ['/fc3/Gemm', true]]);
    assert.equal(q.settings.pruneScope, 'global');
  });

  it('writes the standalone HTML page with --report x.html', () => {
    const out = path.join(tmp.dir, 'digits-pruned-html.onnx');
    const page = path.join(tmp.dir, 'digits-pruned.quant.html');
    const r = cli([input, '--mode', 'prune', '--sparsity', '0.5', '-o', out, '--no-bench', '--report', page]);
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(page, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<script type="application\/json" id="eval-report">\{"schema":"onnx-lens\.quant\/1"/);
    assert.match(html, /digits\.onnx → digits-pruned-html\.onnx — ONNX Lens quantization/);
  });

  describe('never writes over the input', () => {
    const spellings: [string, (dir: string) => string][] = [
      ['the same path', (dir) => path.join(dir, 'digits.onnx')],
      ['a ./ spelling', (dir) => `${dir}/./digits.onnx`],
      ['a .. spelling', (dir) => `${dir}/sub/../digits.onnx`],
      ['a symlink to it', (dir) => path.join(dir, 'link.onnx')],
      ['a relative path from another folder', (dir) => path.relative(ROOT, path.join(dir, 'digits.onnx'))],
    ];
    for (const [label, spell] of spellings) {
      it(`refuses ${label}, even with --force, and leaves the folder as it was`, () => {
        fs.mkdirSync(path.join(tmp.dir, 'sub'), { recursive: true });
        if (!fs.existsSync(path.join(tmp.dir, 'link.onnx'))) fs.symlinkSync(input, path.join(tmp.dir, 'link.onnx'));
        const before = fs.readdirSync(tmp.dir).sort();
        const bytes = fs.readFileSync(input);
        const r = cli([input, '--mode', 'dynamic', '-o', spell(tmp.dir), '--force', '--no-bench']);
        assert.equal(r.code, 2, r.stdout);
        assert.match(r.stderr, /^onnx-lens: -o .*(digits|link)\.onnx: is the model, an input of this command; inputs are never overwritten, choose another file\n$/);
        assert.deepEqual(fs.readFileSync(input), bytes);
        assert.deepEqual(fs.readdirSync(tmp.dir).sort(), before);
      });
    }
  });

  it('refuses an existing output without --force and replaces it with --force', () => {
    const out = path.join(tmp.dir, 'exists.onnx');
    fs.writeFileSync(out, 'precious');
    const r = cli([input, '--mode', 'fp16', '-o', out, '--no-bench']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `onnx-lens: -o ${out}: already exists; use --force to replace it\n`);
    assert.equal(fs.readFileSync(out, 'utf8'), 'precious');
    assert.equal(cli([input, '--mode', 'fp16', '-o', out, '--no-bench', '--force']).code, 0);
    readModelFile(out).close();
  });

  const usage: [string, string[], RegExp][] = [
    ['no --mode', [], /--mode is required/],
    ['an unknown mode', ['--mode', 'int3'], /--mode must be dynamic, static, weight-only, mixed, fp16 or prune, not 'int3'/],
    ['4 bits for dynamic', ['--mode', 'dynamic', '--bits', '4'], /--bits 4 is for weight-only and mixed modes/],
    ['static without calibration data', ['--mode', 'static'], /--mode static needs calibration data: --calib <data>/],
    ['a block size that is not a power of two', ['--mode', 'weight-only', '--block-size', '24'], /--block-size must be a power of two of at least 16, not '24'/],
    ['a sparsity of 1.5', ['--mode', 'prune', '--sparsity', '1.5'], /--sparsity must be a share between 0 and 1/],
    ['an unknown calibration method', ['--mode', 'static', '--calib', 'x.csv', '--calib-method', 'magic'], /--calib-method must be minmax, percentile or entropy/],
    ['a report that is neither .json nor .html', ['--mode', 'dynamic', '--report', 'never-report.txt'], /--report must name a \.json or \.html file, not 'never-report\.txt'/],
  ];
  for (const [label, args, pattern] of usage) {
    it(`exits 2 on a usage error: ${label}`, () => {
      const r = cli([input, ...args, '-o', path.join(tmp.dir, 'never.onnx')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.ok(!fs.existsSync(path.join(tmp.dir, 'never.onnx')));
    });
  }

  it('exits 2 without -o', () => {
    const r = cli([input, '--mode', 'dynamic']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give the output file with -o <out\.onnx>/);
  });

  describe('bad input: one clear sentence and nothing left behind', () => {
    it('a model with no quantizable ops', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'relu-'));
      const { modelPath } = writeModel({ graph: graph({ inputs: [tensorValue('x', 'float32', [2])], nodes: [node('Relu', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [2])] }) }, { dir, fileName: 'relu.onnx' });
      const r = cli([modelPath, '--mode', 'dynamic', '-o', path.join(dir, 'out.onnx'), '--no-bench']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^onnx-lens: .*relu\.onnx: has no quantizable ops for dynamic quantization: no MatMul\/Gemm node with a constant float32 weight\n$/);
      assert.deepEqual(leftovers(dir, ['relu.onnx']), []);
    });

    it('calibration data that does not match the inputs', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'calib-'));
      const data = path.join(dir, 'ten-columns.csv');
      fs.writeFileSync(data, `${Array.from({ length: 10 }, (_, i) => `f${i}`).join(',')},label\n${Array.from({ length: 11 }, () => '1').join(',')}\n`);
      const r = cli([input, '--mode', 'static', '--calib', data, '-o', path.join(dir, 'out.onnx'), '--no-bench']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      assert.match(r.stderr, /ten-columns\.csv: /);
      assert.match(r.stderr, /input 'input'/);
      assert.deepEqual(leftovers(dir, ['ten-columns.csv']), []);
    });

    it('evaluation labels that are not class indices: the model written before the accuracy failed is removed', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'reg-'));
      const { model, data } = regressionModel(dir);
      const r = cli([model, '--mode', 'dynamic', '-o', path.join(dir, 'out.onnx'), '--eval', data, '--no-bench']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^onnx-lens: reg\.csv, row \d+, column label: .* is not a class index[^\n]*\n$/);
      assert.deepEqual(leftovers(dir, ['reg.onnx', 'reg.csv']), []);
    });

    it('a read-only output folder', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'ro-'));
      fs.chmodSync(tmp.dir, 0o755);
      fs.chmodSync(input, 0o644);
      fs.chmodSync(dir, 0o555);
      // root writes anywhere: run the command as nobody to see what a user sees.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: tmp.dir } } : {};
      try {
        const r = cli([input, '--mode', 'dynamic', '-o', path.join(dir, 'out.onnx'), '--no-bench'], asUser);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^onnx-lens: -o .*out\.onnx: cannot be written: the folder .* is read-only\n$/);
        assert.deepEqual(fs.readdirSync(dir), []);
      } finally {
        fs.chmodSync(dir, 0o755);
      }
    });
  });

  it('calibrates static QDQ with each method and keeps the sample accurate', () => {
    for (const method of ['minmax', 'percentile', 'entropy']) {
      const out = path.join(tmp.dir, `static-${method}.onnx`);
      const r = cli([input, '--mode', 'static', '--calib', DIGITS_TRAIN, '--calib-method', method, '--calib-samples', '512', '-o', out, '--eval', DIGITS_TEST, '--no-bench', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const q = JSON.parse(r.stdout) as QuantReport;
      assert.equal(q.calibration!.method, method);
      assert.equal(q.calibration!.samples, 512);
      assert.ok(q.accuracy!.delta >= -0.01, `${method}: accuracy ${q.accuracy!.before} → ${q.accuracy!.after}`);
    }
  });
});
