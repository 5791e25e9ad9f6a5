/**
 * A drift report from two datasets and, optionally, what a model outputs on each: the features
 * compared (compare.ts), the outputs compared the same way, and the list of what drifted. The
 * model's outputs come from a caller-supplied function (the runtime process runs the model), so
 * this module stays pure Node: the CLI without a model builds the whole report in-process.
 */
import { version as TOOL_VERSION } from '../../../package.json';
import { DRIFT_REPORT_SCHEMA, type DriftReport } from '../../shared/driftReport';
import type { EvalModelInfo } from '../../shared/evalReport';
import { ColumnBuilder, type DriftColumn } from './columns';
import { compareColumn, compareTables, DEFAULT_ALPHA, PSI_DRIFT } from './compare';
import { readDriftTable, type DriftTable } from './table';

export interface DriftOptions {
  alpha?: number;
  categorical?: string[];
  signal?: AbortSignal;
}

/** What a model gave on one dataset: n × columns scores, as probabilities when it is a classifier. */
export interface ModelOutputs {
  model: EvalModelInfo;
  task: 'classification' | 'regression';
  /** Classification: n × k probabilities; regression: n predictions. */
  values: Float64Array;
  k: number;
  classNames: string[] | null;
}

/** A model's outputs as drift columns: each class's probability and the predicted class, or the prediction. */
export function outputColumns(o: ModelOutputs): DriftColumn[] {
  if (o.task === 'regression') {
    const b = new ColumnBuilder('prediction', false);
    for (const v of o.values) b.addNumber(v);
    return [b.finish()];
  }
  const name = (c: number) => o.classNames?.[c] ?? String(c);
  const probs = Array.from({ length: o.k }, (_, c) => new ColumnBuilder(`p(${name(c)})`, false));
  const predicted = new ColumnBuilder('predicted class', true);
  const n = o.values.length / o.k;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < o.k; c++) {
      probs[c].addNumber(o.values[i * o.k + c]);
      if (o.values[i * o.k + c] > o.values[i * o.k + best]) best = c;
    }
    predicted.add(name(best));
  }
  return [...probs.map((b) => b.finish()), predicted.finish()];
}

export async function driftReport(
  referenceFile: string, currentFile: string, options: DriftOptions,
  outputs?: (file: string, table: DriftTable) => Promise<ModelOutputs>,
): Promise<DriftReport> {
  const started = performance.now();
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const warnings: string[] = [];
  const tableOptions = { categorical: options.categorical, signal: options.signal };
  const reference = await readDriftTable(referenceFile, tableOptions);
  const current = await readDriftTable(currentFile, tableOptions);
  const readMs = performance.now() - started;
  const features = compareTables(reference, current, alpha, warnings);
  let outputFeatures: DriftReport['outputs'] = [];
  let model: EvalModelInfo | null = null;
  const inferenceStarted = performance.now();
  if (outputs) {
    const a = await outputs(referenceFile, reference);
    const b = await outputs(currentFile, current);
    model = a.model;
    const ca = outputColumns(a);
    const cb = outputColumns(b);
    outputFeatures = ca.map((c, i) => compareColumn(c, cb[i], alpha, ca.length));
  }
  const inferenceMs = outputs ? performance.now() - inferenceStarted : 0;
  for (const f of [...features, ...outputFeatures]) {
    const lost = f.current.missing / Math.max(1, f.current.count + f.current.missing) - f.reference.missing / Math.max(1, f.reference.count + f.reference.missing);
    if (lost > 0.05) warnings.push(`'${f.name}' is missing in ${(100 * f.current.missing / (f.current.count + f.current.missing)).toFixed(1)}% of the current rows, against ${(100 * f.reference.missing / Math.max(1, f.reference.count + f.reference.missing)).toFixed(1)}% of the reference.`);
  }
  return {
    schema: DRIFT_REPORT_SCHEMA, createdAt: new Date().toISOString(), tool: { name: 'onnx-lens', version: TOOL_VERSION }, model,
    reference: { path: referenceFile, format: reference.format, rows: reference.rows },
    current: { path: currentFile, format: current.format, rows: current.rows },
    settings: { alpha, psiDrift: PSI_DRIFT, categorical: options.categorical ?? [] },
    features, outputs: outputFeatures,
    drifted: [...features.filter((f) => f.drifted).map((f) => f.name), ...outputFeatures.filter((f) => f.drifted).map((f) => `output:${f.name}`)],
    timing: { totalMs: performance.now() - started, readMs, inferenceMs },
    warnings,
  };
}
