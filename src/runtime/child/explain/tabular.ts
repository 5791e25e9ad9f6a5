/**
 * Tabular explanations in the runtime process: KernelSHAP against a k-means (or sampled)
 * background, LIME against the data's quartiles, permutation importance over a labelled dataset.
 * The data is the dataset the row came from, `background` when given, or the dataset beside the
 * model (src/core/data/beside.ts).
 */
import * as path from 'node:path';
import { kmeansBackground, sampleBackground } from '../../../core/explain/background';
import type { BlackBox, ExplainControl } from '../../../core/explain/blackBox';
import { kernelShap } from '../../../core/explain/kernelShap';
import { limeTabular } from '../../../core/explain/lime';
import { tabularMasker } from '../../../core/explain/maskers';
import { permutationImportance } from '../../../core/explain/permutation';
import { isClassificationScore, isScoreName, scorer, CLASSIFICATION_SCORES, REGRESSION_SCORES } from '../../../core/explain/scoring';
import { datasetsBeside } from '../../../core/data/beside';
import { OnnxLensError } from '../../../core/errors';
import type { ExplainReport, ExplainRequest, FeatureAttribution } from '../../../shared/explainReport';
import type { IoSignature } from '../../../shared/runtimeTypes';
import { readDatasetTable, type DatasetTable } from './datasetTable';
import type { Sample } from './sample';

export type MethodOutcome = Partial<ExplainReport> & { samples: number; evaluations: number };

/** The data a tabular method compares against, read once per request. */
export async function tabularData(req: ExplainRequest, sample: Sample, signature: readonly IoSignature[], signal?: AbortSignal): Promise<DatasetTable> {
  const file = req.background ?? (sample.table ? null : datasetsBeside(req.model)[0]);
  if (file === undefined) {
    throw new OnnxLensError(path.basename(req.model), `${req.method === 'permutation' ? 'permutation importance needs a labelled dataset' : `${req.method} needs background data`}: give a dataset file (--background or --data), none sits beside the model.`);
  }
  const table = file === null ? sample.table! : await readDatasetTable(file, req.labelColumn, signature, signal);
  const width = table.inputs.get(sample.input.name)?.sampleDims.reduce((a, b) => a * b, 1);
  const features = sample.inputs.get(sample.input.name)!.data.length;
  if (width !== features) {
    throw new OnnxLensError(path.basename(table.file), `has ${width ?? 0} features for input '${sample.input.name}', but the model takes ${features}.`);
  }
  return table;
}

function featureRows(table: DatasetTable, input: string): { rows: Float64Array; n: number; d: number } {
  const values = table.inputs.get(input)!;
  const d = values.sampleDims.reduce((a, b) => a * b, 1);
  return { rows: Float64Array.from(values.data), n: table.rows, d };
}

export async function explainTabular(req: ExplainRequest, box: BlackBox, sample: Sample, table: DatasetTable, target: number, control: ExplainControl): Promise<MethodOutcome> {
  const x = sample.inputs.get(sample.input.name)!.data as Float32Array;
  const names = table.featureNames.get(sample.input.name)!;
  const seed = req.seed ?? 0;
  const { rows, n, d } = featureRows(table, sample.input.name);
  if (req.method === 'kernelshap') {
    const size = req.backgroundSize ?? 50;
    const bg = req.backgroundKind === 'sample' ? sampleBackground(rows, n, d, size, seed) : kmeansBackground(rows, n, d, size, seed);
    const r = await kernelShap(box, tabularMasker(x, bg.rows, bg.weights), target, { samples: req.samples, seed }, control);
    const attributions: FeatureAttribution[] = names.map((feature, j) => ({ feature, value: x[j], attribution: r.values[j], ...(r.exact ? {} : { error: r.standardErrors[j] }) }));
    const sum = r.values.reduce((a, b) => a + b, 0);
    return {
      prediction: r.prediction, expected: r.expected, attributions, efficiency: { sum, gap: r.efficiencyGap, exact: r.exact },
      samples: r.coalitions, evaluations: r.evaluations,
      notes: [`Background: ${bg.count} ${bg.kind === 'kmeans' ? 'weighted k-means centroids' : 'rows'} of ${path.basename(table.file)} (${n} rows${table.truncated ? ', the first ones read' : ''}).`],
    };
  }
  if (req.method === 'lime') {
    const r = await limeTabular(box, x, rows, n, target, names, { samples: req.samples, seed }, control);
    const attributions: FeatureAttribution[] = names.map((feature, j) => ({ feature, value: x[j], attribution: r.values[j], condition: r.conditions![j] }));
    return {
      prediction: r.prediction, expected: r.intercept, attributions, localModel: { score: r.score, prediction: r.localPrediction, intercept: r.intercept },
      samples: r.samples, evaluations: r.evaluations, notes: [`Quartiles and perturbations drawn from ${path.basename(table.file)} (${n} rows).`],
    };
  }
  // Permutation importance.
  if (!table.labels) throw new OnnxLensError(path.basename(table.file), 'has no label column: permutation importance needs the true labels (name the column with --label).');
  const classification = table.labelKind === 'class';
  const metric = req.metric ?? (classification ? 'accuracy' : 'r2');
  if (!isScoreName(metric) || isClassificationScore(metric) !== classification) {
    throw new OnnxLensError(path.basename(table.file), `cannot be scored by '${metric}' for ${classification ? 'classification' : 'regression'}: use ${(classification ? CLASSIFICATION_SCORES : REGRESSION_SCORES).join(', ')}.`);
  }
  const data = table.inputs.get(sample.input.name)!.data;
  const groups = names.map((name, j) => ({ name, columns: [j] }));
  const r = await permutationImportance(box, data, n, table.labels, scorer(metric), groups, { repeats: req.repeats, seed }, control);
  return {
    prediction: null, importances: r.importances.map(({ feature, mean, std }) => ({ feature, mean, std })), metric, baseline: r.baseline,
    samples: r.repeats, evaluations: r.evaluations, notes: [`${r.repeats} shuffles of each of ${names.length} features over ${n} rows of ${path.basename(table.file)}.`],
  };
}
