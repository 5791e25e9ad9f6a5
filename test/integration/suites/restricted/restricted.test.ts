// Restricted Mode (this suite's VS Code has Workspace Trust on and the folder untrusted, see
// scripts/vscode/run-integration.mjs): viewing works; running, evaluating, quantizing and reading
// datasets are refused with one sentence before anything reaches onnxruntime.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../../../src/extension/api';
import { DEFAULT_SESSION_OPTIONS } from '../../../../src/shared/runtimeTypes';
import { activateApi, closeAllEditors, sampleModel } from '../../modelEditorHelpers';
import { assertViewable, hoverOver } from '../viewing';
import { unescapeMarkdown } from '../../../../src/extension/hover/hoverMarkdown';

const refusal = (action: string) => new RegExp(`^${action} is turned off in Restricted Mode: ONNX Lens loads models into onnxruntime and reads datasets only in a trusted workspace\\.$`);

describe('Restricted Mode (an untrusted workspace)', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let uri: vscode.Uri;

  before(async () => {
    ({ api, extension } = await activateApi());
    uri = sampleModel(extension);
  });
  after(closeAllEditors);

  it('runs in an untrusted workspace and declares limited support', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this suite needs Workspace Trust on and the folder untrusted');
    assert.strictEqual(extension.isActive, true);
    assert.strictEqual(extension.packageJSON.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('shows the model: graph, Model tab and hover', async () => {
    await assertViewable(api, uri, 9);
    assert.match(unescapeMarkdown(await hoverOver(api, uri)), /\*\*digits-mlp\.onnx\*\* · ONNX model/);
  });

  it('refuses to run, benchmark, profile, evaluate, quantize or read a dataset, with one sentence each', async () => {
    const setup = { inputs: [], options: DEFAULT_SESSION_OPTIONS };
    const data = path.join(path.dirname(uri.fsPath), 'digits-test.csv');
    const cases: [string, () => Promise<unknown>][] = [
      ['Running models', () => api.request(uri, 'runtimeSignature', {})],
      ['Running models', () => api.request(uri, 'runModel', setup)],
      ['Running models', () => api.request(uri, 'benchmark', { ...setup, settings: { warmupRuns: 1, runs: 1, budgetMs: 0, threads: [0], batches: [] } })],
      ['Running models', () => api.request(uri, 'profile', { ...setup, runs: 1 })],
      ['Evaluating models', () => api.request(uri, 'evaluate', { data })],
      ['Reading datasets', () => api.request(uri, 'evalSamples', { data, samples: [{ index: 0, source: 0 }] })],
      ['Quantizing models', () => api.request(uri, 'quantize', { settings: { mode: 'dynamic' } })],
    ];
    for (const [action, call] of cases) {
      await assert.rejects(call(), (e: Error) => e.name === 'WorkspaceTrustError' && refusal(action).test(e.message), action);
    }
  });

  it('ends the Evaluate and Quantize commands at once, before their wizards', async () => {
    for (const command of ['onnxLens.evaluateModel', 'onnxLens.quantizeModel']) {
      const started = Date.now();
      assert.strictEqual(await vscode.commands.executeCommand(command, uri), false, command);
      assert.ok(Date.now() - started < 5_000, `${command} waited for input`);
    }
    assert.ok(!fs.existsSync(path.join(path.dirname(uri.fsPath), 'digits-mlp.int8.onnx')), 'nothing was written');
  });
});
