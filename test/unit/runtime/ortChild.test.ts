/**
 * The runtime process as the extension and the CLI use it: the real src/runtime/child/ortChild.ts forked
 * through createRuntimeClient. A real ORT abort, cancellation, timeouts, release, and every kind of
 * bad input answered with one sentence while the process keeps serving.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNpy } from '../../../src/core/data/npy';
import type { PreprocessSpec } from '../../../src/shared/datasetTypes';
import { benchmarkModel, type RuntimeRpc } from '../../../src/runtime/client/runtimeClient';
import { RpcError } from '../../../src/rpc/messages';
import type { InputSpec } from '../../../src/shared/runtimeTypes';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { identityModel, int4OutputModel, OPTIONS, SAMPLE, sampleInput, startRuntime, useRuntime } from '../../fixtures/runtimeModels';

const isRpcError = (reason: RpcError['reason'], pattern: RegExp | string) => (e: unknown) => {
  assert.ok(e instanceof RpcError, `expected an RpcError, got ${String(e)}`);
  assert.equal(e.reason, reason, e.message);
  if (typeof pattern === 'string') assert.equal(e.message, pattern);
  else assert.match(e.message, pattern);
  assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
  return true;
};

/** Seconds of CPU the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

const childPid = (rpc: RuntimeRpc) => (rpc as unknown as { child?: { process: { pid: number } } }).child?.process.pid;

/** A benchmark that would run for hours unless stopped. */
const endlessBench = { model: SAMPLE, options: OPTIONS, inputs: sampleInput(1), config: { intraOpThreads: 1, batch: null }, warmupRuns: 0, runs: 1e9, budgetMs: 0 };

describe('the runtime process (onnxruntime-node in a forked child)', function () {
  this.timeout(60_000);
  let rpc: RuntimeRpc;
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => { tmp = makeTempDir('onnx-lens-ortchild-'); });
  after(() => tmp.cleanup());
  beforeEach(() => { rpc = startRuntime(); });
  afterEach(() => rpc.dispose());

  it('fails a run that aborts ORT (an int4 output) as "crashed" with a sentence naming SIGABRT, then serves the next request from a new process', async () => {
    await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() });
    const generation = rpc.generation;
    const crashes: string[] = [];
    rpc.onCrash = (d) => crashes.push(d);
    await assert.rejects(
      rpc.request('run', { model: int4OutputModel(tmp.dir), options: OPTIONS, inputs: [{ name: 'x', dims: [4], source: { kind: 'ones' } }] }),
      isRpcError('crashed', 'the ONNX Lens runtime process stopped unexpectedly (it was killed by SIGABRT); it restarts on the next request'),
    );
    assert.deepEqual(crashes, ['the ONNX Lens runtime process stopped unexpectedly (it was killed by SIGABRT); it restarts on the next request']);
    const after = await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() });
    assert.equal(rpc.generation, generation + 1);
    assert.deepEqual(after.outputs.map((o) => o.name), ['probabilities', 'label']);
    assert.ok(after.sessionMs > 0, 'the new process had to create its session again');
  });

  it('cancels a long benchmark through an AbortSignal ("cancelled"); the process stops it and keeps serving', async () => {
    const abort = new AbortController();
    const progress: number[] = [];
    const sweep = benchmarkModel(rpc, endlessBench, { warmupRuns: 0, runs: 1e9, budgetMs: 0, threads: [1], batches: [] }, (p) => {
      progress.push(p.done);
      // The first configuration has started: let it run a while, then cancel it.
      setTimeout(() => abort.abort(), 400);
    }, abort.signal);
    await assert.rejects(sweep, isRpcError('cancelled', "'bench' was cancelled"));
    assert.deepEqual(progress, [0]);
    const generation = rpc.generation;
    // The cancel reaches the child: it stops running the model (no CPU burnt afterwards).
    await new Promise((r) => setTimeout(r, 200));
    const pid = childPid(rpc)!;
    const cpuBefore = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(cpuSeconds(pid) - cpuBefore < 0.1, `the child used ${(cpuSeconds(pid) - cpuBefore).toFixed(2)} s of CPU in 0.5 s after the cancel`);
    const result = await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() });
    assert.equal(result.outputs.length, 2);
    assert.equal(rpc.generation, generation, 'same process');
  });

  it('times out a request that takes too long ("timeout", naming the method and the limit); the same process keeps serving', async () => {
    await rpc.request('signature', { model: SAMPLE, options: OPTIONS });
    const generation = rpc.generation;
    await assert.rejects(rpc.request('bench', endlessBench, { timeoutMs: 300 }), isRpcError('timeout', "the ONNX Lens runtime process did not answer 'bench' within 300 ms"));
    const result = await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() });
    assert.equal(result.outputs.length, 2);
    assert.equal(rpc.generation, generation);
  });

  it("releases a model's sessions and runs: its run ids no longer page, and a second release finds nothing", async () => {
    const run = await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() });
    await rpc.request('activations', { model: SAMPLE, options: OPTIONS, inputs: sampleInput(), values: ['/fc1/Relu_output_0'] });
    const other = identityModel(tmp.dir, 'float32', [3], 'other.onnx');
    const otherRun = await rpc.request('run', { model: other, options: OPTIONS, inputs: [{ name: 'x', dims: [3], source: { kind: 'ones' } }] });
    // The plain session and the one with the extra output.
    assert.deepEqual(await rpc.request('release', { model: SAMPLE }), { released: 2 });
    await assert.rejects(rpc.request('page', { runId: run.runId, name: 'probabilities', offset: 0, count: 10 }), isRpcError('failed', /no longer held by the runtime process/));
    assert.deepEqual(await rpc.request('release', { model: SAMPLE }), { released: 0 });
    // Another model is untouched until everything is released.
    assert.equal((await rpc.request('page', { runId: otherRun.runId, name: 'y', offset: 0, count: 3 })).totalBytes, 24);
    assert.deepEqual(await rpc.request('release', {}), { released: 1 });
    await assert.rejects(rpc.request('page', { runId: otherRun.runId, name: 'y', offset: 0, count: 3 }), /no longer held/);
    // Released is not broken: the model runs again, with a new session.
    assert.ok((await rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: sampleInput() })).sessionMs > 0);
  });
});

describe('bad input to the runtime process: one sentence naming the model and the input, and the process survives', function () {
  this.timeout(60_000);
  const env = useRuntime('badinput');
  let int64Model: string;
  let generation: number;
  before(async () => {
    int64Model = identityModel(env.dir, 'int64', ['n'], 'ids.onnx', 'ids');
    await env.rpc.request('signature', { model: SAMPLE, options: OPTIONS });
    generation = env.rpc.generation;
  });
  const file = (name: string, contents: string | Uint8Array) => {
    const p = path.join(env.dir, name);
    fs.writeFileSync(p, contents);
    return p;
  };
  const runSample = (inputs: InputSpec[], model = SAMPLE) => env.rpc.request('run', { model, options: OPTIONS, inputs });

  it('a wrong dimension: names the input, the declared shape, the shape given and the dimension', async () => {
    await assert.rejects(runSample(sampleInput(2).map((s) => ({ ...s, dims: [2, 65] }))), isRpcError('failed',
      "digits-mlp.onnx: input 'input' expects [batch, 64], but the shape given is [2, 65]: dimension 1 must be 64."));
  });

  it('a wrong rank: says how many dimensions are expected and given', async () => {
    await assert.rejects(runSample(sampleInput(2).map((s) => ({ ...s, dims: [2, 64, 1] }))), isRpcError('failed',
      "digits-mlp.onnx: input 'input' expects 2 dimensions [batch, 64], but the shape given has 3 [2, 64, 1]."));
  });

  it('a negative dimension', async () => {
    await assert.rejects(runSample(sampleInput(2).map((s) => ({ ...s, dims: [-1, 64] }))), isRpcError('failed',
      "digits-mlp.onnx: input 'input' needs a whole, non-negative size for every dimension of [batch, 64]; got [-1, 64]."));
  });

  it('a .npy file of the wrong shape names the file and its shape', async () => {
    const npy = file('row.npy', encodeNpy({ dtype: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) }));
    await assert.rejects(runSample([{ name: 'input', dims: [], source: { kind: 'npy', path: npy } }]), isRpcError('failed',
      "digits-mlp.onnx: input 'input' expects [batch, 64], but row.npy is [1, 3]: dimension 1 must be 64."));
  });

  it('an unreadable .npy names the model, the input and the .npy file', async () => {
    const npy = file('garbage.npy', 'hello, this is not numpy');
    await assert.rejects(runSample([{ name: 'input', dims: [], source: { kind: 'npy', path: npy } }]), isRpcError('failed',
      /^digits-mlp\.onnx: input 'input' .*garbage\.npy.*is not a \.npy file/));
  });

  it('a missing .npy names the model, the input and the .npy file', async () => {
    await assert.rejects(runSample([{ name: 'input', dims: [], source: { kind: 'npy', path: path.join(env.dir, 'absent.npy') } }]), isRpcError('failed',
      /^digits-mlp\.onnx: input 'input' .*absent\.npy.*no such file/));
  });

  it('non-integer values from a .npy for an int64 input name the value and where it is', async () => {
    const npy = file('fractions.npy', encodeNpy({ dtype: 'float64', shape: [3], data: Float64Array.from([1, 2.5, 3]) }));
    await assert.rejects(runSample([{ name: 'ids', dims: [], source: { kind: 'npy', path: npy } }], int64Model), isRpcError('failed',
      "ids.onnx: input 'ids' is int64, but fractions.npy holds float64 value 2.5 at element 1; convert the data to whole numbers."));
  });

  it('an input without a value', async () => {
    await assert.rejects(runSample([]), isRpcError('failed', "digits-mlp.onnx: input 'input' has no value: give it one in the Run panel or with --input."));
  });

  it('a value for an input the model does not have lists the inputs it does have', async () => {
    await assert.rejects(runSample([...sampleInput(), { name: 'image', dims: [1], source: { kind: 'zeros' } }]), isRpcError('failed',
      "digits-mlp.onnx: input 'image' is not an input of the model; its inputs are input."));
  });

  it('a JSON file with ragged arrays names the model, the input, the file and where the nesting breaks', async () => {
    const json = file('ragged.json', JSON.stringify({ input: [[1, 2], [3]] }));
    await assert.rejects(runSample([{ name: 'input', dims: [], source: { kind: 'json', path: json } }]), isRpcError('failed',
      /^digits-mlp\.onnx: input 'input' .*ragged\.json.*input\[1\].*ragged/));
  });

  it('unusable image preprocessing settings and a file that is no image name the model and the input', async () => {
    const imageModel = identityModel(env.dir, 'float32', [1, 3, 4, 4], 'image.onnx', 'image');
    const png = file('fake.png', 'not a png at all');
    const preprocess: PreprocessSpec = { width: 4, height: 4, resize: 'stretch', crop: 'none', layout: 'NCHW', channels: 'rgb', scale: 1 / 255, mean: [0], std: [1] };
    await assert.rejects(runSample([{ name: 'image', dims: [], source: { kind: 'image', path: png, preprocess: { ...preprocess, width: 0 } } }], imageModel),
      isRpcError('failed', /^image\.onnx: input 'image' .*[Pp]reprocessing settings are not usable/));
    await assert.rejects(runSample([{ name: 'image', dims: [], source: { kind: 'image', path: png, preprocess } }], imageModel),
      isRpcError('failed', /^image\.onnx: input 'image' .*fake\.png/));
  });

  it('a model file that is not ONNX is named, with what it looks like', async () => {
    const notOnnx = file('notes.onnx', 'this is plain text, not a model');
    await assert.rejects(runSample(sampleInput(), notOnnx), isRpcError('failed', `${notOnnx}: is not an ONNX model: it looks like a text file`));
    await assert.rejects(runSample(sampleInput(), path.join(env.dir, 'absent.onnx')), isRpcError('failed', `${path.join(env.dir, 'absent.onnx')}: cannot be read: no such file`));
  });

  it('a bad session option is a sentence about the model, not an "unexpected error"', async () => {
    await assert.rejects(env.rpc.request('run', { model: SAMPLE, options: { ...OPTIONS, intraOpThreads: -1 }, inputs: sampleInput() }), isRpcError('failed',
      /^digits-mlp\.onnx: cannot run with these session options: intra-op threads must be a whole number from 0 \(onnxruntime's choice\) to 256, not -1\.$/));
  });

  it('has kept serving from the same process through all of the above', async () => {
    const result = await runSample(sampleInput());
    assert.equal(result.outputs[0].name, 'probabilities');
    assert.equal(env.rpc.generation, generation);
  });
});
