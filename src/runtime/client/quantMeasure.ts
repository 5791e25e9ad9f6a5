/**
 * The runtime half of a quantization report: latency of both models (the runtime's benchmark, same
 * settings, alternating rounds) and accuracy before/after on labelled data (the runtime's evaluate
 * with the quantized model as its comparison model). Shared by `onnx-lens quantize` and the
 * editor's Quantize command, so both report the same numbers.
 */
import { defaultInputSpecs } from '../../core/inputs/defaultInputs';
import type { EvaluateParams } from '../methods';
import { DEFAULT_BENCH_SETTINGS, benchmarkModel, type RuntimeRpc } from './runtimeClient';
import type { BenchPoint, SessionOptionsSpec } from '../../shared/runtimeTypes';
import type { LatencySummary, QuantReport } from '../../shared/quantReport';

function latencyOf(p: BenchPoint): LatencySummary {
  const l = p.latency;
  return { mean: l.mean, p50: l.p50, p90: l.p90, p99: l.p99, runs: l.runs };
}

/** Both models benchmarked in the same runtime process, alternating, so they see the same machine state. */
export async function measureLatency(
  rpc: RuntimeRpc, before: string, after: string, runs: number, options: SessionOptionsSpec, signal?: AbortSignal,
): Promise<QuantReport['latency']> {
  const sig = await rpc.request('signature', { model: before, options }, { signal });
  const inputs = defaultInputSpecs(sig.inputs);
  const settings = { ...DEFAULT_BENCH_SETTINGS, runs, budgetMs: 5000, warmupRuns: 10 };
  const points: { before: BenchPoint[]; after: BenchPoint[] } = { before: [], after: [] };
  for (let round = 0; round < 2; round++) {
    for (const [key, model] of [['before', before], ['after', after]] as const) {
      const report = await benchmarkModel(rpc, { model, options, inputs }, settings, undefined, signal);
      points[key].push(report.points[0]);
    }
  }
  // The faster of the two rounds of each: the machine's noise only ever adds time.
  const best = (ps: BenchPoint[]) => ps.reduce((a, b) => (b.latency.p50 < a.latency.p50 ? b : a));
  const [b, a] = [latencyOf(best(points.before)), latencyOf(best(points.after))];
  const batch = inputs[0]?.dims[0] ?? null;
  return { before: b, after: a, ratio: a.p50 / b.p50, batch: typeof batch === 'number' ? batch : null };
}

/** Top-1 accuracy of both models on the same labelled samples, with the paired bootstrap interval of the change. */
export async function measureAccuracy(
  rpc: RuntimeRpc, before: string, after: string, data: string, label: string | null | undefined, options: SessionOptionsSpec,
  extra: { signal?: AbortSignal; bootstrap?: number; onProgress?: (done: number, total: number, message: string) => void } = {},
): Promise<QuantReport['accuracy']> {
  const params: EvaluateParams = {
    model: before, options, data, labelColumn: label ?? undefined, task: 'classification', keepSamples: 0,
    compareModel: { model: after },
    ...(extra.bootstrap ? { bootstrap: { resamples: extra.bootstrap, seed: 0 } } : {}),
  };
  const r = await rpc.request('evaluate', params, { timeoutMs: 30 * 60_000, signal: extra.signal, onProgress: extra.onProgress && ((p) => extra.onProgress!(p.done, p.total, p.message)) });
  const cmp = r.comparison?.classification;
  if (!r.classification || !cmp) return null;
  const samples = r.data.samples;
  const delta = cmp.deltas.find((d) => d.metric === 'accuracy');
  return {
    data: r.data.path, samples, before: cmp.a.accuracy, after: cmp.b.accuracy, delta: cmp.b.accuracy - cmp.a.accuracy,
    agreement: samples ? 1 - cmp.disagreement.count / samples : null,
    ...(delta?.interval ? { deltaCi: { low: delta.interval.low, high: delta.interval.high, level: delta.interval.level } } : {}),
  };
}
