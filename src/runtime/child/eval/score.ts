/**
 * A pass's collected labels and model outputs → metrics, after the checks only the whole pass can
 * make: labels inside the classes the output implies (one sentence naming file, row and column),
 * finite model outputs (naming the sample), predicted classes from a label-only output turned
 * into one-hot scores (with a warning saying what that costs).
 */
import * as path from 'node:path';
import { DatasetError } from '../../../core/data/errors';
import { OnnxLensError } from '../../../core/errors';
import { evaluateClassification, evaluateRegression, PROBABILITY_SUM_TOLERANCE, toProbabilities } from '../../../core/metrics';
import type { ClassificationMetrics, ProbabilitySource, RegressionMetrics } from '../../../core/metrics';
import { argmaxRows } from '../../../core/metrics/probabilities';
import type { OutputChoice } from './outputs';
import type { TaskOption } from '../../../shared/evalReport';
import type { PassResult } from './pass';
import type { ClassificationSamples } from './reportParts';

export interface ScoreContext {
  model: string;
  choice: OutputChoice;
  positiveClass?: number;
  bootstrap?: { resamples: number; seed: number };
  /** Classes the model's signature or labels imply, when known before reading. */
  numClasses?: number;
  taskOption: TaskOption;
}

export interface ScoredClassification {
  metrics: ClassificationMetrics;
  samples: ClassificationSamples;
  yTrue: Int32Array;
  /** What the metrics were given: n × scoreColumns. */
  scores: Float64Array;
  scoreColumns: number;
  probabilitySource: ProbabilitySource | 'one-hot';
  oneHot: boolean;
}

export interface ScoredRegression {
  metrics: RegressionMetrics;
  yPred: Float64Array;
}

/** Where sample `i` sits, for a DatasetError: its line, its image, or its 1-based number in an array file. */
function sampleError(pass: PassResult, i: number, reason: string): DatasetError {
  const source = pass.sources.at(i);
  const { file, format, labelColumn } = pass.meta;
  if (typeof source === 'string') return new DatasetError(source, reason);
  const row = format === 'csv' || format === 'tsv' || format === 'jsonl' ? source : i + 1;
  return new DatasetError(file, reason, { row, column: labelColumn ?? undefined });
}

function describeSample(pass: PassResult, i: number): string {
  const source = pass.sources.at(i);
  const file = path.basename(pass.meta.file);
  if (typeof source === 'string') return path.basename(source);
  return pass.meta.format === 'csv' || pass.meta.format === 'tsv' || pass.meta.format === 'jsonl' ? `row ${source} of ${file}` : `sample ${i + 1} of ${file}`;
}

function checkFinite(pass: PassResult, values: Float64Array, columns: number, ctx: ScoreContext): void {
  for (let j = 0; j < values.length; j++) {
    if (Number.isFinite(values[j])) continue;
    const i = Math.floor(j / columns);
    throw new OnnxLensError(path.basename(ctx.model), `gave ${values[j]} in output '${ctx.choice.output.name}' for ${describeSample(pass, i)}; the metrics need finite numbers.`);
  }
}

function classLabels(pass: PassResult): Int32Array {
  if (pass.labels instanceof Int32Array) return pass.labels;
  const out = new Int32Array(pass.n);
  for (let i = 0; i < pass.n; i++) {
    const v = pass.labels[i];
    if (!Number.isInteger(v) || v < 0) throw sampleError(pass, i, `${v} is not a class index (a whole number ≥ 0)`);
    out[i] = v;
  }
  return out;
}

export function scoreClassification(pass: PassResult, m: number, ctx: ScoreContext, warnings: string[]): ScoredClassification {
  const n = pass.n;
  const yTrue = classLabels(pass);
  const out = pass.outputs[m];
  let scores: Float64Array;
  let scoreColumns: number;
  let k: number;
  const oneHot = ctx.choice.role === 'labels';
  if (oneHot) {
    if (out.columns !== 1) throw new OnnxLensError(path.basename(ctx.model), `output '${ctx.choice.output.name}' gives ${out.columns} classes per sample; one predicted class was expected.`);
    let maxClass = 1;
    for (let i = 0; i < n; i++) {
      const c = out.values[i];
      if (!Number.isInteger(c) || c < 0) throw new OnnxLensError(path.basename(ctx.model), `predicted ${c} for ${describeSample(pass, i)}, which is not a class index.`);
      maxClass = Math.max(maxClass, c, yTrue[i]);
    }
    k = Math.max(ctx.numClasses ?? 0, maxClass + 1);
    scores = new Float64Array(n * k);
    for (let i = 0; i < n; i++) scores[i * k + out.values[i]] = 1;
    scoreColumns = k;
    warnings.push(
      `Output '${ctx.choice.output.name}' holds predicted classes only, no scores: accuracy, precision, recall, F1 and the confusion matrix are exact, ` +
      'but ROC AUC, average precision, log loss, Brier score and calibration are computed on one-hot scores (0 or 1) and say little.',
    );
  } else {
    scores = out.values;
    scoreColumns = out.columns;
    k = scoreColumns === 1 ? 2 : scoreColumns;
    checkFinite(pass, scores, scoreColumns, ctx);
  }
  for (let i = 0; i < n; i++) {
    if (yTrue[i] >= k) throw sampleError(pass, i, `${yTrue[i]} is not a class index from 0 to ${k - 1} (output '${ctx.choice.output.name}' has ${k} classes)`);
  }
  if (ctx.positiveClass !== undefined && k === 2 && ctx.positiveClass > 1) {
    throw new OnnxLensError(path.basename(ctx.model), `has two classes (0 and 1); the positive class cannot be ${ctx.positiveClass}.`);
  }
  if (ctx.positiveClass !== undefined && k > 2) warnings.push(`The positive class (${ctx.positiveClass}) applies to binary tasks only; this one has ${k} classes.`);
  const metrics = evaluateClassification(yTrue, scores, scoreColumns, {
    ...(ctx.positiveClass !== undefined && k === 2 ? { positiveClass: ctx.positiveClass } : {}),
    ...(ctx.bootstrap ? { bootstrap: ctx.bootstrap } : {}),
  });
  const probs = toProbabilities(scores, n, scoreColumns);
  if (probs.renormalizedRows > 0) {
    const rows = probs.renormalizedRows;
    warnings.push(`${rows} probability row${rows === 1 ? '' : 's'} summed to 1 only within ${PROBABILITY_SUM_TOLERANCE} and ${rows === 1 ? 'was' : 'were'} divided by the sum.`);
  }
  const yPred = argmaxRows(probs.values, n, probs.numClasses);
  return {
    metrics, yTrue, scores, scoreColumns, oneHot,
    samples: { yTrue, yPred, probabilities: probs.values, k: probs.numClasses },
    probabilitySource: oneHot ? 'one-hot' : probs.source,
  };
}

export function scoreRegression(pass: PassResult, m: number, ctx: ScoreContext, warnings: string[]): ScoredRegression {
  const out = pass.outputs[m];
  if (out.columns !== 1) throw new OnnxLensError(path.basename(ctx.model), `output '${ctx.choice.output.name}' gives ${out.columns} values per sample; a regression is evaluated on one.`);
  checkFinite(pass, out.values, 1, ctx);
  const yTrue = pass.labels instanceof Float64Array ? pass.labels : Float64Array.from(pass.labels);
  if (ctx.taskOption === 'auto' && yTrue.every((v) => v === 0 || v === 1)) {
    warnings.push(
      `Every label is 0 or 1 and output '${ctx.choice.output.name}' has one value per sample, so this was evaluated as a regression; ` +
      'if the model is a binary classifier (probability or logit of class 1), evaluate it as a classification (--task classification).',
    );
  }
  const metrics = evaluateRegression(yTrue, out.values, ctx.bootstrap ? { bootstrap: ctx.bootstrap } : {});
  return { metrics, yPred: out.values };
}
