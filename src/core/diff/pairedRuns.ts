/**
 * Two models run on the same samples, value pairs compared batch by batch: the machinery behind
 * both the behaviour diff (core/diff/behaviour.ts: any two models, values paired by the node
 * matching, so names may differ) and the quantization report's before/after
 * (core/quantize/compare.ts: the same names on both sides). Per value pair: SQNR, cosine, max
 * abs error (ErrorStats); per output pair: top-1 agreement for class scores or labels, errors
 * otherwise; top-1 accuracy of both on labelled samples.
 */
import type { NdArray } from '../data/ndarray';
import { floatData, type ModelRunner } from '../quantize/runner';
import type { SampleSet } from '../quantize/samples';
import { CancelledError } from '../../shared/cancellation';
import { ErrorStats } from './errorStats';

export interface NamePair {
  a: string;
  b: string;
}

export interface PairedOutput extends NamePair {
  kind: 'top1' | 'values';
  /** Float scores (true) or integer labels (false). */
  scores: boolean;
  same: number;
  rows: number;
  stats: ErrorStats;
}

export interface PairedRuns {
  samples: number;
  /** Per entry of `values`, null when the pair could not be compared (missing, not float, other size). */
  values: (ErrorStats | null)[];
  outputs: PairedOutput[];
  /** Top-1 accuracy of both models when the samples are labelled (first classifier-like output). */
  accuracy: { before: number; after: number } | null;
}

export interface PairedRunOptions {
  signal?: AbortSignal;
  onBatch?: (done: number, total: number) => void;
}

/** Arg-max over the last axis for each row of the first `rows` rows. */
export function rowArgmax(data: ArrayLike<number>, classes: number, rows: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    const base = r * classes;
    for (let c = 1; c < classes; c++) if (data[base + c] > data[base + best]) best = c;
    out[r] = best;
  }
  return out;
}

function isScores(x: NdArray): boolean {
  return floatData(x) !== null && x.shape.length >= 2 && x.shape[x.shape.length - 1] > 1;
}

function isLabels(x: NdArray): boolean {
  return x.dtype === 'int64' || x.dtype === 'int32';
}

/** Rows belonging to the first `count` samples of a batch (a [N, T, C] output has T rows per sample). */
function realRows(x: NdArray, count: number): number {
  const rowsPerSample = x.shape.length >= 2 ? x.shape.slice(1, -1).reduce((p, q) => p * q, 1) : 1;
  const batch = x.shape[0] ?? 1;
  return Math.min(count, batch) * rowsPerSample;
}

export async function runPaired(
  runner: ModelRunner, fileA: string, fileB: string, samples: SampleSet, values: readonly NamePair[],
  /** Graph output pairs, or every output of a that b has under the same name. */
  outputs: readonly NamePair[] | 'same-names', o: PairedRunOptions = {},
): Promise<PairedRuns> {
  const [a, b] = [await runner.open(fileA, [...new Set(values.map((v) => v.a))]), await runner.open(fileB, [...new Set(values.map((v) => v.b))])];
  const pairs = outputs === 'same-names' ? a.graphOutputs.map((n) => ({ a: n, b: n })) : outputs;
  const perValue: (ErrorStats | null)[] = values.map(() => null);
  const perOutput = new Map<number, PairedOutput>();
  const graphOutputs = pairs.filter((p) => a.graphOutputs.includes(p.a) && b.graphOutputs.includes(p.b));
  let correctA = 0;
  let correctB = 0;
  let labelled = 0;
  let accuracyOutput: number | null = null;
  try {
    for (const [i, batch] of samples.batches.entries()) {
      if (o.signal?.aborted) throw o.signal.reason ?? new CancelledError();
      const [ra, rb] = [await a.run(batch.feeds), await b.run(batch.feeds)];
      values.forEach((p, k) => {
        const [x, y] = [ra.get(p.a), rb.get(p.b)];
        const [fx, fy] = [x && floatData(x), y && floatData(y)];
        if (!fx || !fy || fx.length !== fy.length) return;
        (perValue[k] ??= new ErrorStats()).add(fx, fy);
      });
      graphOutputs.forEach((p, k) => {
        const [x, y] = [ra.get(p.a), rb.get(p.b)];
        if (!x || !y || x.data.length !== y.data.length) return;
        const kind = isScores(x) || isLabels(x) ? 'top1' : 'values';
        let out = perOutput.get(k);
        if (!out) perOutput.set(k, (out = { ...p, kind, scores: floatData(x) !== null, same: 0, rows: 0, stats: new ErrorStats() }));
        const [fx, fy] = [floatData(x), floatData(y)];
        if (fx && fy) out.stats.add(fx, fy);
        if (kind !== 'top1') return;
        const rows = realRows(x, batch.count);
        let pa: ArrayLike<number | bigint>;
        let pb: ArrayLike<number | bigint>;
        if (isLabels(x)) {
          pa = x.data as ArrayLike<number | bigint>;
          pb = y.data as ArrayLike<number | bigint>;
        } else {
          const classes = x.shape[x.shape.length - 1];
          pa = rowArgmax(fx!, classes, rows);
          pb = rowArgmax(fy!, classes, rows);
        }
        for (let r = 0; r < rows; r++) if (pa[r] === pb[r]) out.same++;
        out.rows += rows;
        // Accuracy on labels: the first output with one prediction per sample.
        if (batch.labels && rows === batch.count && (accuracyOutput === null || accuracyOutput === k)) {
          accuracyOutput = k;
          for (let r = 0; r < rows; r++) {
            const label = batch.labels[r];
            if (Number(pa[r]) === label) correctA++;
            if (Number(pb[r]) === label) correctB++;
          }
          labelled += rows;
        }
      });
      o.onBatch?.(i + 1, samples.batches.length);
    }
  } finally {
    await a.close();
    await b.close();
  }
  return {
    samples: samples.samples,
    values: perValue,
    outputs: [...perOutput.keys()].sort((p, q) => p - q).map((k) => perOutput.get(k)!),
    accuracy: labelled ? { before: correctA / labelled, after: correctB / labelled } : null,
  };
}
