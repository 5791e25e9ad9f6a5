// Quantization inside VS Code: the Quantize tab's requests reach the runtime process, the
// quantized model is a new file that runs, the report is saved in the workspace's reports folder (JSON and HTML),
// the hover and status bar show the last result, and bad input is one sentence with nothing left behind.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { unescapeMarkdown } from '../../src/extension/hover/hoverMarkdown';
import type { OnnxLensApi } from '../../src/extension/api';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes';
import { graph, node, tensorValue, writeModel } from '../fixtures/onnxBuilder';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

describe('ONNX Lens quantize requests in the extension host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let testCsv: string;

  before(async () => {
    ({ api, extension } = await activateApi());
    testCsv = path.join(extension.extensionPath, 'media', 'sample', 'digits-test.csv');
  });

  afterEach(closeAllEditors);

  /** A copy of the sample in a fresh folder, open in ONNX Lens. */
  async function openSampleCopy(): Promise<{ dir: string; uri: vscode.Uri }> {
    const dir = tempDir();
    const file = path.join(dir, 'digits-mlp.onnx');
    fs.copyFileSync(sampleModel(extension).fsPath, file);
    const uri = vscode.Uri.file(file);
    await openInLens(uri);
    await rendered(api, uri);
    return { dir, uri };
  }

  it('registers Quantize Model… in the palette', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('onnxLens.quantizeModel'));
  });

  it('quantizes the sample into a new file that runs, saves the report, and shows the result in the hover and status bar', async () => {
    const { dir, uri } = await openSampleCopy();
    const original = fs.readFileSync(uri.fsPath);
    const { report, savedTo } = await api.request(uri, 'quantize', { settings: { mode: 'dynamic', perChannel: true, symmetric: true }, evalData: testCsv });
    assert.strictEqual(report.schema, 'onnx-lens.quant/1');
    // Quantized files go to the reports folder, with the reports, not beside the model.
    assert.ok(savedTo && path.dirname(report.output.path) === path.dirname(savedTo.json), `${report.output.path} beside ${savedTo?.json}`);
    assert.match(path.basename(report.output.path), /^digits-mlp\.int8(-\d+)?\.onnx$/);
    assert.ok(!fs.readdirSync(dir).some((f) => f.includes('int8')), 'nothing is added beside the model');
    assert.ok(fs.statSync(report.output.path).size < original.length, 'the int8 model is smaller');
    assert.ok(report.size.ratio > 0.2 && report.size.ratio < 0.5, String(report.size.ratio));
    assert.deepStrictEqual(fs.readFileSync(uri.fsPath), original, 'the model itself is untouched');
    // Both models measured: per-node error for each rewritten node, latency, accuracy with its interval.
    assert.strictEqual(report.comparison?.nodes.length, report.summary.rewritten);
    assert.ok(report.latency && report.latency.before.p50 > 0 && report.latency.after.p50 > 0);
    assert.ok(report.accuracy && report.accuracy.samples === 450 && report.accuracy.before > 0.95 && report.accuracy.after > 0.9, JSON.stringify(report.accuracy));
    assert.ok(report.accuracy.deltaCi && report.accuracy.deltaCi.low <= report.accuracy.delta && report.accuracy.delta <= report.accuracy.deltaCi.high);
    assert.ok(savedTo && savedTo.json.includes(path.join('.onnx-lens', 'reports')), JSON.stringify(savedTo));
    for (const file of [savedTo.json, savedTo.html]) assert.ok(fs.existsSync(file), file);
    assert.match(fs.readFileSync(savedTo.html, 'utf8'), /<html[\s\S]*onnx-lens\.quant\/1/);
    // The output runs in onnxruntime (in the runtime process, via the Run handlers of its own view).
    const outUri = vscode.Uri.file(report.output.path);
    await openInLens(outUri);
    await rendered(api, outUri);
    const sig = await api.request(outUri, 'runtimeSignature', {});
    const inputs = sig.inputs.map((i) => ({ name: i.name, dims: i.dims.map((d) => (typeof d === 'number' ? d : 1)), source: { kind: 'random' as const, distribution: 'uniform' as const, seed: 1 } }));
    const run = await api.request(outUri, 'runModel', { inputs, options: DEFAULT_SESSION_OPTIONS });
    assert.deepStrictEqual(run.outputs[0].dims, [1, 10]);

    await openInLens(uri);
    await eventually(() => /Last quantization: dynamic → digits-mlp\.int8(-\d+)?\.onnx/.test(api.statusBar()?.tooltip ?? ''), 'the status bar tooltip to show the quantization');
    const latest = await api.request(uri, 'latestQuantization', {});
    assert.deepStrictEqual(latest?.savedTo, savedTo);
    const code = path.join(dir, 'quant_hover.py');
    fs.writeFileSync(code, `session = ort.InferenceSession("${uri.fsPath}")\n`);
    const doc = await vscode.workspace.openTextDocument(code);
    const hover = unescapeMarkdown((await api.hoverMarkdown(doc, new vscode.Position(0, 35))) ?? '');
    assert.match(hover, /KiB/, 'the hover shows the size, in binary units like everywhere else');
    assert.match(hover, /Last quantization: dynamic → digits-mlp\.int8(-\d+)?\.onnx: 0\.\d\d× size/);
  });

  it('re-quantizes with the worst nodes excluded into a new file beside the first', async () => {
    const { dir, uri } = await openSampleCopy();
    const first = await api.request(uri, 'quantize', { settings: { mode: 'dynamic' } });
    const worst = first.report.comparison!.nodes.slice(0, 1).map((n) => n.node);
    const second = await api.request(uri, 'quantize', { settings: { ...first.report.settings, excludeNodes: worst } });
    assert.notStrictEqual(second.report.output.path, first.report.output.path);
    assert.strictEqual(path.dirname(second.report.output.path), path.dirname(first.report.output.path));
    assert.match(path.basename(second.report.output.path), /^digits-mlp\.int8-\d+\.onnx$/);
    assert.ok(fs.existsSync(first.report.output.path) && fs.existsSync(second.report.output.path));
    void dir;
    assert.strictEqual(second.report.summary.rewritten, first.report.summary.rewritten - 1);
    assert.ok(!second.report.nodes.some((n) => worst.includes(n.node)));
  });

  // The wizard's "Magnitude pruning" and "Mixed precision" answers, as the settings it fills.
  it('prunes the sample to half its weights per layer (the wizard\'s default sparsity) and saves the report', async () => {
    const { dir, uri } = await openSampleCopy();
    const { report, savedTo } = await api.request(uri, 'quantize', { settings: { mode: 'prune', sparsity: 0.5, pruneScope: 'layer' } });
    assert.match(path.basename(report.output.path), /^digits-mlp\.pruned(-\d+)?\.onnx$/);
    assert.ok(!fs.existsSync(path.join(dir, 'digits-mlp.pruned.onnx')), 'written to the reports folder, not beside the model');
    assert.deepStrictEqual(report.nodes.map((n) => n.node), ['/fc1/Gemm', '/fc2/Gemm', '/fc3/Gemm']);
    for (const n of report.nodes) {
      assert.ok(n.sparsity, n.node);
      assert.ok(Math.abs(n.sparsity.after - 0.5) < 0.01, `${n.node}: ${n.sparsity.before} → ${n.sparsity.after}`);
      assert.ok(n.sparsity.before < n.sparsity.after, n.node);
    }
    assert.ok(savedTo && fs.existsSync(savedTo.html), JSON.stringify(savedTo));
  });

  it('scans the sample for mixed precision within an output error budget', async () => {
    const { uri } = await openSampleCopy();
    const calib = path.join(extension.extensionPath, 'media', 'sample', 'digits-train.csv');
    const { report } = await api.request(uri, 'quantize', { settings: { mode: 'mixed', bits: 8, maxError: 0.02, calibration: { data: calib, method: 'minmax' } } });
    assert.strictEqual(report.sensitivity?.metric, 'relative-error');
    assert.strictEqual(report.sensitivity.budget, 0.02);
    assert.strictEqual(report.sensitivity.layers.length, 3);
    assert.ok(report.sensitivity.met && report.sensitivity.finalError <= 0.02, JSON.stringify(report.sensitivity));
  });

  it('answers a model with no quantizable ops with one sentence and writes nothing', async () => {
    const dir = tempDir();
    const w = writeModel({ graph: graph({ inputs: [tensorValue('x', 'float32', [1, 4])], nodes: [node('Relu', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [1, 4])] }), opset: 17 }, { dir, fileName: 'relu.onnx' });
    const uri = vscode.Uri.file(w.modelPath);
    await openInLens(uri);
    await rendered(api, uri);
    const before = fs.readdirSync(dir);
    await assert.rejects(api.request(uri, 'quantize', { settings: { mode: 'dynamic' } }), (e: Error) => {
      assert.match(e.message, /relu\.onnx.*(no quantizable|nothing to quantize|no .*MatMul)/i);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
    assert.deepStrictEqual(fs.readdirSync(dir), before);
  });

  it('answers calibration data whose columns do not match the inputs with one sentence and writes nothing', async () => {
    const { dir, uri } = await openSampleCopy();
    const bad = path.join(dir, 'three-columns.csv');
    fs.writeFileSync(bad, 'a,b,label\n1,2,0\n3,4,1\n');
    const before = fs.readdirSync(dir);
    await assert.rejects(api.request(uri, 'quantize', { settings: { mode: 'static', calibration: { data: bad, method: 'minmax' } } }), (e: Error) => {
      assert.match(e.message, /three-columns\.csv/);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
    assert.deepStrictEqual(fs.readdirSync(dir), before);
  });

  it('refuses a webview request that names the output (writes go only where a host dialog says), and writes nothing', async () => {
    const { dir, uri } = await openSampleCopy();
    const before = fs.readdirSync(dir);
    for (const params of [{ output: path.join(dir, 'digits-mlp.onnx'), overwrite: true }, { output: path.join(dir, 'elsewhere.onnx') }, { overwrite: true }]) {
      await assert.rejects(api.request(uri, 'quantize', { settings: { mode: 'dynamic' }, ...params }), /the Quantize tab cannot choose the output file/);
    }
    assert.deepStrictEqual(fs.readdirSync(dir), before);
  });
});
