/**
 * The "ONNX Lens" log (a LogOutputChannel: Output view, "Developer: Set Log Level…"): activation
 * time, the analysis and runtime processes starting, crashing and how long their requests took
 * (src/host/processLog.ts), execution-provider fallbacks, and onnxruntime's own log when the level
 * asks for it (Debug shows its info lines, Trace its verbose ones; the runtime process's stderr is
 * forwarded line by line).
 */
import * as vscode from 'vscode';
import { logChild as logChildOf } from '../host/processLog';
import type { ChildClient } from '../rpc/childClient';
import type { MethodMap } from '../rpc/messages';
import type { OrtLogLevel } from '../shared/runtimeTypes';

let channel: vscode.LogOutputChannel | undefined;

/** The log; created on first use (activation creates it, so it is in the Output view from the start). */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('ONNX Lens', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

/** onnxruntime's log level for the channel's: its lines only go where they would be shown. */
export function ortLogLevel(): OrtLogLevel {
  switch (log().logLevel) {
    case vscode.LogLevel.Trace: return 'verbose';
    case vscode.LogLevel.Debug: return 'info';
    case vscode.LogLevel.Info:
    case vscode.LogLevel.Warning: return 'warning';
    case vscode.LogLevel.Error: return 'error';
    default: return 'fatal';
  }
}

/** Logs a child's life in the "ONNX Lens" log (src/host/processLog.ts). */
export function logChild<M extends MethodMap>(label: string, client: ChildClient<M>): void {
  logChildOf(log(), label, client);
}
