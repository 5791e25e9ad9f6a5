/**
 * The "ONNX Lens" log (a LogOutputChannel: Output view, "Developer: Set Log Level…"): activation
 * time, the analysis and runtime processes starting, crashing and how long their requests took,
 * execution-provider fallbacks, and onnxruntime's own log when the level asks for it (Debug shows
 * its info lines, Trace its verbose ones; the runtime process's stderr is forwarded line by line).
 */
import * as vscode from 'vscode';
import type { ChildClient } from '../rpc/childClient';
import type { MethodMap } from '../rpc/messages';
import type { OrtLogLevel } from '../shared/runtimeTypes';
import { isCancelled } from '../shared/cancellation';

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

/** onnxruntime's lines look like `2026-… [W:onnxruntime:, graph.cc:…] text`; the letter is the severity. */
const ORT_LINE = /^\S+ \S+ \[([VIWEF]):onnxruntime[^\]]*\] ?(.*)$/;

/** One line a child process wrote to stderr, at the severity it carries (onnxruntime's), else as a warning. */
export function logChildLine(process: string, raw: string): void {
  // eslint-disable-next-line no-control-regex
  const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
  if (!line) return;
  const ort = ORT_LINE.exec(line);
  const out = log();
  if (!ort) return out.warn(`${process}: ${line}`);
  const text = `${process}: onnxruntime: ${ort[2]}`;
  if (ort[1] === 'V') out.trace(text);
  else if (ort[1] === 'I') out.debug(text);
  else if (ort[1] === 'W') out.warn(text);
  else out.error(text);
}

/** Requests a view makes many of while the user browses (pages of a tensor, node details): timed at Debug only. */
const CHATTY = new Set(['page', 'histogram', 'slab', 'tensorPage', 'nodeDetails', 'close', 'release']);

/** Logs a child's life: start (pid), each request's time, failures as warnings; crashes are logged by the owner. */
export function logChild<M extends MethodMap>(label: string, client: ChildClient<M>): void {
  client.onStarted = (pid) => log().info(`${label} process started (pid ${pid})`);
  client.onSettled = (method, ms, error) => {
    const took = ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
    if (!error) (CHATTY.has(method) ? log().debug : log().info).call(log(), `${label}: ${method} took ${took}`);
    else if (!isCancelled(error)) log().warn(`${label}: ${method} failed after ${took}: ${error.message}`);
  };
  client.onStderr = (line) => logChildLine(label, line);
}
