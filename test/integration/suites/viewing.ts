// What must work wherever ONNX Lens runs — in Restricted Mode, without native modules: the model
// opens and renders in the editor, and the hover on a model path in code shows its summary.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../../src/extension/api';
import { eventually, openInLens, rendered, tempDir } from '../modelEditorHelpers';

/** Opens the model in the ONNX Lens editor and checks that its graph and summary arrived. */
export async function assertViewable(api: OnnxLensApi, uri: vscode.Uri, nodeCount: number): Promise<void> {
  await openInLens(uri);
  const report = await rendered(api, uri);
  assert.strictEqual(report.shown?.state, 'ready', JSON.stringify(report.shown));
  assert.strictEqual(report.shown?.nodeCountText, String(nodeCount));
  assert.strictEqual(report.summary?.nodeCount, nodeCount, 'the Model tab has its summary');
  await eventually(() => api.modelViews(uri)[0]?.graph !== undefined, 'the graph payload to be posted', 30_000);
  assert.strictEqual(api.modelViews(uri)[0].graph?.nodeCount, nodeCount);
}

/** The hover over a literal naming the model, in a Python file. */
export async function hoverOver(api: OnnxLensApi, uri: vscode.Uri): Promise<string> {
  const file = path.join(tempDir(), 'load_model.py');
  fs.writeFileSync(file, `session = ort.InferenceSession("${uri.fsPath}")\n`);
  const doc = await vscode.workspace.openTextDocument(file);
  return (await api.hoverMarkdown(doc, new vscode.Position(0, 35))) ?? '';
}
