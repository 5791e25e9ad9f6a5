/**
 * Where users meet the diff: "ONNX Lens: Compare with…" (the active model or the explorer's file
 * against one picked), the explorer's "Compare with Selected" for two .onnx files, and a changed
 * .onnx opened from Source Control or the Timeline. VS Code shows such a change as a diff of two
 * custom editors (ours on both sides; the left a `git:` URI) and tells extensions nothing more
 * (its tab input is of no known kind: microsoft/vscode#166974). So when our editor is asked for a
 * `git:` side inside such a tab, that tab is replaced by the ONNX Lens diff of the two versions;
 * where VS Code opens the change as a text diff instead ("binary file" on both sides), so is that.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelEditors } from '../modelEditors';
import { openModelDiff, toggleDiffOverlay } from './diffPanel';

const ONNX_FILTER = { 'ONNX models': ['onnx'] };

function isOnnx(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return !!uri && uri.path.toLowerCase().endsWith('.onnx');
}

export function registerDiffCommands(extensionUri: vscode.Uri, editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    // A diff VS Code opened as text (Source Control, Timeline, "Compare Selected"): "binary file" on both sides.
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of [...e.opened, ...e.changed]) replaceTextDiff(extensionUri, tab);
    }),
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
    vscode.commands.registerCommand('onnxLens.toggleDiffOverlay', () => toggleDiffOverlay()),
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

/** Replaces a text diff of two .onnx resources with the ONNX Lens diff of the two models. */
function replaceTextDiff(extensionUri: vscode.Uri, tab: vscode.Tab): void {
  const input = tab.input;
  if (!(input instanceof vscode.TabInputTextDiff) || !isOnnx(input.original) || !isOnnx(input.modified)) return;
  const key = `${input.original.toString()}|${input.modified.toString()}|${tab.group.viewColumn}`;
  const now = Date.now();
  if ((recentlyClaimed.get(key) ?? 0) > now - 2000) return;
  recentlyClaimed.set(key, now);
  openModelDiff(extensionUri, input.original, input.modified, tab.group.viewColumn);
  void vscode.window.tabGroups.close(tab, true);
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
/** git: versions of a file our editor was asked for in the last moments, oldest first. */
const seenVersions = new Map<string, { uri: vscode.Uri; at: number }[]>();
/** How long the first side of a diff waits for a second git: side (a Timeline comparison of two commits). */
const SECOND_SIDE_MS = 250;
/** The git ref of a `git:` URI ('~' is the index), or '' when it has none. */
function refOf(uri: vscode.Uri): string {
  try {
    return String((JSON.parse(uri.query) as { ref?: string }).ref ?? '');
  } catch {
    return '';
  }
}

/**
 * Two git: versions in the diff tab's order: its label names the left ref first ("m.onnx (a1b2c3d)
 * ↔ m.onnx (e4f5a6b)", refs abbreviated), which the order the sides resolved in need not follow.
 */
function inTabOrder(label: string, x: vscode.Uri, y: vscode.Uri): [vscode.Uri, vscode.Uri] {
  const at = (u: vscode.Uri) => {
    const ref = refOf(u);
    return ref ? label.indexOf(ref.slice(0, 7)) : -1;
  };
  const [ix, iy] = [at(x), at(y)];
  return ix >= 0 && iy >= 0 && iy < ix ? [y, x] : [x, y];
}

/** How long to wait for VS Code to report the diff's tab (its tab model updates after the editor resolves). */
const TAB_WAIT_MS = 1500;

function diffTabOf(file: vscode.Uri, column: vscode.ViewColumn | undefined): vscode.Tab | undefined {
  const name = path.posix.basename(file.path);
  const groups = vscode.window.tabGroups.all;
  const ordered = [...groups.filter((g) => g.viewColumn === column), ...groups.filter((g) => g.viewColumn !== column)];
  // A diff of two custom editors is a tab whose input VS Code does not describe to extensions.
  for (const g of ordered) for (const t of g.tabs) if (t.input === undefined && t.label.includes(name)) return t;
  return undefined;
}

async function waitForDiffTab(file: vscode.Uri, column: vscode.ViewColumn | undefined): Promise<vscode.Tab | undefined> {
  const now = diffTabOf(file, column);
  if (now) return now;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), TAB_WAIT_MS);
    const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
      const tab = diffTabOf(file, column);
      if (tab) finish(tab);
    });
    function finish(tab: vscode.Tab | undefined) {
      clearTimeout(timer);
      listener.dispose();
      resolve(tab);
    }
  });
}

/**
 * Called by the model editor before it shows `uri` in `panel`: when `uri` is the `git:` side of a
 * Source Control diff, opens the ONNX Lens diff in that tab's place and resolves true (the
 * model editor then shows nothing: its tab is being closed). A `git:` URI opened on its own
 * (no diff tab appears) resolves false after a moment, and the model editor shows it.
 */
export async function claimScmDiff(extensionUri: vscode.Uri, uri: vscode.Uri, panel: vscode.WebviewPanel): Promise<boolean> {
  const file = fileOfGitUri(uri);
  if (!file) return false;
  // The Timeline compares two commits: both sides are git: versions of the file, resolved one after
  // the other. Remember each, and give the second a moment to arrive (inTabOrder puts them in order).
  const now = Date.now();
  const versions = (seenVersions.get(file.fsPath) ?? []).filter((v) => v.at > now - 3000 && v.uri.toString() !== uri.toString());
  versions.push({ uri, at: now });
  seenVersions.set(file.fsPath, versions);
  const tab = await waitForDiffTab(file, panel.viewColumn);
  if (!tab) return false;
  await new Promise((resolve) => setTimeout(resolve, SECOND_SIDE_MS));
  const key = `${file.fsPath}|${tab.group.viewColumn}`;
  if ((recentlyClaimed.get(key) ?? 0) > Date.now() - 3000) return true;
  recentlyClaimed.set(key, Date.now());
  const sides = (seenVersions.get(file.fsPath) ?? []).filter((v) => v.at > now - 3000);
  seenVersions.delete(file.fsPath);
  const [left, right] = sides.length >= 2 ? inTabOrder(tab.label, sides[0].uri, sides[sides.length - 1].uri) : [uri, file];
  openModelDiff(extensionUri, left, right, tab.group.viewColumn);
  void vscode.window.tabGroups.close(tab, true);
  return true;
}
