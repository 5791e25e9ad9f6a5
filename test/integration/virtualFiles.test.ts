// Models that are not plain files: read through vscode.workspace.fs (a FileSystemProvider of the
// test's own, and the git extension's `git:` URIs as the Source Control view opens them), shown in
// the editor like any model; beyond the in-memory cap, one sentence; running says it needs a file.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import { activateApi, closeAllEditors, committedSample, eventually, MemoryFs, openInLens, pseudoRandomBytes, rendered, sampleModel } from './modelEditorHelpers';

const SCHEME = 'onnxlens-mem';

describe('models that are not plain files', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let registration: vscode.Disposable;

  before(async () => {
    ({ api, extension } = await activateApi());
    const sample = fs.readFileSync(sampleModel(extension).fsPath);
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, new MemoryFs(
      new Map([['/models/digits-mlp.onnx', sample], ['/models/huge.onnx', sample], ['/models/noise.onnx', pseudoRandomBytes(2048)]]),
      new Map([['/models/huge.onnx', 300 * 1024 * 1024]]),
    ), { isReadonly: true });
  });
  after(() => registration.dispose());
  afterEach(closeAllEditors);

  it('opens a model from a FileSystemProvider through vscode.workspace.fs and shows its graph', async () => {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: '/models/digits-mlp.onnx' });
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.strictEqual(report.shown?.state, 'ready', JSON.stringify(report.shown));
    assert.strictEqual(report.summary?.nodeCount, 9);
    await eventually(() => api.modelViews(uri)[0]?.graph !== undefined, 'the graph payload', 30_000);
  });

  it('refuses a model beyond the in-memory cap with one sentence, without reading it', async () => {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: '/models/huge.onnx' });
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.strictEqual(report.shown?.state, 'error');
    assert.strictEqual(report.error, `huge.onnx: is 300 MiB, more than the 256 MiB ONNX Lens reads into memory from "${SCHEME}:" resources; open a copy on disk instead.`);
  });

  it('says what is wrong with a bad virtual model, and that running needs a file on disk', async () => {
    const noise = vscode.Uri.from({ scheme: SCHEME, path: '/models/noise.onnx' });
    await openInLens(noise);
    const bad = await rendered(api, noise);
    assert.match(bad.error ?? '', /^noise\.onnx: is not (a valid|an) ONNX model/);
    const uri = vscode.Uri.from({ scheme: SCHEME, path: '/models/digits-mlp.onnx' });
    await openInLens(uri);
    await rendered(api, uri);
    await assert.rejects(api.request(uri, 'runtimeSignature', {}), /^Error: digits-mlp\.onnx is not on the local disk, so onnxruntime cannot open it\.$/);
  });

  it('opens the committed version of a model from a git: URI (Source Control) while the working copy differs', async function () {
    const { head: uri } = await committedSample(extension, pseudoRandomBytes(1024)); // the working copy is no model at all now
    await openInLens(uri);
    const report = await rendered(api, uri);
    assert.strictEqual(report.shown?.state, 'ready', `${report.error ?? ''} ${JSON.stringify(report.shown)}`);
    assert.strictEqual(report.summary?.nodeCount, 9);
  });
});
