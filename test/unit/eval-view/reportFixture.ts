/**
 * EvalReports for the eval-view tests, built by code from the metrics core on seeded scores
 * (no model run): the shape the runtime's `evaluate` produces, with every sample kept.
 */
import { classificationHeadlines, evaluateClassification, toProbabilities } from '../../../src/core/metrics';
import type { HeadlineMetric } from '../../../src/core/metrics';
import { EVAL_REPORT_SCHEMA, type EvalDrilldown, type EvalReport, type HeadlineValue } from '../../../src/shared/evalReport';
import { DEFAULT_SESSION_OPTIONS } from '../../../src/shared/runtimeTypes';

/** Columnar drill-down rows from per-sample tuples (dataset index = position, CSV lines from 2). */
export function drilldown(rows: { yTrue: number; yPred: number; confidence: number; probabilities?: number[] }[], total = rows.length): EvalDrilldown {
  return {
    count: rows.length, total, samplesTruncated: rows.length < total,
    index: rows.map((_, i) => i), source: rows.map((_, i) => i + 2), sourceKind: 'line',
    yTrue: rows.map((r) => r.yTrue), yPred: rows.map((r) => r.yPred), confidence: rows.map((r) => r.confidence),
    probabilities: rows.every((r) => r.probabilities) ? rows.map((r) => r.probabilities!) : null, probabilitiesOmitted: false,
  };
}

/** A classification report of scores (n × k, row-major) against labels, as the runtime assembles it. */
export function classificationReport(yTrue: Int32Array, scores: Float64Array, k: number, classNames: string[] | null = null): EvalReport {
  const n = yTrue.length;
  const metrics = evaluateClassification(yTrue, scores, k);
  const probs = toProbabilities(scores, n, k);
  const K = probs.numClasses;
  const rows = Array.from({ length: n }, (_, i) => {
    const p = Array.from(probs.values.subarray(i * K, (i + 1) * K));
    const yPred = p.indexOf(Math.max(...p));
    return { yTrue: yTrue[i], yPred, confidence: p[yPred], probabilities: p };
  });
  const headline: Partial<Record<HeadlineMetric, HeadlineValue>> = {};
  for (const [name, value] of Object.entries(classificationHeadlines(metrics))) headline[name as HeadlineMetric] = { value: value ?? null };
  const positive = metrics.positiveClass ?? 1;
  return {
    schema: EVAL_REPORT_SCHEMA,
    createdAt: '2025-01-02T03:04:05.000Z',
    tool: { name: 'onnx-lens', version: '0.0.0-test', ortVersion: '1.0.0' },
    model: { path: '/models/model.onnx', bytes: 1234, mtimeMs: 0 },
    data: { path: '/data/test.csv', format: 'csv', samples: n, bytes: 999, labelColumn: 'label', labelKind: 'class', classNames, classNamesSource: classNames ? 'option' : null },
    mapping: { version: 1, labelColumn: 'label', inputs: [] },
    mappingSource: 'auto',
    output: { name: 'scores', elemType: 'float32', role: 'scores', columns: k, probabilitySource: probs.source, otherOutputs: [] },
    task: 'classification',
    sessionOptions: DEFAULT_SESSION_OPTIONS,
    timing: { totalMs: 1, inferenceMs: 1, dataWaitMs: 0, metricsMs: 0, sessionMs: 0, passMs: 1, samplesPerSecond: n * 1000, batchSize: 64, batches: 1 },
    classification: metrics,
    headline,
    drilldown: drilldown(rows),
    ...(K === 2 ? {
      binary: {
        positiveClass: positive,
        score: rows.map((r) => r.probabilities[positive]),
        truth: Array.from(yTrue, (y) => (y === positive ? 1 : 0)),
        truncated: false,
      },
    } : {}),
    warnings: metrics.warnings,
  };
}
