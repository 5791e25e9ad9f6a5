/**
 * Running an evaluation for the editor: the runtime process evaluates (progress, cancellation),
 * the report is saved as JSON + HTML in the reports folder and becomes the model's latest.
 * The mapping of dataset columns to inputs is remembered per (model, dataset).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetMapping } from '../../core/data/mapping';
import { latestReport } from '../../core/report/reportFiles';
import type { EvalReport } from '../../shared/evalReport';
import { readReportScript, saveEvaluation } from '../../core/report/saveEval';
import type { EvaluateRequest, EvaluationResult } from '../../shared/protocol';
import type { LatestReports } from '../reports/latestReports';
import { reportsFolderFor } from '../reports/reportsFolder';
import { runtimeClient } from '../runtime/runtimeProcess';
import { runtimeOptions, settingsSessionOptions } from '../runtime/runtimeSettings';

export interface EvaluationDeps {
  extensionPath: string;
  workspaceState: vscode.Memento;
  reports: LatestReports;
}

const mappingKey = (model: vscode.Uri, data: string) => `onnxLens.evalMapping:${model.toString()}|${data}`;

/** An evaluation can take minutes on a big dataset; progress keeps it alive, silence ends it. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;

export async function runEvaluation(
  deps: EvaluationDeps,
  model: vscode.Uri,
  request: EvaluateRequest,
  signal: AbortSignal,
  progress: (done: number, total: number, message: string) => void,
): Promise<EvaluationResult> {
  if (model.scheme !== 'file') throw new Error(`${path.basename(model.path)} is not on the local disk, so onnxruntime cannot open it.`);
  const saved = deps.workspaceState.get<DatasetMapping>(mappingKey(model, request.data));
  const report = await runtimeClient().request('evaluate', {
    model: model.fsPath,
    options: runtimeOptions(settingsSessionOptions(model), model),
    data: request.data,
    ...(request.labelColumn ? { labelColumn: request.labelColumn } : {}),
    ...(saved && (!request.labelColumn || saved.labelColumn === request.labelColumn) ? { mapping: saved } : {}),
    ...(request.task ? { task: request.task } : {}),
    ...(request.batchSize ? { batchSize: request.batchSize } : {}),
    ...(request.bootstrap ? { bootstrap: { resamples: request.bootstrap, seed: 0 } } : {}),
    ...(request.compareData ? { compareData: { data: request.compareData } } : {}),
  }, { signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: (p) => progress(p.done, p.total, p.message) });
  await deps.workspaceState.update(mappingKey(model, request.data), report.mapping);
  const folder = reportsFolderFor(model);
  const savedTo = folder ? saveEvaluation(folder, report, readReportScript(path.join(deps.extensionPath, 'dist'))) : null;
  deps.reports.evaluated(model, report);
  return { report, savedTo };
}

/** The newest saved evaluation of the model, with where it is. */
export function latestEvaluation(model: vscode.Uri): EvaluationResult | null {
  const folder = reportsFolderFor(model);
  const found = folder ? latestReport<EvalReport>(folder, 'eval', model.fsPath) : null;
  if (!found) return null;
  return { report: found.report, savedTo: { json: found.file, html: found.file.replace(/\.json$/, '.html') } };
}
