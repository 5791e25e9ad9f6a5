/**
 * The ONNX Lens diff editor: a webview panel with both graphs side by side, coloured by what
 * changed, the change list, signature and totals (webview/diff/). Both sides are opened by the
 * analysis process the way the model editor opens them (a file by path; a `git:` version or a
 * virtual file read through vscode.workspace.fs, capped: src/extension/nonFileModel.ts), diffed
 * there (core/diff/), and closed with the panel. "Compare behaviour" runs both models in the
 * runtime process (src/runtime/client/diffBehaviour.ts) when both are files on disk.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BehaviourPlan } from '../../core/diff/behaviour';
import { measureBehaviour } from '../../runtime/client/diffBehaviour';
import type { DiffReport } from '../../shared/diffReport';
import { isDiffPageMessage, type DiffPageMessage, type DiffPushMessage } from '../../shared/diffView';
import { DEFAULT_SESSION_OPTIONS } from '../../shared/runtimeTypes';
import { analysisClient } from '../analysisProcess';
import { log } from '../log';
import { loadModel } from '../modelLoader';
import type { RemoteModel } from '../remoteModel';
import { runtimeClient } from '../runtime/runtimeProcess';
import { trustGuard } from '../trust';
import { modelWebviewHtml, webviewResourceRoots } from '../webviewHtml';
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

const open = new Set<DiffViewReport>();

export function diffViews(): DiffViewReport[] {
  return [...open];
}

function label(uri: vscode.Uri): string {
  const name = path.posix.basename(uri.path);
  if (uri.scheme === 'file') return name;
  // git: URIs carry the ref in their query ({"path": …, "ref": "HEAD"}); '~' is the index.
  try {
    const ref = (JSON.parse(uri.query) as { ref?: string }).ref;
    if (ref !== undefined) return `${name} (${ref === '~' ? 'index' : ref === '' ? 'working tree' : ref})`;
  } catch {
    // not a git URI: fall through
  }
  return `${name} (${uri.scheme})`;
}

export function openModelDiff(extensionUri: vscode.Uri, left: vscode.Uri, right: vscode.Uri, column = vscode.ViewColumn.Active): vscode.WebviewPanel {
  const title = `${label(left)} ↔ ${label(right)}`;
  const panel = vscode.window.createWebviewPanel(DIFF_VIEW_TYPE, title, column, {
    enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri), retainContextWhenHidden: true,
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
  panel.webview.html = modelWebviewHtml(panel.webview, extensionUri, title, 'diff/diffMain');
  const view: DiffViewReport = { a: left.toString(true), b: right.toString(true) };
  open.add(view);
  const models: RemoteModel[] = [];
  let plan: BehaviourPlan | undefined;
  const push = (m: DiffPushMessage) => void panel.webview.postMessage(m);
  let started = false;

  const load = async () => {
    push({ type: 'diffLoading', a: label(left), b: label(right) });
    const t0 = performance.now();
    const [la, lb] = await Promise.all([loadModel(left), loadModel(right)]);
    for (const r of [la, lb]) if (r.ok) models.push(r.model);
    if (!la.ok || !lb.ok) {
      view.error = !la.ok ? la.message : !lb.ok ? lb.message : '';
      push({ type: 'diffError', message: view.error });
      return;
    }
    try {
      const result = await analysisClient().request('diff', { a: la.model.id, b: lb.model.id, labels: [view.a, view.b], version: VERSION }, { timeoutMs: 10 * 60_000 });
      view.report = result.report;
      plan = result.plan;
      const bothFiles = left.scheme === 'file' && right.scheme === 'file';
      push({
        type: 'diffData',
        data: { report: result.report, states: result.states, behaviourUnavailable: bothFiles ? null : 'Behaviour is compared on files on disk: one side is a version from Source Control or a virtual file, which onnxruntime cannot open.' },
        graphA: la.model.graph, graphB: lb.model.graph,
      });
      log().info(`diff ${title}: ${result.report.headline} (${(performance.now() - t0).toFixed(0)} ms; match ${result.report.timing.matchMs.toFixed(0)} ms)`);
    } catch (error) {
      view.error = error instanceof Error ? error.message : String(error);
      push({ type: 'diffError', message: view.error });
    }
  };

  const behaviour = async (samples: number) => {
    if (!plan || left.scheme !== 'file' || right.scheme !== 'file') return;
    try {
      trustGuard('run');
      const b = await measureBehaviour(runtimeClient(), left.fsPath, right.fsPath, plan, {
        options: DEFAULT_SESSION_OPTIONS, samples, benchRuns: 50, onProgress: (message) => push({ type: 'behaviourProgress', message }),
      });
      if (view.report) view.report = { ...view.report, behaviour: b, outputs: b.outputs, firstDivergence: b.firstDivergence, latency: b.latency };
      push({ type: 'behaviour', behaviour: b });
    } catch (error) {
      push({ type: 'behaviourError', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const subscription = panel.webview.onDidReceiveMessage((message: unknown) => {
    if (!isDiffPageMessage(message)) return;
    switch (message.type) {
      case 'ready':
        // A page rebuilt after a reload asks again; the models stay open.
        if (!started) {
          started = true;
          void load();
        } else if (view.report) void load();
        break;
      case 'compareBehaviour':
        void behaviour(Math.max(1, Math.min(1000, Math.floor(message.samples))));
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
    for (const m of models) m.close();
  });
  return panel;
}
