/**
 * The `drift` runtime method: two datasets compared feature by feature (core/drift), and — when a
 * model is named — the model run on both through the dataset worker, its outputs compared the
 * same way. The data need no labels here: a label column, when the file has one, is left out of
 * the model's inputs and compared as a feature like the others.
 */
import * as path from 'node:path';
import { openDataset } from '../../../core/data/dataset';
import { driftReport, type ModelOutputs } from '../../../core/drift/driftReport';
import { toProbabilities } from '../../../core/metrics/probabilities';
import type { ReportProgress } from '../../../rpc/childServer';
import type { DriftReport } from '../../../shared/driftReport';
import type { DriftParams } from '../../methods';
import { checkSessionOptions } from '../ort/sessionOptions';
import { DEFAULT_EVAL_BATCH } from '../eval/evaluate';
import { inputsOf, loadModel, modelClasses, openOptions, type Model } from '../eval/evalModel';
import { runPass } from '../eval/pass';

/** The label column the file has (the one asked for, or 'label'), or null when it has none. */
async function labelOf(file: string, labelColumn: string | undefined): Promise<string | undefined | null> {
  return openDataset(file, labelColumn !== undefined ? { labelColumn } : {}).then((r) => (r.labelColumn === null ? null : labelColumn), () => null);
}

async function modelOutputs(model: Model, p: DriftParams, file: string, signal: AbortSignal, progress: ReportProgress): Promise<ModelOutputs> {
  const inputs = inputsOf(model);
  const classes = modelClasses(model, p.options);
  const labelColumn = await labelOf(file, p.labelColumn);
  const open = { ...openOptions({ ...(labelColumn ? { labelColumn } : {}) }, model.choice, classes.numClasses, inputs), ...(labelColumn === null ? { labelColumn: null } : {}) };
  const pass = await runPass({
    data: file, open, fallbackClassNames: classes.fallbackNames ?? undefined, inputs, batchSize: p.batchSize ?? DEFAULT_EVAL_BATCH,
    models: [{ model: model.path, session: model.cached.session, choice: model.choice }], label: path.basename(file),
  }, signal, progress);
  const out = pass.outputs[0];
  const info = { path: model.path, bytes: model.cached.file.size, mtimeMs: model.cached.file.mtimeMs };
  if (model.choice.task === 'regression') return { model: info, task: 'regression', values: out.values, k: 1, classNames: null };
  const probs = toProbabilities(out.values, pass.n, out.columns);
  const names = pass.meta.classNames ?? classes.fallbackNames?.names ?? null;
  return { model: info, task: 'classification', values: probs.values, k: probs.numClasses, classNames: names && names.length === probs.numClasses ? names : null };
}

export async function drift(p: DriftParams, signal: AbortSignal, progress: ReportProgress): Promise<DriftReport> {
  let model: Model | null = null;
  if (p.model) model = await loadModel(p.model, checkSessionOptions(p.options, p.model), p.task ?? 'auto', p.output);
  progress({ done: 0, total: 0, message: `comparing ${path.basename(p.current)} with ${path.basename(p.reference)}` });
  return driftReport(p.reference, p.current, { alpha: p.alpha, categorical: p.categorical, signal }, model ? (file) => modelOutputs(model!, p, file, signal, progress) : undefined);
}
