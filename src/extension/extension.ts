import * as vscode from 'vscode';
import type { OnnxLensApi } from './api';
import type { ExtensionHost } from './host/modelPorts';
import { registerGraphCommands } from './graphCommands';
import { registerOverlayCommand } from './overlayCommand';
import { registerReportsCommands } from './reports/reportsCommands';
import { ModelPathHoverProvider } from './hover/modelHover';
import { ModelEditorProvider } from './modelEditorProvider';
import { ModelEditors } from './modelEditors';
import { ModelViewRegistry } from './modelViewRegistry';
import { registerOpenModelCommand } from './openModelCommand';
import { ModelStatusBar } from './statusBar';
import { analysisClient, startAnalysisProcess } from './analysisProcess';
import { LatestReports } from './reports/latestReports';
import { registerRuntimeCommands } from './runtime/runtimeCommands';
import { registerEvaluateCommand } from './eval/evaluateCommand';
import { registerTrustCommands } from './eval/trustCommands';
import { registerQuantizeCommand } from './quantize/quantizeCommand';
import { runtimeClient, startRuntimeProcess } from './runtime/runtimeProcess';
import { disposeLog, log } from './log';
import { registerDiffCommands } from './diff/diffCommands';
import { diffViews } from './diff/diffPanel';

/**
 * Activation only registers things: no model is read and onnxruntime is not loaded here
 * (the runtime lives in a child process started on first use: src/runtime/ortChild.ts says why).
 */
export function activate(context: vscode.ExtensionContext): OnnxLensApi {
  const started = performance.now();
  context.subscriptions.push({ dispose: disposeLog });
  // Forked lazily, on the first model opened or hovered: activation itself stays cheap.
  startAnalysisProcess(context);
  startRuntimeProcess(context);
  const registry = new ModelViewRegistry();
  const editors = new ModelEditors();
  const reports = new LatestReports();
  const host: ExtensionHost = { extensionPath: context.extensionPath, workspaceState: context.workspaceState, reports };
  const hover = new ModelPathHoverProvider(reports);
  const statusBar = new ModelStatusBar(editors, reports);
  context.subscriptions.push(
    editors,
    reports,
    ModelEditorProvider.register(context, host, registry, editors),
    registerOpenModelCommand(),
    registerGraphCommands(editors),
    registerOverlayCommand(editors),
    registerReportsCommands(editors),
    registerRuntimeCommands(editors),
    registerEvaluateCommand(host, editors),
    registerTrustCommands(host, editors),
    registerQuantizeCommand(host, editors),
    registerDiffCommands(context.extensionUri, editors),
    ModelPathHoverProvider.register(hover),
    statusBar,
  );
  const activateMs = performance.now() - started;
  log().info(`activated in ${activateMs.toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${process.platform}-${process.arch}, Node ${process.versions.node})`);
  return {
    activateMs,
    logUri: context.logUri,
    processesStarted: () => ({ analysis: analysisClient().generation, runtime: runtimeClient().generation }),
    waitForModelView: (uri, timeoutMs, afterRenderCount) => registry.waitForModelView(uri, timeoutMs, afterRenderCount),
    modelViews: (uri) => registry.modelViews(uri),
    request: (uri, method, params) => registry.request(uri, method, params),
    hoverMarkdown: async (document, position) => (await hover.markdownAt(document, position))?.text,
    statusBar: () => statusBar.current,
    diffViews,
    activeModel: () => {
      const active = editors.active;
      return active && { uri: active.uri, loaded: active.model !== undefined, selection: active.selection };
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
