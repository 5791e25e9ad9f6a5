// A user's own overlay loaded from JSON onto the active graph (docs/overlay-format.md), and the
// reports folder's Reveal/Clean commands, in a real VS Code extension host.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import type { LoadedOverlay } from '../../src/host/overlays';
import { folderContents } from '../../src/extension/reports/reportsCommands';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

describe('overlays from JSON and the reports folder', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;

  before(async () => {
    ({ api, extension } = await activateApi());
  });

  afterEach(closeAllEditors);

  async function openSample(): Promise<vscode.Uri> {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    await eventually(() => api.activeModel()?.loaded === true, 'the sample to be the active, loaded model', 30_000);
    return uri;
  }

  it('loads an overlay file onto the active graph, counting the names that match no node', async () => {
    await openSample();
    const file = path.join(tempDir(), 'latency.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'onnx-lens.overlay/1', label: 'Latency on device', unit: 'µs', values: { '/fc1/Gemm': 120, '/fc2/Gemm': 40, '/not/here': 1 } }));
    const loaded = await vscode.commands.executeCommand<LoadedOverlay>('onnxLens.loadOverlay', file);
    assert.deepStrictEqual(loaded, { label: 'Latency on device', matched: 2, unmatched: 1, unmatchedNames: ['/not/here'] });
  });

  it('refuses a file that is not an overlay with one sentence naming it, and one whose names match nothing', async () => {
    await openSample();
    const dir = tempDir();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"nodes": [1, 2]}');
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.loadOverlay', bad), undefined);
    const foreign = path.join(dir, 'foreign.json');
    fs.writeFileSync(foreign, JSON.stringify({ values: { conv1: 3 } }));
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.loadOverlay', foreign), undefined);
    const { loadOverlayFile } = await import('../../src/host/overlays');
    await assert.rejects(loadOverlayFile(bad, { ...payloadStub(), fileName: 'digits-mlp.onnx' }, () => undefined), /bad\.json: is not an overlay/);
    await assert.rejects(loadOverlayFile(foreign, { ...payloadStub(), fileName: 'digits-mlp.onnx' }, () => undefined), /foreign\.json: names no node of digits-mlp\.onnx/);
  });

  it('reveals and cleans the reports folder, touching nothing outside it', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const reports = path.join(workspace, '.onnx-lens', 'reports');
    fs.mkdirSync(path.join(reports, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(reports, 'x.bench.json'), '{}');
    fs.writeFileSync(path.join(reports, 'nested', 'y.onnx'), 'not a model');
    const beside = path.join(workspace, 'keep-me.txt');
    fs.writeFileSync(beside, 'mine');
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.revealReportsFolder'), reports);
    // Earlier suites leave their reports here too: every file in the folder goes.
    const { files } = folderContents(reports);
    assert.ok(files.length >= 2);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.cleanReportsFolder', 'confirmed'), files.length);
    assert.deepStrictEqual(fs.readdirSync(reports), []);
    assert.strictEqual(fs.readFileSync(beside, 'utf8'), 'mine');
    fs.rmSync(beside);
  });
});

/** The few payload fields loadOverlayFile reads (node names), for the sample. */
function payloadStub() {
  const nodeNames = ['/scaler/Sub', '/scaler/Mul', '/fc1/Gemm', '/fc1/Relu', '/fc2/Gemm', '/fc2/Relu', '/fc3/Gemm', '/head/Softmax', '/head/ArgMax'];
  return { nodeCount: nodeNames.length, nodeNames } as unknown as import('../../src/shared/graphPayload').GraphPayload;
}
