// The settings users expect reach the runtime process (threads and optimisation as the defaults,
// the execution provider with its CPU fallback said out loud, the labels file), and the "ONNX Lens"
// log records activation, the processes, request times and the fallback.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import type { RunSetup } from '../../src/shared/protocol';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes';
import { graph, node, tensorValue, writeModel } from '../fixtures/onnxBuilder';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

const setup: RunSetup = {
  inputs: [{ name: 'input', dims: [1, 64], source: { kind: 'random', distribution: 'uniform', seed: 3, low: 0, high: 16 } }],
  options: DEFAULT_SESSION_OPTIONS,
};

async function set(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('onnxLens').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('settings and the ONNX Lens log', () => {
  let api: OnnxLensApi;
  let uri: vscode.Uri;

  before(async () => {
    const activated = await activateApi();
    api = activated.api;
    uri = sampleModel(activated.extension);
    await openInLens(uri);
    await rendered(api, uri);
  });
  after(async () => {
    for (const key of ['intraOpThreads', 'graphOptimizationLevel', 'executionProvider', 'useLabelsFile']) await set(key, undefined);
    await closeAllEditors();
  });

  it('offers threads, optimisation, provider, labels file and reports folder as settings', () => {
    const props = vscode.extensions.getExtension('onnx-lens.onnx-lens')!.packageJSON.contributes.configuration.properties;
    for (const key of ['intraOpThreads', 'interOpThreads', 'graphOptimizationLevel', 'executionProvider', 'useLabelsFile', 'reportsFolder']) {
      assert.ok(props[`onnxLens.${key}`], `onnxLens.${key} is not contributed`);
    }
    assert.deepStrictEqual(props['onnxLens.executionProvider'].enum, ['cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
  });

  it('makes the threads and optimisation settings the Run tab defaults of a model without a saved setup', async () => {
    await set('intraOpThreads', 1);
    await set('graphOptimizationLevel', 'basic');
    const sig = await api.request(uri, 'runtimeSignature', {});
    assert.strictEqual(sig.defaults.intraOpThreads, 1);
    assert.strictEqual(sig.defaults.graphOptimization, 'basic');
    assert.ok(sig.providers.includes('cpu'));
  });

  it('sends the provider setting with every request and falls back to the CPU, saying so in the result and the log', async () => {
    await set('executionProvider', 'coreml');
    const run = await api.request(uri, 'runModel', setup);
    assert.strictEqual(run.provider, 'cpu');
    assert.match(run.providerNote ?? '', /^digits-mlp\.onnx runs on the CPU: the CoreML execution provider is not part of onnxruntime-node for Linux x64 \(it has CPU[^)]*\)\.$/);
    const { report } = await api.request(uri, 'benchmark', { ...setup, settings: { warmupRuns: 1, runs: 2, budgetMs: 0, threads: [1], batches: [] } });
    assert.strictEqual(report.options.executionProvider, 'coreml', 'the benchmark asked for the provider of the settings');
    assert.strictEqual(report.options.labelsFile, true);
    assert.ok(report.options.ortLogLevel, 'onnxruntime\'s log level follows the log');
    const explicit = await api.request(uri, 'runModel', { ...setup, options: { ...DEFAULT_SESSION_OPTIONS, executionProvider: 'cpu' } });
    assert.strictEqual(explicit.providerNote, undefined, 'a provider chosen in the Run tab wins over the setting');
  });

  it('names classes from a labels.txt beside the model only while the setting allows it', async () => {
    const dir = tempDir();
    const w = writeModel({
      graph: graph({ inputs: [tensorValue('x', 'float32', [1, 3])], nodes: [node('Softmax', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [1, 3])] }),
    }, { dir, fileName: 'animals.onnx' });
    fs.writeFileSync(path.join(dir, 'labels.txt'), 'cat\ndog\nbird\n');
    const model = vscode.Uri.file(w.modelPath);
    await openInLens(model);
    await rendered(api, model);
    const run = async () => (await api.request(model, 'runModel', { inputs: [{ name: 'x', dims: [1, 3], source: { kind: 'ones' } }], options: DEFAULT_SESSION_OPTIONS })).outputs[0].topK ?? [];
    await set('useLabelsFile', true);
    const named = await api.request(model, 'runtimeSignature', {});
    assert.strictEqual(named.labelSource, 'labels.txt');
    assert.deepStrictEqual((await run()).map((k) => k.label), ['cat', 'dog', 'bird']);
    await set('useLabelsFile', false);
    const unnamed = await api.request(model, 'runtimeSignature', {});
    assert.strictEqual(unnamed.labels, null);
    assert.deepStrictEqual((await run()).map((k) => k.label), [undefined, undefined, undefined]);
  });

  it('logs activation, the processes starting, request times and the fallback', async () => {
    const file = path.join(api.logUri.fsPath, 'ONNX Lens.log');
    await eventually(() => fs.existsSync(file) && /runs on the CPU: the CoreML/.test(fs.readFileSync(file, 'utf8')), `the fallback in ${file}`, 10_000);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\[info\] activated in \d+(\.\d+)? ms/);
    assert.match(text, /\[info\] analysis process started \(pid \d+\)/);
    assert.match(text, /\[info\] runtime process started \(pid \d+\)/);
    assert.match(text, /\[info\] analysis: open took \d+ ms/);
    assert.match(text, /\[info\] runtime: run took \d+ ms/);
    assert.match(text, /\[warning\] digits-mlp\.onnx runs on the CPU: the CoreML execution provider/);
  });
});
