// The host side of the graph view inside VS Code: the graph payload reaches the view, the
// details/tensor requests answer through the same handlers the webview uses, the hover over a
// model path in code, the status bar, and the palette commands.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { unescapeMarkdown } from '../../src/extension/hover/hoverMarkdown';
import type { OnnxLensApi } from '../../src/extension/api';
import { graph, node, tensor, tensorValue, writeModel } from '../fixtures/onnxBuilder';
import { activateApi, closeAllEditors, eventually, openInLens, pseudoRandomBytes, rendered, sampleModel, tempDir } from './modelEditorHelpers';

/** A small model with known, scoped node names and a known weight. */
function namedModel(dir: string): vscode.Uri {
  const w = writeModel({ graph: graph({
    inputs: [tensorValue('x', 'float32', ['batch', 4])],
    initializers: [tensor('enc.weight', 'float32', [4, 4], Array.from({ length: 16 }, (_, i) => i - 8))],
    nodes: [
      node('MatMul', ['x', 'enc.weight'], ['h'], { name: '/enc/layer.0/MatMul' }),
      node('Relu', ['h'], ['r'], { name: '/enc/layer.0/Relu' }),
      node('Softmax', ['r'], ['probabilities'], { name: '/head/Softmax', attrs: { axis: -1 } }),
    ],
    outputs: [tensorValue('probabilities', 'float32', ['batch', 4])],
  }) }, { dir, fileName: 'named.onnx' });
  return vscode.Uri.file(w.modelPath);
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('ONNX Lens graph view host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;

  before(async () => {
    ({ api, extension } = await activateApi());
  });

  afterEach(closeAllEditors);

  it('registers the palette commands under the "ONNX Lens" category', async () => {
    const ids = ['onnxLens.openModel', 'onnxLens.revealNode', 'onnxLens.exportGraphSvg', 'onnxLens.exportGraphPng', 'onnxLens.copyNodeName'];
    const registered = await vscode.commands.getCommands(true);
    for (const id of ids) assert.ok(registered.includes(id), `${id} is not registered`);
    const contributed: { command: string; title: string; category: string }[] = extension.packageJSON.contributes.commands;
    for (const id of ids) assert.strictEqual(contributed.find((c) => c.command === id)?.category, 'ONNX Lens', id);
    assert.strictEqual(contributed.find((c) => c.command === 'onnxLens.openModel')?.title, 'Open in Graph View');
  });

  it('posts the graph payload (structure first) and the summary, with the same node count', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.ok(report.summary, `expected a summary, got: ${report.error}`);
    await eventually(() => api.modelViews(uri)[0]?.graph !== undefined, 'the graph payload to be posted', 30_000);
    const posted = api.modelViews(uri)[0].graph!;
    assert.strictEqual(posted.nodeCount, report.summary.nodeCount);
    assert.match(posted.modelHash, /^[0-9a-f]{40}$/);
    assert.strictEqual(posted.problems, 0);
  });

  it('answers nodeDetails, tensorStats and tensorPage through the view\'s request handlers', async () => {
    const uri = namedModel(tempDir());
    await openInLens(uri);
    await rendered(api, uri);
    const details = await api.request(uri, 'nodeDetails', { node: 0 });
    assert.strictEqual(details.name, '/enc/layer.0/MatMul');
    assert.ok(details.schema?.doc.includes('Matrix product'), 'MatMul schema doc');
    assert.deepStrictEqual(details.inputs.map((i) => [i.param, i.name, i.shape, i.isInitializer]), [
      ['A', 'x', '[batch, 4]', false], ['B', 'enc.weight', '[4, 4]', true],
    ]);
    assert.strictEqual(details.parameters, 16);

    const stats = await api.request(uri, 'tensorStats', { value: 'enc.weight' });
    assert.deepStrictEqual([stats.numeric?.min, stats.numeric?.max, stats.numeric?.mean, stats.numeric?.zeros], [-8, 7, -0.5, 1 / 16]);
    assert.strictEqual(stats.numeric?.histogram.counts.reduce((a, b) => a + b, 0), 16);

    const page = await api.request(uri, 'tensorPage', { value: 'enc.weight', offset: 14, count: 100 });
    assert.deepStrictEqual([...new Float64Array(page.buffer)], [6, 7]);
    assert.strictEqual(page.totalBytes, 16 * 8);

    await assert.rejects(api.request(uri, 'tensorStats', { value: 'x' }), /not a stored tensor/);
  });

  it('describes operators of opset 21 with their own schema version, docs and inputs (issue 13, item 16)', async () => {
    const w = writeModel({ opset: 21, graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', 4, 6, 6])],
      initializers: [tensor('gn.scale', 'float32', [4], [1, 1, 1, 1]), tensor('gn.bias', 'float32', [4], [0, 0, 0, 0])],
      nodes: [
        node('GroupNormalization', ['x', 'gn.scale', 'gn.bias'], ['n'], { name: '/block/GroupNorm', attrs: { num_groups: 2 } }),
        node('Gelu', ['n'], ['y'], { name: '/block/Gelu', attrs: { approximate: 'tanh' } }),
      ],
      outputs: [tensorValue('y', 'float32', ['batch', 4, 6, 6])],
    }) }, { dir: tempDir(), fileName: 'opset21.onnx' });
    const uri = vscode.Uri.file(w.modelPath);
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.deepStrictEqual(report.summary?.problems.filter((p) => /no shape function/.test(p.message)), [], 'no op is reported as unknown');
    const gn = await api.request(uri, 'nodeDetails', { node: 0 });
    assert.strictEqual(gn.schema?.sinceVersion, 21);
    assert.strictEqual(gn.schema?.beyondKnownOpset, false);
    assert.match(gn.schema!.doc, /per-channel scale and bias[\s\S]*onnx__GroupNormalization\.html#groupnormalization-21/);
    assert.deepStrictEqual(gn.inputs.map((i) => [i.param, i.name, i.shape]), [
      ['X', 'x', '[batch, 4, 6, 6]'], ['scale', 'gn.scale', '[4]'], ['bias', 'gn.bias', '[4]'],
    ]);
    assert.deepStrictEqual(gn.schema!.attributes.map((a) => [a.name, a.default ?? (a.required ? 'required' : '')]),
      [['epsilon', '0.00001'], ['num_groups', 'required'], ['stash_type', '1']]);
    const gelu = await api.request(uri, 'nodeDetails', { node: 1 });
    assert.strictEqual(gelu.schema?.sinceVersion, 20);
    assert.deepStrictEqual(gelu.outputs.map((o) => [o.param, o.shape]), [['Y', '[batch, 4, 6, 6]']]);
  });

  it('shows parameters, size and opset in the status bar while a model editor is active', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    const report = await rendered(api, uri);
    await eventually(() => api.statusBar() !== undefined, 'the status bar item', 10_000);
    const { text, tooltip } = api.statusBar()!;
    // After the opset come the last evaluation's accuracy and benchmark's p50, when the workspace has reports.
    assert.match(text, /^\$\(type-hierarchy\) [\d.]+( [kMGT])? params · [\d.]+ (B|KiB|MiB) · opset \d+( · (accuracy [\d.]+%|R² [-\d.]+))?( · p50 [\d.]+ ms)?$/);
    assert.ok(tooltip.includes(report.summary!.parameterCount.toLocaleString('en-US')), tooltip);
    await closeAllEditors();
    await eventually(() => api.statusBar() === undefined, 'the status bar item to hide', 10_000);
  });

  it('reveals a node by name from the palette command and refuses names the model lacks', async () => {
    const uri = namedModel(tempDir());
    await openInLens(uri);
    await rendered(api, uri);
    await eventually(() => api.activeModel()?.loaded === true, 'the model editor to be active', 10_000);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.revealNode', '/head/Softmax'), 2);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.revealNode', 'no such node'), undefined);
  });

  it('copies nothing when no node is selected', async () => {
    const uri = namedModel(tempDir());
    await openInLens(uri);
    await rendered(api, uri);
    await eventually(() => api.activeModel()?.loaded === true, 'the model editor to be active', 10_000);
    await vscode.env.clipboard.writeText('before');
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.copyNodeName'), undefined);
    assert.strictEqual(await vscode.env.clipboard.readText(), 'before');
  });

  it('hovers over a model path in a .py file with the signature and an open link', async () => {
    const dir = tempDir();
    fs.copyFileSync(sampleModel(extension).fsPath, path.join(dir, 'digits.onnx'));
    fs.writeFileSync(path.join(dir, 'broken.onnx'), pseudoRandomBytes(2048));
    const script = path.join(dir, 'predict.py');
    fs.writeFileSync(script, 'import onnxruntime as ort\nsess = ort.InferenceSession("digits.onnx")\nbad = r"broken.onnx"\nother = "missing.onnx"\n');
    const doc = await vscode.workspace.openTextDocument(script);
    await vscode.window.showTextDocument(doc);

    const text = await hoverText(doc.uri, new vscode.Position(1, 34));
    assert.match(text, /digits\.onnx/);
    assert.ok(text.includes('`input: float32[batch, 64]` → `probabilities: float32[batch, 10], label: int64[batch]`'), text);
    assert.match(text, /opset \d+/);
    assert.match(text, /parameters/);
    assert.match(text, /command:onnxLens\.openModel\?/);
    assert.strictEqual(await api.hoverMarkdown(doc, new vscode.Position(1, 34)), text);

    const broken = await api.hoverMarkdown(doc, new vscode.Position(2, 10));
    const brokenText = unescapeMarkdown(broken ?? '');
    assert.ok(brokenText.includes('broken.onnx') && /not a valid ONNX model|not an ONNX model/.test(brokenText), String(broken));
    assert.strictEqual(await api.hoverMarkdown(doc, new vscode.Position(3, 12)), undefined, 'no hover for a file that does not exist');
    assert.strictEqual(await api.hoverMarkdown(doc, new vscode.Position(0, 3)), undefined, 'no hover outside literals');
  });
});
