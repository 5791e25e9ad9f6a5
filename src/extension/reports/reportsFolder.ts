/** Where reports of a model go: the `onnxLens.reportsFolder` setting, relative to the model's workspace folder. */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const DEFAULT_REPORTS_FOLDER = '.onnx-lens/reports';

/** The reports folder for `modelUri`, or null when no workspace folder is open (nowhere to save). */
export function reportsFolderFor(modelUri: vscode.Uri): string | null {
  const configured = vscode.workspace.getConfiguration('onnxLens', modelUri).get<string>('reportsFolder') || DEFAULT_REPORTS_FOLDER;
  if (path.isAbsolute(configured)) return configured;
  const folder = vscode.workspace.getWorkspaceFolder(modelUri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder && folder.uri.scheme === 'file' ? path.join(folder.uri.fsPath, configured) : null;
}
