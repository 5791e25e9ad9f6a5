/**
 * The extension's one analysis process (src/analysisProcess/analysisChild.ts), started on first use.
 * When it dies, every open model document reloads (a new process starts on that request).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalysisMethods } from '../analysisProcess/methods';
import { ChildClient } from '../rpc/childClient';
import { log, logChild } from './log';

/** Opening a huge model may take long; a hung one must still end. */
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

let client: ChildClient<AnalysisMethods> | undefined;
const crashed = new vscode.EventEmitter<string>();

/** Fires with a one-sentence description when the analysis process died unexpectedly. */
export const onDidAnalysisCrash = crashed.event;

export function startAnalysisProcess(context: vscode.ExtensionContext): ChildClient<AnalysisMethods> {
  client = new ChildClient<AnalysisMethods>({
    name: 'the ONNX Lens analysis process',
    script: path.join(context.extensionPath, 'dist', 'analysisChild.js'),
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    // Graph structures of models opened before (src/analysisProcess/graphCache.ts) survive a window reload here.
    env: { ...process.env, ONNX_LENS_GRAPH_CACHE: path.join(context.globalStorageUri.fsPath, 'graphs') },
  });
  logChild('analysis', client);
  client.onCrash = (description) => {
    log().error(description);
    crashed.fire(description);
  };
  const started = client;
  context.subscriptions.push(crashed, { dispose: () => started.dispose() });
  return client;
}

export function analysisClient(): ChildClient<AnalysisMethods> {
  if (!client) throw new Error('the ONNX Lens analysis process was not started (extension not activated)');
  return client;
}
