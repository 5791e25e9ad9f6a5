// Explanations inside VS Code: the Run tab's and Evaluate tab's `explain` requests reach the runtime
// process through the host layer; the sample's test rows are explained (KernelSHAP's attributions
// sum to the score minus the expected value, LIME, permutation importance over the test split) and
// an image model gets a saliency map with its sanity check; reports are saved as JSON + HTML; a bad
// request is one sentence.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import type { FeatureAttribution, ImageAttributions } from '../../src/shared/explainReport';
import { quadrantCnn } from '../fixtures/explainModels';
import { activateApi, closeAllEditors, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

describe('ONNX Lens explanations in the extension host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let testCsv: string;

  before(async () => {
    ({ api, extension } = await activateApi());
    testCsv = path.join(extension.extensionPath, 'media', 'sample', 'digits-test.csv');
  });

  afterEach(closeAllEditors);

  it('explains test rows of the sample with KernelSHAP and LIME, and its features with permutation importance', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    for (const row of [0, 7, 449]) {
      const { report, savedTo } = await api.request(uri, 'explain', { method: 'kernelshap', subject: { kind: 'row', data: testCsv, row }, samples: 256 });
      assert.strictEqual(report.schema, 'onnx-lens.explain/1');
      assert.strictEqual(report.sample.row, row);
      const attributions = report.attributions as FeatureAttribution[];
      assert.strictEqual(attributions.length, 64);
      const sum = attributions.reduce((s, a) => s + a.attribution, 0);
      assert.ok(Math.abs(sum - (report.prediction! - report.expected!)) < 1e-6, `row ${row}: Σφ ${sum} vs ${report.prediction! - report.expected!}`);
      assert.ok(savedTo && fs.existsSync(savedTo.json) && fs.existsSync(savedTo.html));
      assert.match(fs.readFileSync(savedTo.html, 'utf8'), /onnx-lens\.explain\/1/);
    }
    const lime = await api.request(uri, 'explain', { method: 'lime', subject: { kind: 'row', data: testCsv, row: 3 }, samples: 500, target: 4 });
    assert.strictEqual(lime.report.target, 4);
    assert.ok(lime.report.localModel);
    const perm = await api.request(uri, 'explain', { method: 'permutation', subject: { kind: 'row', data: testCsv, row: 0 }, repeats: 2 });
    assert.strictEqual(perm.report.importances?.length, 64);
    assert.ok((perm.report.baseline ?? 0) > 0.95);
  });

  it('draws a saliency map of an image model with the sanity check, and refuses an image method on the sample in one sentence', async () => {
    const dir = tempDir();
    const model = vscode.Uri.file(quadrantCnn(dir));
    await openInLens(model);
    await rendered(api, model);
    const inputs = [{ name: 'image', dims: [1, 3, 32, 32], source: { kind: 'random' as const, distribution: 'uniform' as const, seed: 3 } }];
    const { report } = await api.request(model, 'explain', { method: 'occlusion', subject: { kind: 'inputs', inputs }, window: 4, stride: 4 });
    const map = report.attributions as ImageAttributions;
    assert.deepStrictEqual(map.shape, [32, 32]);
    assert.ok(report.sanity && 'rankCorrelation' in report.sanity && report.sanity.randomizedNode === '/fc/Gemm');
    assert.strictEqual(report.picture?.width, 32);

    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    await assert.rejects(api.request(uri, 'explain', { method: 'rise', subject: { kind: 'row', data: testCsv, row: 0 } }),
      (err: Error) => /^digits-mlp\.onnx: RISE explains image inputs, but input 'input' is a row of features \[batch, 64\]; use kernelshap, lime, permutation\.$/.test(err.message));
    await assert.rejects(api.request(uri, 'explain', { method: 'kernelshap', subject: { kind: 'row', data: testCsv, row: 450 } }),
      (err: Error) => /digits-test\.csv: has no row 450: it has 450 rows/.test(err.message));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
