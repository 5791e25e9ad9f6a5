// The model editor end to end inside VS Code: host reads the model, the webview renders it,
// and the webview's own report (via the test API) says what the page shows.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import {
  activateApi, closeAllEditors, eventually, lightFixture, openInLens, pseudoRandomBytes, RENDER_TIMEOUT_MS, rendered, sampleModel, tempDir,
} from './modelEditorHelpers';

describe('ONNX Lens model editor', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;

  before(async () => {
    ({ api, extension } = await activateApi());
  });

  afterEach(closeAllEditors);

  it('activates and contributes the "Open in ONNX Lens" command', async () => {
    assert.strictEqual(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('onnxLens.openModel'), 'onnxLens.openModel is not registered');
    const contributed = extension.packageJSON.contributes.customEditors.map((e: { viewType: string }) => e.viewType);
    assert.deepStrictEqual(contributed, ['onnxLens.modelEditor']);
  });

  it('renders the sample model with the node count the host summarized', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.ok(report.summary, `expected a summary, got error: ${report.error}`);
    assert.strictEqual(report.shown?.state, 'ready');
    assert.strictEqual(report.shown?.nodeCountText, String(report.summary.nodeCount));
    assert.strictEqual(report.shown?.modelName, 'digits-mlp.onnx');
    assert.ok(report.summary.nodeCount > 0);
    assert.strictEqual(report.shown?.problemCount, report.summary.problems.length);
  });

  it('renders a real public model (SqueezeNet) from the shared fixtures', async () => {
    const uri = lightFixture('light_squeezenet.onnx');
    assert.ok(fs.existsSync(uri.fsPath), `fixture missing: ${uri.fsPath}`);
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.ok(report.summary, `expected a summary, got error: ${report.error}`);
    assert.strictEqual(report.shown?.nodeCountText, String(report.summary.nodeCount));
    assert.ok(report.summary.opCounts.Conv > 0, 'SqueezeNet has Conv nodes');
  });

  it('shows a one-sentence error for a file of random bytes, and the host keeps working', async () => {
    const dir = tempDir();
    const bad = vscode.Uri.file(path.join(dir, 'broken.onnx'));
    fs.writeFileSync(bad.fsPath, pseudoRandomBytes(4096));
    await openInLens(bad);
    const report = await rendered(api, bad);
    assert.strictEqual(report.summary, undefined);
    assert.ok(report.error, 'expected an error');
    assert.strictEqual(report.shown?.state, 'error');
    assert.strictEqual(report.shown?.errorText, report.error, 'the page shows the host sentence verbatim');
    assert.ok(report.error.includes('broken.onnx'), `the sentence names the file: ${report.error}`);
    assert.ok(!report.error.includes('\n'), `one line: ${report.error}`);
    assert.ok(!/unexpected error/.test(report.error), `a corrupt file is an expected error: ${report.error}`);

    // The extension host is alive: a command opens the good sample model afterwards.
    const good = sampleModel(extension);
    await vscode.commands.executeCommand('onnxLens.openModel', good);
    const after = await rendered(api, good);
    assert.strictEqual(after.shown?.state, 'ready');
  });

  it('shows an error for an empty .onnx file instead of a blank page', async () => {
    const empty = vscode.Uri.file(path.join(tempDir(), 'empty.onnx'));
    fs.writeFileSync(empty.fsPath, '');
    await openInLens(empty);
    const report = await rendered(api, empty);
    assert.strictEqual(report.shown?.state, 'error');
    assert.ok(report.shown?.errorText?.includes('empty.onnx'), String(report.shown?.errorText));
  });

  it('shows the same model in two editors side by side', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri, vscode.ViewColumn.One);
    await rendered(api, uri);
    await openInLens(uri, vscode.ViewColumn.Two);
    await eventually(() => api.modelViews(uri).length === 2 && api.modelViews(uri).every((v) => v.rendered), 'two rendered views', 30_000);
    const [first, second] = api.modelViews(uri);
    assert.strictEqual(first.shown?.nodeCountText, second.shown?.nodeCountText);
    await closeAllEditors();
    await eventually(() => api.modelViews(uri).length === 0, 'views to be disposed');
  });

  it('renders again when the view comes back after being hidden (no retained context)', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    const first = await rendered(api, uri);
    // Another editor in the same group hides the model view; its webview is torn down.
    await openInLens(lightFixture('light_squeezenet.onnx'));
    await openInLens(uri);
    const again = await rendered(api, uri, first.renderCount);
    assert.ok(again.renderCount > first.renderCount);
    assert.strictEqual(again.shown?.nodeCountText, first.shown?.nodeCountText);
  });

  it('reloads the view when the model file changes on disk', async () => {
    const dir = tempDir();
    const uri = vscode.Uri.file(path.join(dir, 'changing.onnx'));
    fs.copyFileSync(sampleModel(extension).fsPath, uri.fsPath);
    await openInLens(uri);
    const before = await rendered(api, uri);
    assert.strictEqual(before.shown?.state, 'ready');
    fs.copyFileSync(lightFixture('light_squeezenet.onnx').fsPath, uri.fsPath);
    // The view also renders when the graph payload follows the summary, so wait for the render
    // that shows the new model rather than the next render of any kind.
    let after = await rendered(api, uri, before.renderCount);
    const deadline = Date.now() + RENDER_TIMEOUT_MS;
    while (after.summary?.nodeCount === before.summary?.nodeCount && Date.now() < deadline) {
      after = await rendered(api, uri, after.renderCount);
    }
    assert.ok(after.summary, `expected a summary after the change, got: ${after.error}`);
    assert.notStrictEqual(after.summary.nodeCount, before.summary?.nodeCount);
    assert.strictEqual(after.shown?.nodeCountText, String(after.summary.nodeCount));
  });
});
