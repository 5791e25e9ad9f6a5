/**
 * The float model and its quantized copy on the same inputs: how often the outputs agree (top-1
 * for class scores, absolute errors otherwise) and, per rewritten node, how far its output moved —
 * SQNR in dB (10·log10 Σx² / Σ(x−y)²) and cosine similarity, accumulated over every batch.
 * Rewritten nodes keep their output names, so the same value is read from both models.
 */
import type { NdArray } from '../data/ndarray';
import { floatData, type ModelRunner } from './runner';
import type { SampleSet } from './samples';
import type { NodeChange } from '../../shared/quantizeSettings';
import type { Comparison, NodeError, OutputAgreement } from '../../shared/quantReport';
import { CancelledError } from '../../shared/cancellation';

class Accumulator {
  signal = 0;
  noise = 0;
  dot = 0;
  other = 0;
  maxAbs = 0;
  absSum = 0;
  count = 0;
  add(a: ArrayLike<number>, b: ArrayLike<number>): void {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      const d = x - y;
      if (Number.isNaN(d)) continue;
      this.signal += x * x;
      this.noise += d * d;
      this.dot += x * y;
      this.other += y * y;
      const ad = Math.abs(d);
      if (ad > this.maxAbs) this.maxAbs = ad;
      this.absSum += ad;
      this.count++;
    }
  }
  get sqnr(): number {
    return this.noise === 0 ? Infinity : this.signal === 0 ? -Infinity : 10 * Math.log10(this.signal / this.noise);
  }
  get cosine(): number {
    if (this.signal === 0 && this.other === 0) return 1;
    if (this.signal === 0 || this.other === 0) return 0;
    return this.dot / Math.sqrt(this.signal * this.other);
  }
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

function isScores(a: NdArray): boolean {
  return floatData(a) !== null && a.shape.length >= 2 && a.shape[a.shape.length - 1] > 1;
}

function isLabels(a: NdArray): boolean {
  return a.dtype === 'int64' || a.dtype === 'int32';
}

/** Rows belonging to the first `count` samples of a batch (a [N, T, C] output has T rows per sample). */
function realRows(a: NdArray, count: number): number {
  const rowsPerSample = a.shape.length >= 2 ? a.shape.slice(1, -1).reduce((x, y) => x * y, 1) : 1;
  const batch = a.shape[0] ?? 1;
  return Math.min(count, batch) * rowsPerSample;
}

export interface CompareOptions {
  signal?: AbortSignal;
  onBatch?: (done: number, total: number) => void;
}

export async function compareModels(runner: ModelRunner, before: string, after: string, samples: SampleSet, changes: readonly NodeChange[], o: CompareOptions = {}): Promise<Comparison> {
  // Per-node values: the rewritten nodes' outputs (float ones; the check happens on the data).
  const values = [...new Set(changes.flatMap((c) => c.outputs))];
  const [a, b] = [await runner.open(before, values), await runner.open(after, values)];
  const perValue = new Map<string, Accumulator>();
  const perOutput = new Map<string, { acc: Accumulator; same: number; rows: number; kind: 'top1' | 'values'; scores: boolean }>();
  const graphOutputs = a.graphOutputs.filter((n) => b.graphOutputs.includes(n));
  let correctA = 0;
  let correctB = 0;
  let labelled = 0;
  let accuracyOutput: string | null = null;
  try {
    for (const [i, batch] of samples.batches.entries()) {
      if (o.signal?.aborted) throw o.signal.reason ?? new CancelledError();
      const [ra, rb] = [await a.run(batch.feeds), await b.run(batch.feeds)];
      for (const name of values) {
        const [x, y] = [ra.get(name), rb.get(name)];
        if (!x || !y) continue;
        const [fx, fy] = [floatData(x), floatData(y)];
        if (!fx || !fy || fx.length !== fy.length) continue;
        let acc = perValue.get(name);
        if (!acc) perValue.set(name, (acc = new Accumulator()));
        acc.add(fx, fy);
      }
      for (const name of graphOutputs) {
        const [x, y] = [ra.get(name), rb.get(name)];
        if (!x || !y || x.data.length !== y.data.length) continue;
        const kind = isScores(x) || isLabels(x) ? 'top1' : 'values';
        let out = perOutput.get(name);
        if (!out) perOutput.set(name, (out = { acc: new Accumulator(), same: 0, rows: 0, kind, scores: floatData(x) !== null }));
        const [fx, fy] = [floatData(x), floatData(y)];
        if (fx && fy) out.acc.add(fx, fy);
        if (kind === 'top1') {
          const rows = realRows(x, batch.count);
          let pa: ArrayLike<number | bigint>;
          let pb: ArrayLike<number | bigint>;
          if (isLabels(x)) {
            pa = (x.data as ArrayLike<number | bigint>);
            pb = (y.data as ArrayLike<number | bigint>);
          } else {
            const classes = x.shape[x.shape.length - 1];
            pa = rowArgmax(fx!, classes, rows);
            pb = rowArgmax(fy!, classes, rows);
          }
          for (let r = 0; r < rows; r++) if (pa[r] === pb[r]) out.same++;
          out.rows += rows;
          // Accuracy on labels: the first output with one prediction per sample.
          if (batch.labels && rows === batch.count && (accuracyOutput === null || accuracyOutput === name)) {
            accuracyOutput = name;
            for (let r = 0; r < rows; r++) {
              const label = batch.labels[r];
              if (Number(pa[r]) === label) correctA++;
              if (Number(pb[r]) === label) correctB++;
            }
            labelled += rows;
          }
        }
      }
      o.onBatch?.(i + 1, samples.batches.length);
    }
  } finally {
    await a.close();
    await b.close();
  }
  const outputs: OutputAgreement[] = [...perOutput].map(([output, r]) => ({
    output, kind: r.kind, scores: r.scores, top1: r.kind === 'top1' && r.rows ? r.same / r.rows : null, rows: r.rows,
    maxAbsError: r.acc.maxAbs, meanAbsError: r.acc.count ? r.acc.absSum / r.acc.count : 0,
    relativeError: r.acc.signal ? Math.sqrt(r.acc.noise / r.acc.signal) : r.acc.noise ? Infinity : 0,
  }));
  const byValue = new Map(changes.flatMap((c) => c.outputs.map((v) => [v, c] as const)));
  const nodes: NodeError[] = [...perValue].map(([value, acc]) => {
    const c = byValue.get(value)!;
    return { node: c.node, opType: c.opType, precision: c.precision, value, sqnrDb: acc.sqnr, cosine: acc.cosine, maxAbsError: acc.maxAbs };
  }).sort((x, y) => x.sqnrDb - y.sqnrDb);
  return {
    samples: samples.samples,
    outputs,
    headline: outputs.find((x) => x.kind === 'top1' && x.scores) ?? outputs.find((x) => x.kind === 'top1') ?? outputs[0] ?? null,
    nodes,
    accuracy: labelled ? { before: correctA / labelled, after: correctB / labelled } : null,
  };
}

/** Relative RMS error over every float output of two runs' results (for the sensitivity scan). */
export function outputError(a: Map<string, NdArray>, b: Map<string, NdArray>): { noise: number; signal: number } {
  let noise = 0;
  let signal = 0;
  for (const [name, x] of a) {
    const y = b.get(name);
    const [fx, fy] = [floatData(x), y ? floatData(y) : null];
    if (!fx || !fy || fx.length !== fy.length) continue;
    for (let i = 0; i < fx.length; i++) {
      const d = fx[i] - fy[i];
      if (Number.isNaN(d)) continue;
      noise += d * d;
      signal += fx[i] * fx[i];
    }
  }
  return { noise, signal };
}
