/**
 * An evaluation asked for by the editor (the Evaluate tab, the "Evaluate Model…" command): the
 * request becomes the runtime's evaluate parameters (with the column mapping remembered per model
 * and dataset), the runtime process evaluates with progress and cancellation, and the report is
 * saved as JSON + HTML in the reports folder and becomes the model's latest (evaluate-and-save).
 */
import type { DatasetMapping } from '../core/data/mapping';
import type { EvalReport } from '../shared/evalReport';
import { latestReport } from '../core/report/reportFiles';
import { saveEvaluation } from '../core/report/saveEval';
import type { EvaluateParams } from '../runtime/methods';
import type { EvaluateRequest, EvaluationResult } from '../shared/protocol';
import { pathOnDisk, type ModelPorts, type ModelRef, type Work } from './ports';

/** An evaluation can take minutes on a big dataset; progress keeps it alive, silence ends it. */
const SILENCE_TIMEOUT_MS = 5 * 60_000;

/** Where the column mapping of a model and dataset is remembered (the evaluation's, reused by the robustness sweep). */
export const mappingKey = (model: ModelRef, data: string) => `onnxLens.evalMapping:${model.key}|${data}`;

export type EvaluationPorts = Pick<ModelPorts, 'model' | 'runtime' | 'settings' | 'store' | 'reports' | 'listener'>;

/** The runtime process evaluates; the report is saved as JSON + HTML in the reports folder (when there is one) and becomes the latest. */
export async function evaluateAndSave(ports: Pick<ModelPorts, 'runtime' | 'reports' | 'listener'>, params: EvaluateParams, work: Work): Promise<EvaluationResult> {
  const { signal, progress } = work;
  const report = await ports.runtime().request('evaluate', params, {
    signal, timeoutMs: SILENCE_TIMEOUT_MS, onProgress: progress && ((p) => progress(p.done, p.total, p.message)),
  });
  const folder = ports.reports.folder();
  const savedTo = folder ? saveEvaluation(folder, report, ports.reports.script()) : null;
  ports.listener.evaluated(report);
  return { report, savedTo };
}

/** The editor's request as the runtime's parameters; a mapping saved for this dataset is reused unless the label column changed. */
export function evaluateParams(model: string, request: EvaluateRequest, options: EvaluateParams['options'], saved: DatasetMapping | undefined): EvaluateParams {
  return {
    model,
    options,
    data: request.data,
    ...(request.labelColumn ? { labelColumn: request.labelColumn } : {}),
    ...(saved && (!request.labelColumn || saved.labelColumn === request.labelColumn) ? { mapping: saved } : {}),
    ...(request.task ? { task: request.task } : {}),
    ...(request.batchSize ? { batchSize: request.batchSize } : {}),
    ...(request.bootstrap ? { bootstrap: { resamples: request.bootstrap, seed: 0 } } : {}),
    ...(request.compareData ? { compareData: { data: request.compareData } } : {}),
    ...(request.uncertainty ? { uncertainty: request.uncertainty } : {}),
  };
}

export async function runEvaluation(ports: EvaluationPorts, request: EvaluateRequest, work: Work): Promise<EvaluationResult> {
  const model = ports.model.path();
  const key = mappingKey(ports.model, request.data);
  const params = evaluateParams(model, request, ports.settings.complete(ports.settings.defaults()), ports.store.get<DatasetMapping>(key));
  const result = await evaluateAndSave(ports, params, work);
  await ports.store.update(key, result.report.mapping);
  return result;
}

/** The newest saved evaluation of the model, with where it is. */
export function latestEvaluation(ports: Pick<ModelPorts, 'model' | 'reports'>): EvaluationResult | null {
  const folder = ports.reports.folder();
  const model = pathOnDisk(ports.model);
  const found = folder && model ? latestReport<EvalReport>(folder, 'eval', model) : null;
  if (!found) return null;
  return { report: found.report, savedTo: { json: found.file, html: found.file.replace(/\.json$/, '.html') } };
}

/** Every column of a dataset (read without labels) and the label column it would pick by itself. */
export async function datasetColumns(ports: Pick<ModelPorts, 'model' | 'runtime' | 'settings'>, data: string): Promise<{ columns: string[]; label: string | null; format: string }> {
  const model = ports.model.path();
  const options = ports.settings.complete(ports.settings.defaults());
  const ask = (labelColumn?: null) => ports.runtime().request('datasetInfo', { model, options, data, ...(labelColumn === null ? { labelColumn } : {}) });
  const all = await ask(null);
  const own = await ask().then((i) => i.labelColumn, () => null);
  // Array files and image folders keep labels apart from the inputs: their label "column" is that array or the folder names.
  const columns = own && !all.columns.includes(own) ? [own, ...all.columns] : all.columns;
  return { columns, label: own, format: all.format };
}
