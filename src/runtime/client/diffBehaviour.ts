/**
 * The behaviour half of a model diff, for the CLI and the editor alike: both models on the same
 * samples in the runtime process (agreement, per-node error, first divergence), their metrics on
 * labelled data (the runtime's evaluate with b as the comparison model: paired bootstrap interval
 * of the difference, McNemar's test for classifiers), and the latency of both measured in the
 * same run (the quantization report's measurement, src/runtime/client/quantMeasure.ts).
 */
import type { BehaviourPlan } from '../../core/diff/behaviour';
import { mcnemarExact } from '../../core/metrics/mcnemar';
import type { BehaviourDiff, LatencyDiff, MetricsDiff } from '../../shared/diffReport';
import type { EvalReport } from '../../shared/evalReport';
import type { SessionOptionsSpec } from '../../shared/runtimeTypes';
import type { RuntimeRpc } from './runtimeClient';
import { measureLatency } from './quantMeasure';

export interface BehaviourOptions {
  options: SessionOptionsSpec;
  /** Labelled (or unlabelled) data; default seeded random inputs. */
  data?: string;
  labelColumn?: string | null;
  /** Random samples (or at most this many rows of data). */
  samples: number;
  toleranceDb?: number;
  /** Timed runs per model for the latency; 0 skips it. */
  benchRuns: number;
  bootstrap?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export async function measureBehaviour(rpc: RuntimeRpc, a: string, b: string, plan: BehaviourPlan, o: BehaviourOptions): Promise<BehaviourDiff> {
  const notes = [...plan.notes];
  o.onProgress?.('running both models');
  const runs = await rpc.request('diffBehaviour', {
    a, b, options: o.options, plan, samples: o.samples, ...(o.data ? { data: o.data, labelColumn: o.labelColumn ?? undefined } : {}),
    ...(o.toleranceDb !== undefined ? { toleranceDb: o.toleranceDb } : {}),
  }, { signal: o.signal, timeoutMs: 30 * 60_000, onProgress: o.onProgress && ((p) => o.onProgress!(p.message)) });
  let metrics: MetricsDiff | null = null;
  if (o.data) {
    o.onProgress?.('evaluating both models');
    try {
      const r = await rpc.request('evaluate', {
        model: a, options: o.options, data: o.data, labelColumn: o.labelColumn ?? undefined, keepSamples: 0,
        compareModel: { model: b }, bootstrap: { resamples: o.bootstrap ?? 1000, seed: 0 },
      }, { signal: o.signal, timeoutMs: 30 * 60_000 });
      metrics = metricsOf(r);
    } catch (err) {
      notes.push(`metrics were not computed: ${(err as Error).message}`);
    }
  }
  let latency: LatencyDiff | null = null;
  if (o.benchRuns > 0) {
    o.onProgress?.('timing both models');
    const l = await measureLatency(rpc, a, b, o.benchRuns, o.options, o.signal);
    if (l) latency = { a: pick(l.before), b: pick(l.after), ratio: l.ratio };
  }
  return {
    source: runs.source, samples: runs.samples, outputs: runs.outputs, firstDivergence: runs.firstDivergence, nodeErrors: runs.nodeErrors,
    tolerance: { sqnrDb: o.toleranceDb ?? 40 }, metrics, latency, notes,
  };
}

const pick = (l: { mean: number; p50: number; p90: number; runs: number }) => ({ mean: l.mean, p50: l.p50, p90: l.p90, runs: l.runs });

function metricsOf(r: EvalReport): MetricsDiff | null {
  const c = r.comparison;
  if (c?.classification) {
    const d = c.classification.deltas.find((x) => x.metric === 'accuracy');
    const dis = c.classification.disagreement;
    return {
      data: r.data.path, samples: r.data.samples, metric: 'accuracy', a: c.classification.a.accuracy, b: c.classification.b.accuracy,
      delta: c.classification.b.accuracy - c.classification.a.accuracy, ci95: d?.interval ? { low: d.interval.low, high: d.interval.high } : null,
      mcnemar: { onlyA: dis.onlyACorrect, onlyB: dis.onlyBCorrect, pValue: mcnemarExact(dis.onlyACorrect, dis.onlyBCorrect) },
    };
  }
  if (c?.regression) {
    const d = c.regression.deltas.find((x) => x.metric === 'r2');
    const [ra, rb] = [c.regression.a.r2, c.regression.b.r2];
    if (ra === null || rb === null) return null;
    return {
      data: r.data.path, samples: r.data.samples, metric: 'r2', a: ra, b: rb, delta: rb - ra,
      ci95: d?.interval ? { low: d.interval.low, high: d.interval.high } : null, mcnemar: null,
    };
  }
  return null;
}
