import * as vscode from 'vscode';
import { MODEL_EDITOR_VIEW_TYPE } from './modelEditorProvider';

export const OPEN_MODEL_COMMAND = 'onnxLens.openModel';

/** The .onnx file the user means: the explorer selection, else the active tab, else ask. */
async function pickModelUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  // The hover's link (a trusted command link) passes the file as URI components.
  const parts = arg as { scheme?: unknown; path?: unknown } | undefined;
  if (parts && parts.scheme === 'file' && typeof parts.path === 'string' && parts.path.toLowerCase().endsWith('.onnx')) return vscode.Uri.file(parts.path);
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) {
    if (input.uri.path.toLowerCase().endsWith('.onnx')) return input.uri;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { 'ONNX models': ['onnx'] },
    openLabel: 'Open in ONNX Lens',
  });
  return picked?.[0];
}

/** `ONNX Lens: Open in ONNX Lens` — opens a model in the custom editor. */
export function registerOpenModelCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_MODEL_COMMAND, async (arg?: unknown) => {
    const uri = await pickModelUri(arg);
    if (!uri) return;
    await vscode.commands.executeCommand('vscode.openWith', uri, MODEL_EDITOR_VIEW_TYPE);
  });
}
