/**
 * An explanation for the editor: the runtime process explains (progress, cancellation), and the
 * report is saved as JSON + HTML in the reports folder. No vscode here: the extension passes the
 * model's path, its session options, the reports folder and the report script.
 */
import { saveExplanation } from '../core/report/explainHtml';
import type { RuntimeRpc } from '../runtime/client/runtimeClient';
import type { ExplainViewRequest, ExplanationResult } from '../shared/protocol';
import type { SessionOptionsSpec } from '../shared/runtimeTypes';

/** A big saliency map can take minutes; progress keeps the request alive, silence ends it. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;

export interface ExplanationDeps {
  rpc: RuntimeRpc;
  model: string;
  /** The request's session options completed with the settings' (provider, labels, log level). */
  options(requested: SessionOptionsSpec | undefined): SessionOptionsSpec;
  /** The reports folder, or null when none is open. */
  reportsFolder: string | null;
  reportScript(): string;
}

export async function runExplanation(
  deps: ExplanationDeps, request: ExplainViewRequest, signal: AbortSignal, progress: (done: number, total: number, message: string) => void,
): Promise<ExplanationResult> {
  const { options, ...settings } = request;
  const report = await deps.rpc.request('explain', { ...settings, model: deps.model, options: deps.options(options) }, {
    signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: (p) => progress(p.done, p.total, p.message),
  });
  const savedTo = deps.reportsFolder ? saveExplanation(deps.reportsFolder, report, deps.reportScript()) : null;
  return { report, savedTo };
}
