/**
 * The `evaluate` runtime method: a model (and optionally a second model, or a second dataset) on a
 * labelled dataset → an EvalReport. Runs in the runtime process: the dataset worker reads, this
 * thread runs ORT, and the metrics are computed here too, so the extension host stays free.
 */
import * as path from 'node:path';
import { loadOnnxRuntime } from '../ort/onnxruntime';
import { DatasetError } from '../../../core/data/errors';
import type { ModelInput } from '../../../core/data/mapping';
import { OnnxLensError } from '../../../core/errors';
import { compareClassifiers, compareRegressors, compareSplits } from '../../../core/metrics';
import type { ClassificationMetrics, RegressionMetrics } from '../../../core/metrics';
import { EVAL_REPORT_SCHEMA, type EvalComparison, type EvalReport, type EvalSplits } from '../../../shared/evalReport';
import type { ReportProgress } from '../../../rpc/childServer';
import { checkSessionOptions } from '../ort/sessionOptions';
import type { EvaluateParams } from '../../methods';
import { dataInfo, inputsOf, lanePlan, loadModel, modelClasses, openOptions, outputInfo, sourceKind, type LanePlan, type Model } from './evalModel';
import { runPass, type PassResult } from './pass';
import { scoreClassification, scoreRegression, type ScoredClassification, type ScoredRegression } from './score';
import { binaryScores, classificationDrilldown, DEFAULT_KEEP_SAMPLES, headlineTable, regressionDrilldown } from './reportParts';
import { version as TOOL_VERSION } from '../../../../package.json';
import { CancelledError } from '../../../shared/cancellation';
import { classificationUncertainty, regressionUncertainty } from '../../../core/uncertainty/evaluateUncertainty';
import type { EvalUncertainty, UncertaintyOptions } from '../../../shared/uncertaintyTypes';

export const DEFAULT_EVAL_BATCH = 64;

function checkParams(p: EvaluateParams): void {
  const bad = (why: string): never => {
    throw new OnnxLensError(path.basename(p.model), `cannot be evaluated: ${why}`);
  };
  const whole = (v: number | undefined, what: string, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) bad(`${what} must be a whole number of at least ${min}, not ${v}.`);
  };
  whole(p.batchSize, 'the batch size', 1);
  whole(p.keepSamples, 'the number of samples kept', 0);
  whole(p.positiveClass, 'the positive class', 0);
  whole(p.bootstrap?.resamples, 'the number of bootstrap resamples', 1);
  if (p.labelColumn === null) bad('evaluation needs a label column.');
  if (p.task !== undefined && !['auto', 'classification', 'regression'].includes(p.task)) bad(`unknown task '${String(p.task)}'.`);
  const u = p.uncertainty;
  if (u?.conformal && !(u.conformal.alpha > 0 && u.conformal.alpha < 1)) bad(`the conformal α must be between 0 and 1, not ${u.conformal.alpha}.`);
  if (u?.conformal?.score !== undefined && !['lac', 'aps'].includes(u.conformal.score)) bad(`unknown conformal score '${String(u.conformal.score)}' (lac or aps).`);
  if (u?.calibrationFraction !== undefined && !(u.calibrationFraction > 0 && u.calibrationFraction < 1)) bad(`the calibration split must be between 0 and 1, not ${u.calibrationFraction}.`);
}

interface Scored {
  classification?: ScoredClassification;
  regression?: ScoredRegression;
}

function score(pass: PassResult, m: number, model: Model, p: EvaluateParams, numClasses: number | undefined, warnings: string[]): Scored {
  const context = { model: model.path, choice: model.choice, positiveClass: p.positiveClass, bootstrap: p.bootstrap, numClasses, taskOption: p.task ?? 'auto' };
  return model.choice.task === 'classification'
    ? { classification: scoreClassification(pass, m, context, warnings) }
    : { regression: scoreRegression(pass, m, context, warnings) };
}

export async function evaluate(p: EvaluateParams, signal: AbortSignal, progress: ReportProgress): Promise<EvalReport> {
  const started = performance.now();
  checkParams(p);
  const options = checkSessionOptions(p.options, p.model);
  const plan = lanePlan(options, [p.model, ...(p.compareModel ? [p.compareModel.model] : [])]);
  const a = await loadModel(p.model, plan.options, p.task ?? 'auto', p.output);
  const b = p.compareModel ? await loadModel(p.compareModel.model, plan.options, a.choice.task, p.compareModel.output) : null;
  const inputs = inputsOf(a);
  if (b) {
    const names = (m: Model) => m.signature.inputs.map((s) => s.name).sort().join(', ');
    if (names(a) !== names(b)) throw new OnnxLensError(path.basename(b.path), `cannot be compared with ${path.basename(a.path)} on the same data: its inputs are ${names(b)}, not ${names(a)}.`);
  }
  const { fallbackNames, note: labelNote, numClasses } = modelClasses(a, p.options);
  const models = [a, ...(b ? [b] : [])].map((m) => ({ model: m.path, session: m.cached.session, choice: m.choice }));
  const passStarted = performance.now();
  const pass = await runPass({
    data: p.data, open: openOptions(p, a.choice, numClasses, inputs), fallbackClassNames: fallbackNames ?? undefined, inputs, mapping: p.mapping,
    batchSize: p.batchSize ?? DEFAULT_EVAL_BATCH, models, label: path.basename(p.data), lanes: plan.lanes([a, ...(b ? [b] : [])]),
  }, signal, progress);
  const passMs = performance.now() - passStarted;

  const metricsStarted = performance.now();
  progress({ done: pass.n, total: pass.n, message: 'computing metrics' });
  const warnings: string[] = [];
  const first = score(pass, 0, a, p, numClasses, warnings);
  const report: EvalReport = {
    schema: EVAL_REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    tool: { name: 'onnx-lens', version: TOOL_VERSION, ortVersion: loadOnnxRuntime().env.versions.common },
    model: { path: a.path, bytes: a.cached.file.size, mtimeMs: a.cached.file.mtimeMs },
    data: dataInfo(pass, fallbackNames, first.classification?.metrics.numClasses ?? null),
    mapping: pass.meta.mapping,
    mappingSource: pass.meta.mappingSource,
    output: outputInfo(a, (first.classification ?? first.regression)!, pass.outputs[0].columns),
    task: a.choice.task,
    sessionOptions: options,
    timing: {
      totalMs: 0, inferenceMs: pass.inferenceMs, dataWaitMs: pass.dataWaitMs, openMs: pass.openMs, metricsMs: 0, sessionMs: a.cached.createdMs + (b?.cached.createdMs ?? 0), passMs,
      samplesPerSecond: pass.n / (passMs / 1000), batchSize: pass.meta.batchSize, batches: pass.batches, lanes: pass.lanes, laneBatches: pass.laneBatches,
      ...(pass.fromMemory ? { dataFromMemory: true } : {}),
    },
    ...(first.classification ? { classification: first.classification.metrics } : { regression: first.regression!.metrics }),
    headline: headlineTable(first.classification ? { classification: first.classification.metrics } : { regression: first.regression!.metrics }),
    drilldown: first.classification
      ? classificationDrilldown(first.classification.samples, p.keepSamples ?? DEFAULT_KEEP_SAMPLES, (i) => pass.sources.at(i), sourceKind(pass.meta.format))
      : regressionDrilldown(pass.labels as Float64Array, first.regression!.yPred, p.keepSamples ?? DEFAULT_KEEP_SAMPLES, (i) => pass.sources.at(i), sourceKind(pass.meta.format)),
    warnings,
  };
  const cm = first.classification?.metrics;
  if (cm?.task === 'binary') report.binary = binaryScores(first.classification!.samples, cm.positiveClass ?? 1);

  const uncertainty = trustParts(first, pass, p.uncertainty ?? {}, warnings);
  if (uncertainty) report.uncertainty = uncertainty;
  if (b) report.comparison = compareModels(pass, a, b, p, numClasses, first, warnings);
  if (p.compareData) {
    throwIfCancelled(signal);
    report.splits = await secondSplit(p, plan, a, inputs, numClasses, fallbackNames, first, signal, progress);
  }
  const labelNotes = [labelNote && `Class names of the model: ${labelNote}.`, pass.meta.classNamesNote && `Class names of the data: ${pass.meta.classNamesNote}.`];
  for (const w of [...(cm?.warnings ?? []), ...(first.regression?.metrics.warnings ?? []), ...labelNotes]) if (w && !warnings.includes(w)) warnings.push(w);
  report.timing.metricsMs = performance.now() - metricsStarted;
  report.timing.totalMs = performance.now() - started;
  return report;
}

/** Confidence distributions and selective prediction always; temperature and conformal when asked. */
function trustParts(first: Scored, pass: PassResult, options: UncertaintyOptions, warnings: string[]): EvalUncertainty | undefined {
  const c = first.classification;
  if (c) {
    return classificationUncertainty({
      scores: c.scores, columns: c.scoreColumns, probabilities: c.samples.probabilities, k: c.samples.k, yTrue: c.yTrue, source: c.probabilitySource,
    }, options, warnings);
  }
  return regressionUncertainty(pass.labels as Float64Array, first.regression!.yPred, options, warnings);
}

function throwIfCancelled(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw new CancelledError('The evaluation was cancelled.');
}

function compareModels(pass: PassResult, a: Model, b: Model, p: EvaluateParams, numClasses: number | undefined, first: Scored, warnings: string[]): EvalComparison {
  const second = score(pass, 1, b, p, numClasses, []);
  const output = outputInfo(b, (second.classification ?? second.regression)!, pass.outputs[1].columns);
  const model = { path: b.path, bytes: b.cached.file.size, mtimeMs: b.cached.file.mtimeMs };
  const bootstrap = p.bootstrap ?? { resamples: 1000, seed: 0 };
  if (first.classification && second.classification) {
    const x = first.classification;
    const y = second.classification;
    if (x.scoreColumns !== y.scoreColumns) {
      throw new OnnxLensError(path.basename(b.path), `gives ${y.samples.k} classes and ${path.basename(a.path)} ${x.samples.k}; models are compared on the same classes.`);
    }
    const result = compareClassifiers(x.yTrue, x.scores, y.scores, x.scoreColumns, { positiveClass: p.positiveClass, bootstrap });
    if (y.oneHot) warnings.push(`The compared model's output '${b.choice.output.name}' holds predicted classes only; its probability metrics are on one-hot scores.`);
    return { model, output, classification: result, disagreeing: result.disagreement.indices };
  }
  const result = compareRegressors(pass.labels as Float64Array, first.regression!.yPred, second.regression!.yPred, { bootstrap });
  return { model, output, regression: result, disagreeing: [] };
}

async function secondSplit(
  p: EvaluateParams, plan: LanePlan, a: Model, inputs: ModelInput[], numClasses: number | undefined, fallbackNames: { names: string[]; source: string } | null,
  first: Scored, signal: AbortSignal, progress: ReportProgress,
): Promise<EvalSplits> {
  const c = p.compareData!;
  const pass = await runPass({
    data: c.data, open: openOptions({ labelColumn: c.labelColumn ?? p.labelColumn, dataset: c.dataset ?? p.dataset }, a.choice, numClasses, inputs),
    fallbackClassNames: fallbackNames ?? undefined, inputs, mapping: p.mapping, batchSize: p.batchSize ?? DEFAULT_EVAL_BATCH,
    models: [{ model: a.path, session: a.cached.session, choice: a.choice }], label: path.basename(c.data), lanes: plan.lanes([a]),
  }, signal, progress);
  const second = score(pass, 0, a, { ...p, bootstrap: undefined }, numClasses, []);
  const names = c.names ?? [path.basename(p.data), path.basename(c.data)];
  const firstMetrics: ClassificationMetrics | RegressionMetrics = first.classification?.metrics ?? first.regression!.metrics;
  const secondMetrics: ClassificationMetrics | RegressionMetrics = second.classification?.metrics ?? second.regression!.metrics;
  if (first.classification && second.classification && first.classification.metrics.numClasses !== second.classification.metrics.numClasses) {
    throw new DatasetError(c.data, `has ${second.classification.metrics.numClasses} classes where ${path.basename(p.data)} has ${first.classification.metrics.numClasses}`);
  }
  return {
    names,
    data: dataInfo(pass, fallbackNames, second.classification?.metrics.numClasses ?? null),
    ...(second.classification ? { classification: second.classification.metrics } : { regression: second.regression!.metrics }),
    comparison: compareSplits(firstMetrics, secondMetrics, { names }),
  };
}
