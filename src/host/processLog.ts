/**
 * What a child process's life looks like in a log (the extension: the "ONNX Lens" channel): its
 * start (pid), each request's time, failures as warnings, and its stderr line by line at the
 * severity onnxruntime gave the line (Debug shows ORT's info lines, Trace its verbose ones).
 * Crashes are logged by the client's owner, which also tells the user.
 */
import type { ChildClient } from '../rpc/childClient';
import type { MethodMap } from '../rpc/messages';
import { isCancelled } from '../shared/cancellation';
import type { Logger } from './ports';

/** onnxruntime's lines look like `2026-… [W:onnxruntime:, graph.cc:…] text`; the letter is the severity. */
const ORT_LINE = /^\S+ \S+ \[([VIWEF]):onnxruntime[^\]]*\] ?(.*)$/;

/** One line a child process wrote to stderr, at the severity it carries (onnxruntime's), else as a warning. */
export function logChildLine(log: Logger, process: string, raw: string): void {
  // eslint-disable-next-line no-control-regex
  const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
  if (!line) return;
  const ort = ORT_LINE.exec(line);
  if (!ort) return log.warn(`${process}: ${line}`);
  const text = `${process}: onnxruntime: ${ort[2]}`;
  if (ort[1] === 'V') log.trace(text);
  else if (ort[1] === 'I') log.debug(text);
  else if (ort[1] === 'W') log.warn(text);
  else log.error(text);
}

/** Requests a view makes many of while the user browses (pages of a tensor, node details): timed at Debug only. */
const CHATTY = new Set(['page', 'histogram', 'slab', 'tensorPage', 'nodeDetails', 'close', 'release']);

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Logs a child's life: start (pid), each request's time, failures as warnings; crashes are logged by the owner. */
export function logChild<M extends MethodMap>(log: Logger, label: string, client: ChildClient<M>): void {
  client.onStarted = (pid) => log.info(`${label} process started (pid ${pid})`);
  client.onSettled = (method, ms, error) => {
    const took = formatDuration(ms);
    if (!error) (CHATTY.has(method) ? log.debug(`${label}: ${method} took ${took}`) : log.info(`${label}: ${method} took ${took}`));
    else if (!isCancelled(error)) log.warn(`${label}: ${method} failed after ${took}: ${error.message}`);
  };
  client.onStderr = (line) => logChildLine(log, label, line);
}
