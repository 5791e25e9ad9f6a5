// Activation before anything else (this suite's extension host is fresh, no model has been opened):
// a Python file activates ONNX Lens, cheaply (no process started), and the hover on a model path
// works at once. Runs before restricted.test.ts (files run in name order).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../../../src/extension/api';
import { EXTENSION_ID, eventually, tempDir } from '../../modelEditorHelpers';
import { unescapeMarkdown } from '../../../../src/extension/hover/hoverMarkdown';

describe('activation on a language where model paths live', () => {
  it('activates when a Python file opens, before any model, without starting a process, and hovers', async () => {
    const extension = vscode.extensions.getExtension<OnnxLensApi>(EXTENSION_ID)!;
    const activation = extension.packageJSON.activationEvents as string[];
    for (const event of ['onLanguage:python', 'onLanguage:typescript', 'onLanguage:cpp', 'onLanguage:rust', 'onLanguage:yaml', 'onLanguage:markdown', 'onNotebook:jupyter-notebook']) {
      assert.ok(activation.includes(event), `${event} is not an activation event`);
    }
    // The workbench opens the user's settings.json as a jsonc document at start, which may already
    // have activated ONNX Lens (onLanguage:jsonc): cheaply, which is what this test checks.
    // A saved file (an untitled one would ask to be saved when the editors close); the relative path
    // resolves against the workspace, which holds the sample.
    const file = path.join(tempDir(), 'load_model.py');
    fs.writeFileSync(file, 'session = ort.InferenceSession("digits-mlp.onnx")\n');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    await eventually(() => extension.isActive, 'ONNX Lens to activate on the Python file', 20_000);
    const api = extension.exports;
    assert.deepStrictEqual(api.processesStarted(), { analysis: 0, runtime: 0 }, 'activation must not fork a process');
    console.log(`activate() took ${api.activateMs.toFixed(2)} ms`);
    assert.ok(api.activateMs < 100, `activate() took ${api.activateMs} ms`);
    const hover = await api.hoverMarkdown(doc, new vscode.Position(0, 36));
    assert.match(unescapeMarkdown(hover ?? ''), /\*\*digits-mlp\.onnx\*\* · ONNX model/);
    assert.strictEqual(api.processesStarted().analysis, 1, 'the hover started the analysis process');
  });
});
