/**
 * The first pass of a robustness sweep: per float input, the dataset's value range (the scale of
 * noise, brightness and the attack's ε, and the range images are clipped to) and each position's
 * mean and standard deviation (per-feature noise, dropout to the mean). Reads the data as an
 * evaluation does (eval/batchSource.ts), without running the model.
 */
import type { DatasetMapping, InputBinding } from '../../../core/data/mapping';
import { sampleLayout, type SampleLayout } from '../../../core/robustness/layout';
import type { InputStats } from '../../../core/robustness/perturbations';
import { CancelledError } from '../../../shared/cancellation';
import { openBatches } from '../eval/batchSource';
import type { DatasetWorkerInit, FeedArray } from '../eval/workerMessages';

export const FLOAT_DTYPES = new Set(['float32', 'float64', 'float16']);

export interface InputInfo {
  binding: InputBinding;
  layout: SampleLayout;
  /** Values per sample. */
  size: number;
  stats: InputStats;
}

/** Samples in a feed: its leading dim when the input is batched, else one. */
export function samplesIn(a: FeedArray, binding: InputBinding): number {
  return binding.batchDim === null ? 1 : a.shape[0];
}

export async function inputStatistics(init: DatasetWorkerInit, maxSamples: number | undefined, signal: AbortSignal, onProgress: (samples: number) => void): Promise<{ mapping: DatasetMapping; inputs: Map<string, InputInfo> }> {
  const stream = await openBatches(init, signal);
  try {
    const meta = await stream.meta;
    const acc = new Map<string, { binding: InputBinding; sum: Float64Array; sq: Float64Array; lo: number; hi: number; count: number }>();
    for (const b of meta.mapping.inputs) {
      if (!FLOAT_DTYPES.has(b.elemType)) continue;
      const size = b.sampleDims.reduce((x, y) => x * y, 1);
      acc.set(b.input, { binding: b, sum: new Float64Array(size), sq: new Float64Array(size), lo: Infinity, hi: -Infinity, count: 0 });
    }
    let n = 0;
    for (;;) {
      const batch = await stream.next();
      if (signal.aborted) throw new CancelledError('The robustness sweep was cancelled.');
      if (!batch) break;
      for (const a of batch.inputs) {
        const s = acc.get(a.name);
        if (!s) continue;
        const size = s.sum.length;
        const take = Math.min(batch.count, samplesIn(a, s.binding), maxSamples === undefined ? Infinity : maxSamples - n);
        const data = a.data as Float32Array | Float64Array;
        for (let i = 0; i < take; i++) {
          for (let j = 0; j < size; j++) {
            const v = data[i * size + j];
            s.sum[j] += v;
            s.sq[j] += v * v;
            if (v < s.lo) s.lo = v;
            if (v > s.hi) s.hi = v;
          }
        }
        s.count += take;
      }
      n += batch.count;
      stream.recycle(batch);
      onProgress(n);
      if (maxSamples !== undefined && n >= maxSamples) break;
    }
    const inputs = new Map<string, InputInfo>();
    for (const [name, s] of acc) {
      const count = Math.max(1, s.count);
      const mean = s.sum.map((v) => v / count);
      const std = s.sq.map((v, j) => Math.sqrt(Math.max(0, v / count - mean[j] * mean[j])));
      inputs.set(name, {
        binding: s.binding, layout: sampleLayout(s.binding.sampleDims), size: s.sum.length,
        stats: { lo: Number.isFinite(s.lo) ? s.lo : 0, hi: Number.isFinite(s.hi) ? s.hi : 1, mean, std },
      });
    }
    return { mapping: meta.mapping, inputs };
  } finally {
    await stream.close();
  }
}
