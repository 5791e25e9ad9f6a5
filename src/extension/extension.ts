import * as vscode from 'vscode';
import type { OnnxLensApi } from './api';
import { ModelEditorProvider } from './modelEditorProvider';
import { ModelViewRegistry } from './modelViewRegistry';
import { registerOpenModelCommand } from './openModelCommand';

/**
 * Activation only registers things: no model is read and onnxruntime is not loaded here
 * (the runtime lives in a child process started on first use, see DESIGN.md).
 */
export function activate(context: vscode.ExtensionContext): OnnxLensApi {
  const registry = new ModelViewRegistry();
  context.subscriptions.push(ModelEditorProvider.register(context, registry), registerOpenModelCommand());
  return registry;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
