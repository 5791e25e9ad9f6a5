// Without native modules (this suite's extension host has ONNX_LENS_FAIL_NATIVE=onnxruntime-node,sharp,
// so both fail to load as they would on a platform the .vsix has no binaries for): the graph, the
// Model tab and the hover work; Run, Evaluate and Quantize say in one sentence why they cannot.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../../../src/extension/api';
import { DEFAULT_SESSION_OPTIONS } from '../../../../src/shared/runtimeTypes';
import { activateApi, closeAllEditors, sampleModel } from '../../modelEditorHelpers';
import { assertViewable, hoverOver } from '../viewing';
import { unescapeMarkdown } from '../../../../src/extension/hover/hoverMarkdown';

const UNAVAILABLE = /^Running, evaluating and quantizing models is unavailable here because onnxruntime cannot load: this installation has no onnxruntime-node build for Linux x64; viewing and inspecting models works without it\.$/;

describe('without native modules (onnxruntime-node and sharp cannot load)', () => {
  let api: OnnxLensApi;
  let uri: vscode.Uri;

  before(async () => {
    const activated = await activateApi();
    api = activated.api;
    uri = sampleModel(activated.extension);
    assert.strictEqual(process.env.ONNX_LENS_FAIL_NATIVE, 'onnxruntime-node,sharp', 'this suite needs the native modules to fail');
  });
  after(closeAllEditors);

  it('shows the model: graph, Model tab and hover', async () => {
    await assertViewable(api, uri, 9);
    assert.match(unescapeMarkdown(await hoverOver(api, uri)), /\*\*digits-mlp\.onnx\*\* · ONNX model/);
  });

  it('answers Run, Evaluate and Quantize with the one sentence, again and again, without a crash', async () => {
    const data = path.join(path.dirname(uri.fsPath), 'digits-test.csv');
    const calls: [string, () => Promise<unknown>][] = [
      ['runtimeSignature', () => api.request(uri, 'runtimeSignature', {})],
      ['runModel', () => api.request(uri, 'runModel', { inputs: [], options: DEFAULT_SESSION_OPTIONS })],
      ['evaluate', () => api.request(uri, 'evaluate', { data })],
      ['quantize', () => api.request(uri, 'quantize', { settings: { mode: 'dynamic' } })],
      ['runtimeSignature again', () => api.request(uri, 'runtimeSignature', {})],
    ];
    for (const [what, call] of calls) {
      await assert.rejects(call(), (e: Error & { reason?: string }) => UNAVAILABLE.test(e.message) && e.reason === 'unavailable', what);
    }
  });
});
