// The runtime inside VS Code: the Run panel's requests reach onnxruntime in the runtime process
// through the same handlers the webview uses; a benchmark's report is saved and its p50 shows in
// the status bar and the hover; an ORT abort costs the runtime process, never the extension host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import { unescapeMarkdown } from '../../src/extension/hover/hoverMarkdown';
import type { OnnxLensApi } from '../../src/extension/api';
import type { RunSetup } from '../../src/shared/protocol';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes';
import { graph, node, tensorType, tensorValue, valueInfo, writeModel } from '../fixtures/onnxBuilder';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

const setup = (batch = 1): RunSetup => ({
  inputs: [{ name: 'input', dims: [batch, 64], source: { kind: 'random', distribution: 'uniform', seed: 7, low: 0, high: 16 } }],
  options: DEFAULT_SESSION_OPTIONS,
});

/** Cast to INT4 as a graph output: onnxruntime-node aborts its process when it returns one (docs/environment.md). */
function int4OutputModel(dir: string): vscode.Uri {
  const w = writeModel({
    graph: graph({
      inputs: [tensorValue('x', 'float32', [4])],
      nodes: [node('Cast', ['x'], ['y'], { attrs: { to: 22 } })],
      outputs: [valueInfo('y', tensorType(22, [4]))],
    }),
    opset: 21,
    irVersion: 10,
  }, { dir, fileName: 'int4-output.onnx' });
  return vscode.Uri.file(w.modelPath);
}

describe('ONNX Lens runtime in the extension host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;

  before(async () => {
    ({ api, extension } = await activateApi());
  });

  afterEach(closeAllEditors);

  it('registers Run, Benchmark and Profile Model in the palette', async () => {
    const registered = await vscode.commands.getCommands(true);
    for (const id of ['onnxLens.runModel', 'onnxLens.benchmarkModel', 'onnxLens.profileModel']) assert.ok(registered.includes(id), `${id} is not registered`);
  });

  it('runs the sample model and returns labelled top-k scores', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const sig = await api.request(uri, 'runtimeSignature', {});
    assert.deepStrictEqual(sig.inputs, [{ name: 'input', elemType: 'float32', dims: ['batch', 64] }]);
    assert.strictEqual(sig.labels?.length, 10);
    const result = await api.request(uri, 'runModel', setup(2));
    const probabilities = result.outputs.find((o) => o.name === 'probabilities')!;
    assert.deepStrictEqual(probabilities.dims, [2, 10]);
    assert.ok(Math.abs(probabilities.numeric!.mean - 0.1) < 1e-6, 'softmax rows sum to 1');
    assert.strictEqual(probabilities.topK?.length, 5);
    assert.ok(probabilities.topK!.every((k) => k.label === String(k.index)));
    assert.ok(result.runMs > 0);
  });

  it('captures every activation in one run and pages and bins any of them', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const result = await api.request(uri, 'captureActivations', { ...setup(4), values: 'all' });
    const names = result.activations.map((a) => a.name);
    assert.deepStrictEqual(names.slice(0, 4), ['/scaler/Sub_output_0', '/scaler/Mul_output_0', '/fc1/Gemm_output_0', '/fc1/Relu_output_0']);
    assert.ok(names.includes('probabilities'), 'graph outputs are part of the network too');
    const relu = result.activations.find((a) => a.name === '/fc1/Relu_output_0')!;
    assert.ok(relu.numeric!.zeros > 0 && relu.numeric!.min === 0, 'ReLU output has exact zeros');
    const page = await api.request(uri, 'runTensorPage', { runId: result.runId, name: relu.name, offset: 0, count: 1000 });
    const values = new Float64Array(page.buffer);
    assert.strictEqual(values.length, 4 * 64);
    assert.strictEqual(Math.max(...values), relu.numeric!.max);
    const hist = await api.request(uri, 'runTensorHistogram', { runId: result.runId, name: relu.name });
    assert.strictEqual(hist.counts.reduce((a, b) => a + b, 0), 4 * 64);
  });

  it('answers a wrong input shape with one sentence naming the model and the input', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const bad: RunSetup = { ...setup(), inputs: [{ name: 'input', dims: [1, 65], source: { kind: 'zeros' } }] };
    await assert.rejects(api.request(uri, 'runModel', bad), (e: Error) => /digits-mlp\.onnx: input 'input' expects \[batch, 64\], but the shape given is \[1, 65\]: dimension 1 must be 64\./.test(e.message) && !e.message.includes('\n'));
  });

  it('saves the benchmark report and shows its p50 in the status bar and the hover, while the host stays responsive', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    // The same 2 s with nothing running first: on a loaded machine the scheduler alone delays the
    // loop, and only the stall the benchmark adds is the extension's doing.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idle.disable();
    const idleP99Ms = idle.percentile(99) / 1e6;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const { report, savedTo } = await api.request(uri, 'benchmark', { ...setup(), settings: { warmupRuns: 3, runs: 100_000, budgetMs: 2000, threads: [1, 2], batches: [1, 8] } });
    delay.disable();
    assert.strictEqual(report.points.length, 4);
    for (const p of report.points) assert.ok(p.latency.p50 <= p.latency.p90 && p.latency.p90 <= p.latency.p99, JSON.stringify(p.latency));
    // p99, not max: one garbage collection of the busy extension host (other extensions, this test)
    // can stall it on its own; `npm run bench` measures the max in a quiet parent process.
    const p99Ms = delay.percentile(99) / 1e6;
    assert.ok(p99Ms < 50 + 2 * idleP99Ms, `the extension host's event loop stalled ${p99Ms.toFixed(1)} ms (p99; max ${(delay.max / 1e6).toFixed(1)} ms) during the benchmark, ${idleP99Ms.toFixed(1)} ms idle`);
    assert.ok(savedTo && fs.existsSync(savedTo), `report saved: ${savedTo}`);
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.ok(savedTo.startsWith(path.join(workspace, '.onnx-lens', 'reports')), savedTo);
    const saved = JSON.parse(fs.readFileSync(savedTo, 'utf8'));
    assert.strictEqual(saved.schema, 'onnx-lens.bench/1');
    await eventually(() => /p50 \d/.test(api.statusBar()?.text ?? ''), 'the status bar to show the p50');

    const code = path.join(workspace, 'bench_hover.py');
    fs.writeFileSync(code, `session = ort.InferenceSession("${uri.fsPath}")\n`);
    const doc = await vscode.workspace.openTextDocument(code);
    const markdown = await api.hoverMarkdown(doc, new vscode.Position(0, 35));
    assert.match(unescapeMarkdown(markdown ?? ''), /Last benchmark: p50 \d/);
  });

  it('profiles the sample model and shows the fused Gemm + Relu kernel honestly', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const profile = await api.request(uri, 'profile', { ...setup(), runs: 5 });
    // Entries are sorted by time, so either fused layer may come first.
    const fused = profile.entries.find((e) => e.ortName === 'fused /fc1/Gemm');
    assert.ok(fused?.fused, JSON.stringify(profile.entries.map((e) => e.ortName)));
    assert.deepStrictEqual(fused.nodes, ['/fc1/Gemm', '/fc1/Relu']);
    assert.ok(profile.nodeUs['/head/Softmax'] > 0);
  });

  it('survives an onnxruntime abort: the request fails with a sentence and the next run works', async () => {
    const dir = tempDir();
    const crashing = int4OutputModel(dir);
    await openInLens(crashing);
    await rendered(api, crashing);
    const hostPid = process.pid;
    await assert.rejects(
      api.request(crashing, 'runModel', { inputs: [{ name: 'x', dims: [4], source: { kind: 'ones' } }], options: DEFAULT_SESSION_OPTIONS }),
      (e: Error) => /runtime process stopped unexpectedly \(it was killed by SIGABRT\)/.test(e.message),
    );
    assert.strictEqual(process.pid, hostPid);
    await closeAllEditors();
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const again = await api.request(uri, 'runModel', setup());
    assert.deepStrictEqual(again.outputs[0].dims, [1, 10]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
