/**
 * Execution providers: only the CPU runs here, so these tests pin the plumbing (the option reaches
 * onnxruntime, is part of the session key and is checked) and the fallback (never silent: a notice
 * to the parent once, the sentence with the run's result, a line on the CLI's stderr).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { platformLabel } from '../../../src/core/nativeModules';
import { providerMissing } from '../../../src/runtime/child/ort/executionProviders';
import { PROVIDER_NAMES } from '../../../src/shared/runtimeTypes';
import { optionsKey, ortSessionOptions } from '../../../src/runtime/child/ort/sessionOptions';
import type { ExecutionProvider } from '../../../src/shared/runtimeTypes';
import { OPTIONS, SAMPLE, sampleInput, useRuntime } from '../../fixtures/runtimeModels';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim() };
}

/** A provider onnxruntime-node has no build of on this platform. */
const ABSENT: ExecutionProvider = process.platform === 'darwin' ? 'dml' : 'coreml';

describe('execution providers', function () {
  this.timeout(120_000);

  it('asks onnxruntime for the provider, keys sessions by it and sets its log level', () => {
    assert.deepEqual(ortSessionOptions(OPTIONS).executionProviders, ['cpu']);
    assert.deepEqual(ortSessionOptions({ ...OPTIONS, executionProvider: 'cuda' }, {}, 'cuda').executionProviders, ['cuda']);
    assert.notEqual(optionsKey({ ...OPTIONS, executionProvider: 'cuda' }), optionsKey(OPTIONS));
    assert.equal(ortSessionOptions(OPTIONS).logSeverityLevel, 4, 'quiet unless asked');
    assert.equal(ortSessionOptions({ ...OPTIONS, ortLogLevel: 'verbose' }).logSeverityLevel, 0);
  });

  it('names what this build lacks and what it has', () => {
    assert.equal(providerMissing('cpu', ['cpu']), undefined);
    assert.equal(providerMissing('coreml', ['cpu', 'webgpu']), `is not part of onnxruntime-node for ${platformLabel()} (it has CPU, WebGPU)`);
  });

  describe('in the runtime process', () => {
    const env = useRuntime('ep');
    const notices: string[] = [];
    before(() => {
      env.rpc.onNotice = (m) => notices.push(m);
    });

    it(`falls back to the CPU for ${PROVIDER_NAMES[ABSENT]}, says so once, and returns the sentence with each run`, async () => {
      const options = { ...OPTIONS, executionProvider: ABSENT };
      const sig = await env.rpc.request('signature', { model: SAMPLE, options });
      assert.ok(sig.providers.includes('cpu') && !sig.providers.includes(ABSENT), sig.providers.join());
      assert.equal(sig.provider, 'cpu');
      const sentence = `digits-mlp.onnx runs on the CPU: the ${PROVIDER_NAMES[ABSENT]} execution provider is not part of onnxruntime-node for ${platformLabel()} (it has ${sig.providers.map((p) => PROVIDER_NAMES[p]).join(', ')}).`;
      assert.equal(sig.providerNote, sentence);
      const first = await env.rpc.request('run', { model: SAMPLE, options, inputs: sampleInput() });
      const second = await env.rpc.request('run', { model: SAMPLE, options, inputs: sampleInput(3) });
      assert.equal(first.provider, 'cpu');
      assert.equal(second.providerNote, sentence);
      assert.deepEqual(notices, [sentence], 'one notice, not one per run');
    });

    it('falls back when a listed provider fails to start, with onnxruntime\'s reason', async function () {
      // cuda is listed on Linux x64 but needs the CUDA libraries, which this project never installs.
      if (`${process.platform}-${process.arch}` !== 'linux-x64') this.skip();
      const run = await env.rpc.request('run', { model: SAMPLE, options: { ...OPTIONS, executionProvider: 'cuda' }, inputs: sampleInput() });
      assert.equal(run.provider, 'cpu');
      assert.match(run.providerNote ?? '', /^digits-mlp\.onnx runs on the CPU: the CUDA execution provider failed to start \(.+\)\.$/);
      assert.equal(run.outputs.length, 2, 'the run itself happened');
    });

    it('refuses an unknown provider with one sentence', async () => {
      await assert.rejects(env.rpc.request('run', { model: SAMPLE, options: { ...OPTIONS, executionProvider: 'tpu' as ExecutionProvider }, inputs: sampleInput() }),
        /digits-mlp\.onnx: cannot run with these session options: unknown execution provider 'tpu' \(known: cpu, cuda, dml, coreml, webgpu\)\./);
    });
  });

  describe('onnx-lens --ep', () => {
    it('runs on the CPU after saying why on stderr, and reports the provider in --json', () => {
      const r = cli('run', SAMPLE, '--ep', ABSENT, '--json');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^onnx-lens: digits-mlp\\.onnx runs on the CPU: the ${PROVIDER_NAMES[ABSENT]} execution provider is not part of onnxruntime-node for ${platformLabel()} \\(it has [^)]+\\)\\.$`));
      const out = JSON.parse(r.stdout);
      assert.equal(out.provider, 'cpu');
      assert.equal(`onnx-lens: ${out.providerNote}`, r.stderr);
    });

    it('says the fallback once for a whole benchmark sweep', () => {
      const r = cli('bench', SAMPLE, '--ep', ABSENT, '--runs', '3', '--warmup', '1', '--threads', '1,2');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.split('\n').length, 1, r.stderr);
    });

    it('is a usage error for an unknown provider', () => {
      const r = cli('run', SAMPLE, '--ep', 'gpu');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^onnx-lens: --ep must be one of cpu, cuda, dml, coreml, webgpu, not 'gpu'/);
    });

    it("prints package.json's version", () => {
      const r = cli('--version');
      assert.equal(r.code, 0);
      assert.equal(r.stdout.trim(), JSON.parse(require('node:fs').readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    });
  });
});
