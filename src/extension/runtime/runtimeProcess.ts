/**
 * The extension's one runtime process (src/runtime/child/ortChild.ts, onnxruntime-node), started on
 * first use. Its crash (an ORT abort) fails the pending requests with one sentence; the next
 * request starts a new one, and the extension host never notices more than an `exit` event.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createRuntimeClient, type RuntimeRpc } from '../../runtime/client/runtimeClient';
import { log, logChild } from '../log';
import { trustGuard } from '../trust';

let client: RuntimeRpc | undefined;

export function startRuntimeProcess(context: vscode.ExtensionContext): void {
  // Every request is checked against Workspace Trust before it reaches onnxruntime (../trust.ts).
  const started = createRuntimeClient(path.join(context.extensionPath, 'dist', 'ortChild.js'), [], false, { guard: trustGuard });
  logChild('runtime', started);
  started.onCrash = (description) => {
    log().error(description);
    void vscode.window.showWarningMessage(`ONNX Lens: ${description}.`);
  };
  // An execution provider that fell back to the CPU: said once per model and provider, never silently.
  started.onNotice = (message) => {
    log().warn(message);
    void vscode.window.showWarningMessage(`ONNX Lens: ${message}`);
  };
  client = started;
  context.subscriptions.push({ dispose: () => started.dispose() });
}

export function runtimeClient(): RuntimeRpc {
  if (!client) throw new Error('the ONNX Lens runtime process was not started (extension not activated)');
  return client;
}
