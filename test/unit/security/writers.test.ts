/**
 * Issue 13, items 3–5: every writer goes through core/files/outputFile.ts — never an input of the
 * command (model, external data, datasets, calibration data, labels; by device and inode), an
 * existing file only with --force, the destination checked before the work starts, temporary
 * files opened exclusively and fsynced, unique names for concurrent reports.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkOutput, OutputRefusedError, OutputWriteError, writeOutputFile, writeUniqueFile } from '../../../src/core/files/outputFile';
import { latestReport, saveReport } from '../../../src/core/report/reportFiles';
import { graph, makeTempDir, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { ROOT, SAMPLE } from '../../fixtures/runtimeModels';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const DIGITS_TEST = path.join(ROOT, 'media/sample/digits-test.csv');
const cli = (args: string[], timeout = 120_000) => {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};
const digest = (file: string) => fs.readFileSync(file).toString('base64');

describe('security: writers never overwrite an input (issue 13, items 3–5)', function () {
  this.timeout(300_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('onnx-lens-sec-write-');
  });
  after(() => tmp.cleanup());
  const folder = () => fs.mkdtempSync(path.join(tmp.dir, 'case-'));
  const copySample = (dir: string) => {
    const model = path.join(dir, 'b.onnx');
    fs.copyFileSync(SAMPLE, model);
    return model;
  };

  it('bench --report <the model> is refused (exit 2) before benchmarking, and the model is intact', () => {
    const dir = folder();
    const model = copySample(dir);
    const before = digest(model);
    fs.linkSync(model, path.join(dir, 'hard.onnx'));
    fs.symlinkSync(model, path.join(dir, 'soft.json'));
    for (const spelling of [model, `${dir}/./b.onnx`, path.join(dir, 'hard.onnx'), path.join(dir, 'soft.json')]) {
      const r = cli(['bench', model, '--runs', '3', '--report', spelling, '--force']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^onnx-lens: --report .*: is the model, an input of this command; inputs are never overwritten, choose another file\n$/);
    }
    assert.equal(digest(model), before);
  });

  it('bench, eval and quantize --report replace an existing file only with --force', () => {
    const dir = folder();
    const model = copySample(dir);
    const report = path.join(dir, 'old.json');
    fs.writeFileSync(report, 'keep');
    const bench = cli(['bench', model, '--runs', '3', '--report', report]);
    assert.equal(bench.code, 2);
    assert.equal(bench.stderr, `onnx-lens: --report ${report}: already exists; use --force to replace it\n`);
    const evaluate = cli(['eval', model, '--data', DIGITS_TEST, '--report', report]);
    assert.equal(evaluate.code, 2);
    const quant = cli(['quantize', model, '--mode', 'fp16', '-o', path.join(dir, 'q.onnx'), '--no-bench', '--report', report]);
    assert.equal(quant.code, 2);
    assert.ok(!fs.existsSync(path.join(dir, 'q.onnx')), 'nothing was quantized');
    assert.equal(fs.readFileSync(report, 'utf8'), 'keep');
    assert.equal(cli(['bench', model, '--runs', '3', '--report', report, '--force']).code, 0);
    assert.equal(JSON.parse(fs.readFileSync(report, 'utf8')).schema, 'onnx-lens.bench/1');
  });

  it('quantize --eval d.json --report d.json (and --calib) is refused: the dataset is an input', () => {
    const dir = folder();
    const model = copySample(dir);
    const lines = fs.readFileSync(DIGITS_TEST, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const data = path.join(dir, 'd.json');
    fs.writeFileSync(data, lines.slice(1, 40).map((l) => JSON.stringify(Object.fromEntries(l.split(',').map((v, i) => [header[i], Number(v)])))).join('\n'));
    const before = digest(data);
    const out = path.join(dir, 'q.onnx');
    for (const flag of ['--eval', '--calib']) {
      const r = cli(['quantize', model, '--mode', flag === '--calib' ? 'static' : 'dynamic', flag, data, '-o', out, '--no-bench', '--report', data, '--force']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^onnx-lens: --report .*d\\.json: is the ${flag === '--eval' ? 'evaluation' : 'calibration'} data, an input of this command`));
      assert.ok(!fs.existsSync(out));
    }
    assert.equal(digest(data), before);
  });

  it("quantize -o <the input's external data file> --force is refused and the weights are intact", () => {
    const dir = folder();
    const w = writeModel({
      graph: graph({
        inputs: [tensorValue('x', 'float32', [1, 4])],
        initializers: [tensor('W', 'float32', [4, 4], Float32Array.from({ length: 16 }, (_, i) => i / 16), { storage: 'external', location: 'weights.bin' })],
        nodes: [node('MatMul', ['x', 'W'], ['y'], { name: 'mm' })],
        outputs: [tensorValue('y', 'float32', [1, 4])],
      }),
    }, { dir, fileName: 'ext.onnx' });
    const weights = w.externalPaths[0];
    const before = digest(weights);
    fs.symlinkSync(weights, path.join(dir, 'alias.onnx'));
    for (const target of [weights, path.join(dir, 'alias.onnx')]) {
      const r = cli(['quantize', w.modelPath, '--mode', 'dynamic', '-o', target, '--force', '--no-bench']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /is external data of the model \('weights\.bin'\), an input of this command/);
    }
    assert.equal(digest(weights), before);
  });

  it('a bad --report folder is refused in one line before the run: no temp-file name, no doubled prefix', () => {
    const dir = folder();
    const model = copySample(dir);
    const report = path.join(dir, 'missing', 'r.json');
    // An hour's budget: had the benchmark run first, cli() would have killed it at its 120 s timeout.
    const r = cli(['bench', model, '--runs', '100000', '--budget', '3600s', '--report', report]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `onnx-lens: --report ${report}: cannot be written: its folder ${path.dirname(report)} does not exist\n`);
  });

  describe('the safe-write primitives', () => {
    it('publishes without replacing a file that appeared meanwhile, names the target, and leaves no temp file', () => {
      const dir = folder();
      const target = path.join(dir, 'r.json');
      const checked = checkOutput({ file: target, inputs: [] });
      fs.writeFileSync(target, 'someone else');
      assert.throws(() => writeOutputFile(checked, 'mine'), (e: Error) => e instanceof OutputWriteError && e.message.startsWith(`${target}: `) && !/\.tmp/.test(e.message));
      assert.equal(fs.readFileSync(target, 'utf8'), 'someone else');
      assert.deepEqual(fs.readdirSync(dir), ['r.json']);
      writeOutputFile(checked, 'mine', { replace: true });
      assert.equal(fs.readFileSync(target, 'utf8'), 'mine');
      assert.deepEqual(fs.readdirSync(dir), ['r.json']);
    });

    it('refuses devices, folders and files inside an input folder (an image-folder dataset)', () => {
      const dir = folder();
      fs.mkdirSync(path.join(dir, 'images', 'cat'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'images', 'cat', 'a.png'), 'png');
      const inputs = [{ path: path.join(dir, 'images'), role: 'the dataset' }];
      assert.throws(() => checkOutput({ file: path.join(dir, 'images', 'cat', 'a.png'), replace: true, inputs }), (e: Error) => e instanceof OutputRefusedError && /inside that folder/.test(e.message));
      assert.throws(() => checkOutput({ file: '/dev/null', replace: true, inputs: [] }), /not a regular file/);
      assert.throws(() => checkOutput({ file: dir, replace: true, inputs: [] }), /is a folder/);
    });

    it('gives concurrent reports of the same second distinct names (8 processes at once)', async () => {
      const dir = folder();
      const report = { schema: 'onnx-lens.bench/1', createdAt: '2026-01-02T03:04:05.000Z', model: { path: '/models/m.onnx' } };
      const script = `const { saveReport } = require(${JSON.stringify(path.join(ROOT, 'src/core/report/reportFiles.ts'))}); process.stdout.write(saveReport(process.argv[1], 'bench', JSON.parse(process.argv[2])));`;
      const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script, dir, JSON.stringify({ ...report, n: i })], { cwd: ROOT });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      })));
      assert.equal(new Set(runs).size, 8);
      const saved = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
      assert.equal(saved.length, 8, saved.join(' '));
      assert.deepEqual(new Set(saved.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).n)).size, 8);
      assert.equal(saveReport(dir, 'bench', report), path.join(dir, 'm.bench.20260102-030405Z-9.json'));
      assert.ok(writeUniqueFile(dir, (n) => `x${n}.txt`, 'a').endsWith('x1.txt'));
    });

    it('finds the last of the reports saved in the same second as the latest (…Z, …Z-2, …, …Z-10)', () => {
      const dir = folder();
      const report = { schema: 'onnx-lens.drift/1', createdAt: '2026-01-02T03:04:05.000Z', model: { path: '/models/m.onnx' } };
      const files = Array.from({ length: 10 }, (_, i) => saveReport(dir, 'drift', { ...report, n: i + 1 } as typeof report));
      assert.equal(path.basename(files[9]), 'm.drift.20260102-030405Z-10.json');
      assert.equal(latestReport(dir, 'drift', '/models/m.onnx')?.file, files[9]);
    });
  });
});
