/**
 * The float model and its quantized copy on the same inputs: how often the outputs agree (top-1
 * for class scores, absolute errors otherwise) and, per rewritten node, how far its output moved —
 * SQNR in dB (10·log10 Σx² / Σ(x−y)²) and cosine similarity, accumulated over every batch.
 * Rewritten nodes keep their output names, so the same value is read from both models: this is
 * the behaviour diff (core/diff/pairedRuns.ts) with every value paired with itself.
 */
import type { NdArray } from '../data/ndarray';
import { floatData, type ModelRunner } from './runner';
import type { SampleSet } from './samples';
import type { NodeChange } from '../../shared/quantizeSettings';
import type { Comparison, NodeError, OutputAgreement } from '../../shared/quantReport';
import { runPaired } from '../diff/pairedRuns';

export interface CompareOptions {
  signal?: AbortSignal;
  onBatch?: (done: number, total: number) => void;
}

/** The paired run of core/diff/pairedRuns.ts with every rewritten node's outputs paired with themselves. */
export async function compareModels(runner: ModelRunner, before: string, after: string, samples: SampleSet, changes: readonly NodeChange[], o: CompareOptions = {}): Promise<Comparison> {
  // Per-node values: the rewritten nodes' outputs (float ones; the check happens on the data).
  const values = [...new Set(changes.flatMap((c) => c.outputs))];
  const runs = await runPaired(runner, before, after, samples, values.map((v) => ({ a: v, b: v })), 'same-names', o);
  const outputs: OutputAgreement[] = runs.outputs.map((r) => ({
    output: r.a, kind: r.kind, scores: r.scores, top1: r.kind === 'top1' && r.rows ? r.same / r.rows : null, rows: r.rows,
    maxAbsError: r.stats.maxAbs, meanAbsError: r.stats.meanAbs, relativeError: r.stats.relativeL2,
  }));
  const byValue = new Map(changes.flatMap((c) => c.outputs.map((v) => [v, c] as const)));
  const nodes: NodeError[] = [];
  values.forEach((value, k) => {
    const acc = runs.values[k];
    if (!acc) return;
    const c = byValue.get(value)!;
    nodes.push({ node: c.node, opType: c.opType, precision: c.precision, value, sqnrDb: acc.sqnr, cosine: acc.cosine, maxAbsError: acc.maxAbs });
  });
  nodes.sort((x, y) => x.sqnrDb - y.sqnrDb);
  return {
    samples: samples.samples,
    outputs,
    headline: outputs.find((x) => x.kind === 'top1' && x.scores) ?? outputs.find((x) => x.kind === 'top1') ?? outputs[0] ?? null,
    nodes,
    accuracy: runs.accuracy,
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
