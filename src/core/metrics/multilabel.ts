/**
 * Multilabel classification: each sample has any number of the k labels, the model gives one
 * independent probability (a sigmoid) per label, and a label is predicted when its probability is
 * above a threshold. Metrics follow scikit-learn 1.2 on indicator matrices.
 */
import { classCurves, column, DEFAULT_MAX_CURVE_POINTS, rankClass } from './curves';
import { checkCount, MetricsInputError } from './errors';
import { divideOrZero, f1Of } from './classification';
import { finiteOrNull } from './numeric';
import { averageAp, averageRocAuc, supportWeightedMean } from './ovr';
import { sigmoidProbabilities } from './probabilities';
import type { Averages, MultilabelMetrics, MultilabelOptions, MultilabelRow, PrCurve, RocCurve, UndefinedMetric } from '../../shared/metricTypes';

/**
 * @param yTrue  n × k indicator matrix (row-major, 0 or 1)
 * @param scores n × k probabilities or logits, one per label
 */
export function evaluateMultilabel(yTrue: Uint8Array, scores: Float64Array, k: number, options: MultilabelOptions = {}): MultilabelMetrics {
  if (!Number.isInteger(k) || k < 1) throw new MetricsInputError(`the number of labels must be a positive integer, got ${k}`);
  if (yTrue.length !== scores.length || yTrue.length % k !== 0) {
    throw new MetricsInputError(`y_true has ${yTrue.length} entries and scores ${scores.length}; both must be n × ${k}`);
  }
  const n = yTrue.length / k;
  if (n === 0) throw new MetricsInputError('there are no samples to evaluate');
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] > 1) throw new MetricsInputError(`y_true entry ${i} is ${yTrue[i]}; a label indicator must be 0 or 1`);
  }
  checkCount('maxCurvePoints', options.maxCurvePoints, 2, true);
  const { values: P, source } = sigmoidProbabilities(scores);
  const threshold = options.threshold ?? 0.5;

  const tp = new Float64Array(k);
  const support = new Float64Array(k);
  const predicted = new Float64Array(k);
  let exact = 0;
  let mismatches = 0;
  const sampleScores = { precision: 0, recall: 0, f1: 0 };
  for (let i = 0; i < n; i++) {
    let rowTp = 0;
    let rowTrue = 0;
    let rowPred = 0;
    let rowMismatch = 0;
    for (let c = 0; c < k; c++) {
      const t = yTrue[i * k + c];
      const p = P[i * k + c] > threshold ? 1 : 0;
      rowTp += t & p;
      rowTrue += t;
      rowPred += p;
      rowMismatch += t ^ p;
      tp[c] += t & p;
      support[c] += t;
      predicted[c] += p;
    }
    if (rowMismatch === 0) exact++;
    mismatches += rowMismatch;
    // average='samples': precision/recall/F1 of each sample's label set, then their mean.
    const sp = divideOrZero(rowTp, rowPred);
    const sr = divideOrZero(rowTp, rowTrue);
    sampleScores.precision += sp;
    sampleScores.recall += sr;
    sampleScores.f1 += f1Of(sp, sr);
  }

  const precision = tp.map((x, c) => divideOrZero(x, predicted[c]));
  const recall = tp.map((x, c) => divideOrZero(x, support[c]));
  const f1 = precision.map((p, c) => f1Of(p, recall[c]));
  const totalTp = tp.reduce((a, b) => a + b, 0);
  const totalSupport = support.reduce((a, b) => a + b, 0);
  const totalPredicted = predicted.reduce((a, b) => a + b, 0);
  const microP = divideOrZero(totalTp, totalPredicted);
  const microR = divideOrZero(totalTp, totalSupport);
  // Multilabel averages run over every label (scikit-learn's labels are the indicator columns).
  const averaged = (scores: Float64Array, micro: number, samples: number): Averages & { samples: number } => ({
    macro: scores.reduce((a, b) => a + b, 0) / k,
    micro,
    weighted: supportWeightedMean(scores, support),
    samples: samples / n,
  });

  const maxPoints = options.maxCurvePoints ?? DEFAULT_MAX_CURVE_POINTS;
  const roc: RocCurve[] = [];
  const pr: PrCurve[] = [];
  const auc = new Float64Array(k);
  const ap = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const curves = classCurves(rankClass(column(P, k, c), labelColumn(yTrue, k, c)), c, maxPoints, 'label');
    roc.push(curves.roc);
    pr.push(curves.pr);
    auc[c] = curves.auc;
    ap[c] = curves.averagePrecision;
  }
  // average='micro': all n·k (label, probability) entries ranked as one binary problem.
  const micro = classCurves(rankClass(P, yTrue), -1, 2);
  const undefinedMetrics: UndefinedMetric[] = [];
  const warnings: string[] = [];
  const microAuc = finiteOrNull(micro.auc);
  if (microAuc === null) undefinedMetrics.push({ metric: 'rocAuc.micro', reason: 'every label entry is 0, or every one is 1, so the micro-averaged ROC AUC is undefined (scikit-learn raises)' });

  const perLabel: MultilabelRow[] = Array.from({ length: k }, (_, c) => ({
    label: c,
    precision: precision[c],
    recall: recall[c],
    f1: f1[c],
    support: support[c],
    predicted: predicted[c],
    rocAuc: finiteOrNull(auc[c]),
    averagePrecision: ap[c],
  }));
  return {
    n,
    numLabels: k,
    probabilitySource: source,
    subsetAccuracy: exact / n,
    hammingLoss: mismatches / (n * k),
    precision: averaged(precision, microP, sampleScores.precision),
    recall: averaged(recall, microR, sampleScores.recall),
    f1: averaged(f1, f1Of(microP, microR), sampleScores.f1),
    perLabel,
    rocAuc: { ...averageRocAuc(auc, support, roc, undefinedMetrics), micro: microAuc },
    averagePrecision: { ...averageAp(ap, support, 'label', warnings), micro: micro.averagePrecision },
    curves: { roc, pr },
    undefinedMetrics,
    warnings,
  };
}

function labelColumn(yTrue: Uint8Array, k: number, c: number): Uint8Array {
  const n = yTrue.length / k;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = yTrue[i * k + c];
  return out;
}
