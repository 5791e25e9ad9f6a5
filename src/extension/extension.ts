import * as vscode from 'vscode';
import type { OnnxLensApi } from './api';
import { ModelEditorProvider } from './modelEditorProvider';
import { ModelEditors } from './modelEditors';
import { ModelViewRegistry } from './modelViewRegistry';
import { registerOpenModelCommand } from './openModelCommand';

/**
 * Activation only registers things: no model is read and onnxruntime is not loaded here
 * (the runtime lives in a child process started on first use, see DESIGN.md).
 */
export function activate(context: vscode.ExtensionContext): OnnxLensApi {
  const registry = new ModelViewRegistry();
  const editors = new ModelEditors();
  context.subscriptions.push(editors, ModelEditorProvider.register(context, registry, editors), registerOpenModelCommand());
  return {
    waitForModelView: (uri, timeoutMs, afterRenderCount) => registry.waitForModelView(uri, timeoutMs, afterRenderCount),
    modelViews: (uri) => registry.modelViews(uri),
    request: (uri, method, params) => registry.request(uri, method, params),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
