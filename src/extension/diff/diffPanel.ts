/**
 * The ONNX Lens diff editor's VS Code side: a webview panel showing webview/diff/, and the ports
 * the host layer's DiffSession (src/host/diffSession.ts) works through — each side opened by the
 * analysis process the way the model editor opens it (a file by path; a `git:` version or a
 * virtual file read through vscode.workspace.fs, capped: src/extension/nonFileModel.ts), and run
 * from its path or, for a version not on disk, from a private copy (./privateCopy.ts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DiffSession, type DiffSide } from '../../host/diffSession';
import type { DiffReport } from '../../shared/diffReport';
import { isDiffPageMessage, type DiffPageMessage, type DiffPushMessage } from '../../shared/diffView';
import { analysisClient } from '../analysisProcess';
import { log } from '../log';
import { loadModel } from '../modelLoader';
import { isLocalFile } from '../nonFileModel';
import { runtimeClient } from '../runtime/runtimeProcess';
import { sessionSettings } from '../runtime/runtimeSettings';
import { trustGuard } from '../trust';
import { modelWebviewHtml, webviewResourceRoots } from '../webviewHtml';
import { PrivateCopy } from './privateCopy';
import { version as VERSION } from '../../../package.json';

export const DIFF_VIEW_TYPE = 'onnxLens.diff';

/** What a diff panel shows, for the integration tests (OnnxLensApi.diffViews). */
export interface DiffViewReport {
  a: string;
  b: string;
  report?: DiffReport;
  error?: string;
  /** The page's own report of what it drew. */
  shown?: Extract<DiffPageMessage, { type: 'diffRendered' }>;
}

const open = new Map<DiffViewReport, DiffSession>();
const panels = new Set<vscode.WebviewPanel>();

/** Switches the active diff between side by side and overlay ("ONNX Lens: Toggle Overlay in Diff"); false when no diff is active. */
export function toggleDiffOverlay(): boolean {
  const panel = [...panels].find((p) => p.active);
  if (panel) void panel.webview.postMessage({ type: 'setMode', mode: 'toggle' } satisfies DiffPushMessage);
  return panel !== undefined;
}

export function diffViews(): DiffViewReport[] {
  return [...open].map(([view, session]) => ({ ...view, report: session.report, error: session.error }));
}

/** A short name for a tab: the file name, and for a `git:` URI its ref ('~' is the index). */
export function sideLabel(uri: vscode.Uri): string {
  const name = path.posix.basename(uri.path);
  if (uri.scheme === 'file') return name;
  try {
    const ref = (JSON.parse(uri.query) as { ref?: string }).ref;
    if (ref !== undefined) return `${name} (${ref === '~' ? 'index' : ref === '' ? 'working tree' : ref})`;
  } catch {
    // not a git URI
  }
  return `${name} (${uri.scheme})`;
}

function side(uri: vscode.Uri): DiffSide {
  const copy = isLocalFile(uri) ? undefined : new PrivateCopy(uri);
  return {
    label: uri.toString(true),
    runnable: async () => copy?.file() ?? uri.fsPath,
    release: () => copy?.remove(),
    open: async () => {
      const r = await loadModel(uri);
      if (!r.ok) throw new Error(r.message);
      return { id: r.model.id, graph: r.model.unpackedGraph(), close: () => r.model.close() };
    },
  };
}

export function openModelDiff(extensionUri: vscode.Uri, left: vscode.Uri, right: vscode.Uri, column = vscode.ViewColumn.Active): vscode.WebviewPanel {
  const title = `${sideLabel(left)} ↔ ${sideLabel(right)}`;
  const panel = vscode.window.createWebviewPanel(DIFF_VIEW_TYPE, title, column, {
    enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri), retainContextWhenHidden: true,
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  panel.webview.html = modelWebviewHtml(panel.webview, extensionUri, title, 'diff/diffMain');
  const view: DiffViewReport = { a: left.toString(true), b: right.toString(true) };
  const session = new DiffSession(side(left), side(right), {
    analysis: analysisClient(),
    runtime: runtimeClient,
    push: (message) => void panel.webview.postMessage(message),
    mayRun: () => trustGuard('run'),
    sessionOptions: () => sessionSettings(right).defaults(),
    log: log(),
    version: VERSION,
  });
  open.set(view, session);
  panels.add(panel);
  const subscription = panel.webview.onDidReceiveMessage((message: unknown) => {
    if (!isDiffPageMessage(message)) return;
    switch (message.type) {
      case 'ready':
        void session.load({ a: sideLabel(left), b: sideLabel(right) });
        break;
      case 'compareBehaviour':
        void session.compareBehaviour(message.samples);
        break;
      case 'openSide':
        void vscode.commands.executeCommand('vscode.openWith', message.side === 'a' ? left : right, 'onnxLens.modelEditor');
        break;
      case 'diffRendered':
        view.shown = message;
        break;
    }
  });
  panel.onDidDispose(() => {
    subscription.dispose();
    open.delete(view);
    panels.delete(panel);
    session.dispose();
  });
  return panel;
}
