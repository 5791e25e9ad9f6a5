// Where a native module cannot load (ONNX_LENS_FAIL_NATIVE makes the load fail the way a missing
// binary does): reading models keeps working, running says why it cannot in one sentence, nothing is
// half-written, and images alone are lost without sharp.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformLabel } from '../../../src/core/nativeModules';
import { writeImage } from '../../fixtures/data/images';
import { makeTempDir } from '../../fixtures/onnxBuilder';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');

function cli(fail: string, ...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ONNX_LENS_FAIL_NATIVE: fail } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

const NO_ORT = `onnx-lens: Running, evaluating and quantizing models is unavailable here because onnxruntime cannot load: this installation has no onnxruntime-node build for ${platformLabel()}; viewing and inspecting models works without it.`;

describe('without native modules', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-native-')));
  after(() => tmp.cleanup());

  it('inspects a model as usual when neither onnxruntime nor sharp can load', () => {
    const r = cli('onnxruntime-node,sharp', 'inspect', SAMPLE, '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).nodeCount, 9);
  });

  it('refuses run, bench and eval with one sentence saying why, exit 1', () => {
    for (const args of [['run', SAMPLE], ['bench', SAMPLE, '--runs', '2'], ['eval', SAMPLE, '--data', path.join(ROOT, 'media/sample/digits-test.csv')]]) {
      const r = cli('onnxruntime-node', ...args);
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stderr, NO_ORT, args[0]);
    }
  });

  it('refuses quantize before writing anything', () => {
    const out = path.join(tmp.dir, 'q.onnx');
    const r = cli('onnxruntime-node', 'quantize', SAMPLE, '--mode', 'dynamic', '-o', out);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, NO_ORT);
    assert.ok(!fs.existsSync(out), 'no output may be left behind');
  });

  it('loses only image inputs without sharp: a generated input still runs, an image input says why it cannot', async () => {
    const ok = cli('sharp', 'run', SAMPLE, '--json');
    assert.equal(ok.code, 0, ok.stderr);
    const image = path.join(tmp.dir, 'digit.png');
    await writeImage(image, 8, 8, 1, new Array(64).fill(128));
    const r = cli('sharp', 'run', SAMPLE, '--input', `input=${image}`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^onnx-lens: .*Decoding images is unavailable here because sharp \(libvips\) cannot load: this installation has no sharp build for .*; every other input and dataset format works without it\.$/);
  });
});
