/**
 * The Run tab's requests answered by the host layer (src/host/runRequests.ts) on fake ports and the
 * real runtime process: the settings reach every request, the setup is remembered per model, a
 * benchmark is saved and reported, a profile colours the graph, and writes go only where the save
 * dialog says (never over the model).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callHandler, type RequestContext } from '../../../src/host/requestHandlers';
import { modelRequests } from '../../../src/host/modelRequests';
import type { OverlayMessage, RunSetup } from '../../../src/shared/protocol';
import { readModelFile } from '../../../src/core/onnx/reader';
import { analyseInProcess, standaloneModelPorts, type StandalonePortsOptions } from '../../fixtures/hostPorts';
import { OPTIONS, SAMPLE, sampleInput, useRuntime } from '../../fixtures/runtimeModels';

function context(progress: [number, number, string][] = []): RequestContext {
  return { signal: new AbortController().signal, progress: (d, t, m) => progress.push([d, t, m]) };
}

describe('host: the Run tab\'s requests', function () {
  this.timeout(120_000);
  const env = useRuntime('host-run');
  let model: string;
  const ports = (more: Partial<StandalonePortsOptions> = {}) => standaloneModelPorts({ model, runtime: () => env.rpc, reportsFolder: path.join(env.dir, 'reports'), ...more });

  before(() => {
    model = path.join(env.dir, 'digits-mlp.onnx');
    fs.copyFileSync(SAMPLE, model);
    fs.copyFileSync(path.join(path.dirname(SAMPLE), 'digits-test.csv'), path.join(env.dir, 'digits-test.csv'));
  });

  it('answers the signature with the settings as defaults, the datasets beside the model, and the setup saved for it', async () => {
    const p = ports({ settings: { intraOpThreads: 2, graphOptimizationLevel: 'basic', executionProvider: 'warp-drive' } });
    const handlers = modelRequests(p);
    const first = await callHandler(handlers, 'runtimeSignature', {}, context());
    assert.deepEqual(first.defaults, { ...OPTIONS, intraOpThreads: 2, graphOptimization: 'basic', executionProvider: 'cpu' });
    assert.equal(first.saved, null);
    assert.deepEqual(first.datasets, [path.join(env.dir, 'digits-test.csv')]);
    const setup: RunSetup = { inputs: sampleInput(1), options: { ...OPTIONS, intraOpThreads: 1 } };
    await callHandler(handlers, 'saveRunSetup', setup, context());
    assert.deepEqual([...p.store.values.keys()], [`onnxLens.runSetup:file://${model}`]);
    assert.deepEqual((await callHandler(handlers, 'runtimeSignature', {}, context())).saved, setup);
  });

  it('saves a benchmark in the reports folder, reports it, and says which configuration runs', async () => {
    const p = ports();
    const progress: [number, number, string][] = [];
    const { report, savedTo } = await callHandler(modelRequests(p), 'benchmark', {
      inputs: sampleInput(1), options: OPTIONS, settings: { warmupRuns: 1, runs: 5, budgetMs: 1000, threads: [1, 2], batches: [] },
    }, context(progress));
    assert.equal(path.dirname(savedTo!), path.join(env.dir, 'reports'));
    assert.deepEqual(JSON.parse(fs.readFileSync(savedTo!, 'utf8')).points.length, 2);
    assert.deepEqual(p.produced.bench, [report]);
    assert.deepEqual(progress.map(([, , m]) => m), ['Configuration 1 of 2: 1 threads', 'Configuration 2 of 2: 2 threads', 'Done']);
  });

  it('saves no benchmark where there is no reports folder, and still answers', async () => {
    const p = ports({ reportsFolder: null });
    const { savedTo } = await callHandler(modelRequests(p), 'benchmark', { inputs: sampleInput(1), options: OPTIONS, settings: { warmupRuns: 0, runs: 2, budgetMs: 500, threads: [1], batches: [] } }, context());
    assert.equal(savedTo, null);
    assert.equal(p.produced.bench.length, 1);
  });

  it('pushes the profile onto the graph as the time overlay', async () => {
    const { analysed } = analyseInProcess(readModelFile(model));
    const p = ports({ payload: () => analysed.payload });
    const profile = await callHandler(modelRequests(p), 'profile', { inputs: sampleInput(1), options: OPTIONS, runs: 3 }, context());
    const overlay = p.pushed[0] as OverlayMessage;
    assert.equal(overlay.channel, 'time');
    const at = analysed.payload.nodeNames.indexOf('/head/Softmax');
    assert.equal(overlay.values[at], profile.nodeUs['/head/Softmax']);
  });

  it('saves a tensor where the save dialog says, answers null when it is cancelled, and never writes over the model', async () => {
    const handlers = (saveAs?: string) => modelRequests(ports({ saveAs }));
    const { runId } = await callHandler(handlers(), 'runModel', { inputs: sampleInput(1), options: OPTIONS }, context());
    assert.deepEqual(await callHandler(handlers(), 'saveTensor', { runId, name: 'probabilities', format: 'npy' }, context()), { savedTo: null });
    const out = path.join(env.dir, 'probabilities.npy');
    assert.deepEqual(await callHandler(handlers(out), 'saveTensor', { runId, name: 'probabilities', format: 'npy' }, context()), { savedTo: out });
    assert.ok(fs.statSync(out).size > 40);
    const before = fs.readFileSync(model);
    await assert.rejects(Promise.resolve(callHandler(handlers(model), 'saveTensor', { runId, name: 'probabilities', format: 'npy' }, context())), /is the model/);
    assert.deepEqual(fs.readFileSync(model), before);
  });

  it('answers a slab of a captured activation with its own bytes, not the whole message they came in', async () => {
    const handlers = modelRequests(ports());
    const { runId } = await callHandler(handlers, 'runModel', { inputs: sampleInput(2), options: OPTIONS }, context());
    const slab = await callHandler(handlers, 'runTensorSlab', { runId, name: 'probabilities', leading: [1] }, context());
    assert.equal(slab.buffer.byteLength, slab.dims.reduce((a, b) => a * b, 1) * 4);
    // The second row of a softmax: ten probabilities that sum to 1.
    const row = [...new Float32Array(slab.buffer)];
    assert.deepEqual(slab.dims, [10]);
    assert.ok(row.every((p) => p >= 0 && p <= 1), row.join());
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5, row.join());
  });

  it('picks an input file through the file picker, by kind', async () => {
    const image = path.join(env.dir, 'cat.png');
    const handlers = modelRequests(ports({ picks: { image } }));
    assert.deepEqual(await callHandler(handlers, 'pickInputFile', { input: 'input', kind: 'image' }, context()), { path: image });
    assert.deepEqual(await callHandler(handlers, 'pickInputFile', { input: 'input', kind: 'npy' }, context()), { path: null });
  });

  it('says a model that is not on the disk cannot run, in one sentence', async () => {
    const handlers = modelRequests(standaloneModelPorts({ model: null, runtime: () => env.rpc, reportsFolder: null }));
    await assert.rejects(Promise.resolve(callHandler(handlers, 'runModel', { inputs: sampleInput(1), options: OPTIONS }, context())), /^Error: model\.onnx is not on the local disk, so onnxruntime cannot open it\.$/);
  });
});
