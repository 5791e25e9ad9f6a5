/**
 * Where users meet the diff: "ONNX Lens: Compare with…" (the active model or the explorer's file
 * against one picked), the explorer's "Compare with Selected" for two .onnx files, and a changed
 * .onnx opened from Source Control or the Timeline. VS Code shows such a change as a diff of two
 * custom editors (ours on both sides; the left a `git:` URI) and tells extensions nothing more
 * (its tab input is of no known kind: microsoft/vscode#166974). So when our editor is asked for a
 * `git:` side inside such a tab, that tab is replaced by the ONNX Lens diff of the two versions.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelEditors } from '../modelEditors';
import { openModelDiff } from './diffPanel';

const ONNX_FILTER = { 'ONNX models': ['onnx'] };

function isOnnx(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && uri.path.toLowerCase().endsWith('.onnx');
}

export function registerDiffCommands(extensionUri: vscode.Uri, editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('onnxLens.compareWith', async (base?: vscode.Uri, other?: vscode.Uri) => {
      const a = isOnnx(base) ? base : editors.active?.uri;
      if (!a) {
        void vscode.window.showInformationMessage('ONNX Lens: open a model (or pick one in the Explorer) to compare it with another.');
        return undefined;
      }
      const b = isOnnx(other) ? other : (await vscode.window.showOpenDialog({
        title: `Compare ${path.posix.basename(a.path)} with…`, openLabel: 'Compare', canSelectMany: false, filters: ONNX_FILTER,
        defaultUri: vscode.Uri.joinPath(a, '..'),
      }))?.[0];
      return b ? openModelDiff(extensionUri, a, b) : undefined;
    }),
    vscode.commands.registerCommand('onnxLens.compareSelected', (clicked?: vscode.Uri, selected?: vscode.Uri[]) => {
      const models = (selected ?? (clicked ? [clicked] : [])).filter(isOnnx);
      if (models.length !== 2) {
        void vscode.window.showInformationMessage('ONNX Lens: select exactly two .onnx files in the Explorer to compare them.');
        return undefined;
      }
      return openModelDiff(extensionUri, models[0], models[1]);
    }),
  );
}

/** The working-tree file a `git:` URI is a version of (the git extension puts it in the query). */
export function fileOfGitUri(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== 'git') return undefined;
  try {
    const p = (JSON.parse(uri.query) as { path?: string }).path;
    return p ? vscode.Uri.file(p) : undefined;
  } catch {
    return undefined;
  }
}

const recentlyClaimed = new Map<string, number>();

/**
 * Called by the model editor before it shows `uri` in `panel`: when `uri` is the `git:` side of a
 * Source Control diff, opens the ONNX Lens diff in that tab's place and returns true (the
 * model editor then shows nothing: its tab is being closed).
 */
export function claimScmDiff(extensionUri: vscode.Uri, uri: vscode.Uri, panel: vscode.WebviewPanel): boolean {
  const file = fileOfGitUri(uri);
  if (!file) return false;
  const group = vscode.window.tabGroups.all.find((g) => g.viewColumn === panel.viewColumn) ?? vscode.window.tabGroups.activeTabGroup;
  // A diff of two custom editors is a tab whose input VS Code does not describe to extensions.
  const tab = group.tabs.find((t) => t.input === undefined && t.label.includes(path.posix.basename(file.path)));
  if (!tab) return false;
  const key = `${uri.toString()}|${group.viewColumn}`;
  const now = Date.now();
  if ((recentlyClaimed.get(key) ?? 0) > now - 2000) return true;
  recentlyClaimed.set(key, now);
  openModelDiff(extensionUri, uri, file, group.viewColumn);
  void vscode.window.tabGroups.close(tab, true);
  return true;
}
