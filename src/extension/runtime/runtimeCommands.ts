/**
 * "Run Model", "Benchmark Model" and "Profile Model": open the model's Run tab (opening the model
 * in the ONNX Lens editor first when called on a file from the explorer) at the right section;
 * the benchmark and profile sections start on arrival.
 */
import * as vscode from 'vscode';
import type { ShowTabMessage } from '../../shared/protocol';
import { MODEL_EDITOR_VIEW_TYPE } from '../modelEditorProvider';
import type { ModelEditor, ModelEditors } from '../modelEditors';

export const RUN_MODEL_COMMAND = 'onnxLens.runModel';
export const BENCHMARK_MODEL_COMMAND = 'onnxLens.benchmarkModel';
export const PROFILE_MODEL_COMMAND = 'onnxLens.profileModel';

const OPEN_TIMEOUT_MS = 30_000;

function editorFor(editors: ModelEditors, uri: vscode.Uri): ModelEditor | undefined {
  return editors.all().find((e) => e.uri.toString() === uri.toString());
}

/** The editor for `uri` once it exists (opening it if needed), or undefined after a timeout. */
export async function openModelEditor(editors: ModelEditors, uri: vscode.Uri): Promise<ModelEditor | undefined> {
  const open = editorFor(editors, uri);
  if (open) {
    open.panel.reveal();
    return open;
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_EDITOR_VIEW_TYPE);
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const editor = editorFor(editors, uri);
    if (editor) return editor;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

async function showSection(editors: ModelEditors, arg: unknown, section: NonNullable<ShowTabMessage['section']>): Promise<boolean> {
  const uri = arg instanceof vscode.Uri ? arg : editors.active?.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, or run this on an .onnx file in the explorer.');
    return false;
  }
  const editor = await openModelEditor(editors, uri);
  if (!editor) {
    void vscode.window.showWarningMessage(`ONNX Lens: the editor for ${vscode.workspace.asRelativePath(uri)} did not open.`);
    return false;
  }
  editors.pushToPage(editor, { type: 'showTab', tab: 'run', section });
  return true;
}

export function registerRuntimeCommands(editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(RUN_MODEL_COMMAND, (arg: unknown) => showSection(editors, arg, 'run')),
    vscode.commands.registerCommand(BENCHMARK_MODEL_COMMAND, (arg: unknown) => showSection(editors, arg, 'benchmark')),
    vscode.commands.registerCommand(PROFILE_MODEL_COMMAND, (arg: unknown) => showSection(editors, arg, 'profile')),
  );
}
