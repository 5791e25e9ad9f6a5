// Round trips that need the real graph webview (its canvas, worker and message handlers) and the
// host: Reveal Node → the view selects → Copy Node Name; Export Graph as SVG/PNG → the view draws
// → the host writes the file next to the model without touching the model.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

describe('ONNX Lens graph webview round trips', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let model: vscode.Uri;

  before(async () => {
    ({ api, extension } = await activateApi());
    // A copy, so the test can check the model file is left byte for byte as it was.
    const dir = tempDir();
    model = vscode.Uri.file(path.join(dir, 'digits-mlp.onnx'));
    fs.copyFileSync(sampleModel(extension).fsPath, model.fsPath);
  });
  afterEach(closeAllEditors);

  async function openAndDraw(): Promise<void> {
    await openInLens(model);
    await rendered(api, model);
    await eventually(() => (api.modelViews(model)[0]?.shown?.graphItems ?? 0) > 0, 'the graph to be drawn', 60_000);
  }

  it('reveals a node by name in the view, which reports the selection that Copy Node Name copies', async () => {
    await openAndDraw();
    await vscode.commands.executeCommand('onnxLens.revealNode', '/fc2/Gemm');
    await eventually(() => api.activeModel()?.selection?.nodeName === '/fc2/Gemm', 'the view to report the revealed node as selected', 30_000);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.copyNodeName'), '/fc2/Gemm');
    assert.strictEqual(await vscode.env.clipboard.readText(), '/fc2/Gemm');
  });

  it('exports the drawn graph as SVG and PNG next to the model, leaving the model untouched', async () => {
    const before = fs.readFileSync(model.fsPath);
    await openAndDraw();
    const dir = path.dirname(model.fsPath);
    const svgTarget = vscode.Uri.file(path.join(dir, 'digits-mlp.graph.svg'));
    const svgWritten = await vscode.commands.executeCommand<vscode.Uri>('onnxLens.exportGraphSvg', svgTarget);
    assert.strictEqual(svgWritten?.fsPath, svgTarget.fsPath);
    const svg = fs.readFileSync(svgTarget.fsPath, 'utf8');
    assert.match(svg, /^<\?xml[^>]*>\s*<svg|^<svg/);
    for (const label of ['Gemm', 'Softmax', 'input', 'probabilities']) assert.ok(svg.includes(label), `the SVG lacks '${label}'`);

    const pngTarget = vscode.Uri.file(path.join(dir, 'digits-mlp.graph.png'));
    await vscode.commands.executeCommand('onnxLens.exportGraphPng', pngTarget);
    const png = fs.readFileSync(pngTarget.fsPath);
    assert.deepStrictEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 2000, `PNG of ${png.length} bytes`);

    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.exportGraphSvg', model), undefined, 'must refuse to write over the model');
    assert.ok(fs.readFileSync(model.fsPath).equals(before), 'the model file changed');
  });
});
