/**
 * One place for what ONNX Lens writes: benchmark, evaluation and quantization reports, quantized
 * models and graph exports all go to the reports folder (`onnxLens.reportsFolder`, by default
 * `.onnx-lens/reports` in the workspace). "Reveal Reports Folder" shows it in the Explorer (and
 * the OS's file manager on request); "Clean Reports Folder…" deletes what is in it after saying
 * how much. Nothing outside that folder is ever touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../shared/format';
import type { ModelEditors } from '../modelEditors';
import { reportsFolderFor } from './reportsFolder';

export const REVEAL_REPORTS_COMMAND = 'onnxLens.revealReportsFolder';
export const CLEAN_REPORTS_COMMAND = 'onnxLens.cleanReportsFolder';

/** The reports folder of the active model, or of the first workspace folder. */
function currentFolder(editors: ModelEditors): string | null {
  const base = editors.active?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return base ? reportsFolderFor(base) : null;
}

/** Files (recursively) in the folder and their total size. */
export function folderContents(folder: string): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(full);
        bytes += entry.isFile() ? fs.statSync(full).size : 0;
      }
    }
  };
  if (fs.existsSync(folder)) walk(folder);
  return { files, bytes };
}

async function reveal(editors: ModelEditors): Promise<string | undefined> {
  const folder = currentFolder(editors);
  if (!folder) {
    void vscode.window.showInformationMessage('ONNX Lens: open a folder first: reports are saved in its .onnx-lens/reports.');
    return undefined;
  }
  if (!fs.existsSync(folder)) {
    void vscode.window.showInformationMessage(`ONNX Lens: nothing saved yet; reports, quantized models and exports will go to ${vscode.workspace.asRelativePath(folder)}.`);
    return folder;
  }
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
  return folder;
}

async function clean(editors: ModelEditors, arg: unknown): Promise<number | undefined> {
  const folder = currentFolder(editors);
  if (!folder) return undefined;
  const { files, bytes } = folderContents(folder);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(`ONNX Lens: ${vscode.workspace.asRelativePath(folder)} is already empty.`);
    return 0;
  }
  const confirm = 'Delete';
  // A test passes 'confirmed'; a person is always asked.
  if (arg !== 'confirmed') {
    const answer = await vscode.window.showWarningMessage(
      `Delete the ${files.length} file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)}) in ${vscode.workspace.asRelativePath(folder)}? Reports, quantized models and exports there are removed; your models elsewhere are not touched.`,
      { modal: true }, confirm);
    if (answer !== confirm) return undefined;
  }
  for (const entry of fs.readdirSync(folder)) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
  void vscode.window.showInformationMessage(`ONNX Lens: deleted ${files.length} file${files.length === 1 ? '' : 's'} (${formatBytes(bytes)}) from ${vscode.workspace.asRelativePath(folder)}.`);
  return files.length;
}

export function registerReportsCommands(editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(REVEAL_REPORTS_COMMAND, () => reveal(editors)),
    vscode.commands.registerCommand(CLEAN_REPORTS_COMMAND, (arg?: unknown) => clean(editors, arg)),
  );
}
