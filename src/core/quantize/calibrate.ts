/**
 * Calibration: the range of each activation to quantize, from the float model run on calibration
 * samples. Three methods, as onnxruntime's quantizer offers:
 *  - minmax: the smallest and largest value seen;
 *  - percentile: the range holding `percentile`% of the magnitudes (outliers clipped);
 *  - entropy: the clipping threshold whose 128-level quantized histogram is closest to the real
 *    one in KL divergence (TensorRT's method; Migacz, "8-bit Inference with TensorRT", 2017).
 * Percentile and entropy take a second pass: a 2048-bin histogram of |x| up to the largest magnitude.
 */
import { floatData, type ModelRunner } from './runner';
import type { SampleSet } from './samples';
import type { CalibrationMethod } from './types';

export const HISTOGRAM_BINS = 2048;
const ENTROPY_LEVELS = 128;

export interface TensorRange {
  value: string;
  /** Observed extremes. */
  min: number;
  max: number;
  /** The range chosen by the method (always within [min, max] widened to 0). */
  lo: number;
  hi: number;
}

interface Stats {
  min: number;
  max: number;
  hist: Float64Array | null;
}

export interface CalibrateOptions {
  method: CalibrationMethod;
  percentile?: number;
  signal?: AbortSignal;
  onProgress?: (pass: number, done: number, total: number) => void;
}

export async function calibrate(runner: ModelRunner, model: string, values: readonly string[], samples: SampleSet, o: CalibrateOptions): Promise<Map<string, TensorRange>> {
  const stats = new Map<string, Stats>(values.map((v) => [v, { min: Infinity, max: -Infinity, hist: null }]));
  const session = await runner.open(model, values);
  try {
    const passes = o.method === 'minmax' ? 1 : 2;
    for (let pass = 1; pass <= passes; pass++) {
      for (const [i, batch] of samples.batches.entries()) {
        if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
        const out = await session.run(batch.feeds);
        for (const v of values) {
          const t = out.get(v);
          const data = t ? floatData(t) : null;
          if (!data) continue;
          const s = stats.get(v)!;
          if (pass === 1) observeMinMax(s, data);
          else observeHistogram(s, data);
        }
        o.onProgress?.(pass, i + 1, samples.batches.length);
      }
    }
  } finally {
    await session.close();
  }
  const ranges = new Map<string, TensorRange>();
  for (const [value, s] of stats) {
    if (s.min === Infinity) continue; // never produced (or not float)
    let [lo, hi] = [s.min, s.max];
    if (o.method !== 'minmax' && s.hist) {
      const maxAbs = Math.max(Math.abs(s.min), Math.abs(s.max));
      const t = o.method === 'percentile' ? percentileThreshold(s.hist, maxAbs, o.percentile ?? 99.999) : entropyThreshold(s.hist, maxAbs);
      [lo, hi] = [Math.max(s.min, -t), Math.min(s.max, t)];
    }
    ranges.set(value, { value, min: s.min, max: s.max, lo, hi });
  }
  return ranges;
}

function observeMinMax(s: Stats, data: ArrayLike<number>): void {
  let { min, max } = s;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  s.min = min;
  s.max = max;
}

function observeHistogram(s: Stats, data: ArrayLike<number>): void {
  const maxAbs = Math.max(Math.abs(s.min), Math.abs(s.max));
  s.hist ??= new Float64Array(HISTOGRAM_BINS);
  if (maxAbs === 0) {
    s.hist[0] += data.length;
    return;
  }
  const k = HISTOGRAM_BINS / maxAbs;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (Number.isNaN(a)) continue;
    s.hist[Math.min(HISTOGRAM_BINS - 1, Math.floor(a * k))]++;
  }
}

/** The magnitude below which `percentile`% of the values lie (upper edge of the bin reaching it). */
export function percentileThreshold(hist: Float64Array, maxAbs: number, percentile: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0 || maxAbs === 0) return maxAbs;
  const target = (percentile / 100) * total;
  let cum = 0;
  for (let i = 0; i < hist.length; i++) {
    cum += hist[i];
    if (cum >= target) return ((i + 1) / hist.length) * maxAbs;
  }
  return maxAbs;
}

/**
 * TensorRT's entropy calibration on a histogram of |x|: for each candidate threshold (bin i from
 * `levels` to the end), P = the first i bins with the clipped tail added to the last; Q = P
 * squeezed into `levels` equal groups and spread back over each group's non-empty bins; keep the i
 * with the smallest KL(P‖Q).
 */
export function entropyThreshold(hist: Float64Array, maxAbs: number, levels = ENTROPY_LEVELS): number {
  const bins = hist.length;
  if (maxAbs === 0 || hist.every((h) => h === 0)) return maxAbs;
  let best = bins;
  let bestKl = Infinity;
  const tail = new Float64Array(bins + 1);
  for (let i = bins - 1; i >= 0; i--) tail[i] = tail[i + 1] + hist[i];
  for (let i = levels; i <= bins; i++) {
    const p = Float64Array.from(hist.subarray(0, i));
    p[i - 1] += tail[i];
    const q = new Float64Array(i);
    const per = i / levels;
    for (let j = 0; j < levels; j++) {
      const start = Math.floor(j * per);
      const end = j === levels - 1 ? i : Math.floor((j + 1) * per);
      let sum = 0;
      let nonzero = 0;
      for (let k = start; k < end; k++) {
        sum += hist[k];
        if (hist[k] !== 0) nonzero++;
      }
      if (nonzero === 0) continue;
      const avg = sum / nonzero;
      for (let k = start; k < end; k++) if (hist[k] !== 0) q[k] = avg;
    }
    const kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best / bins) * maxAbs;
}

function klDivergence(p: Float64Array, q: Float64Array): number {
  let ps = 0;
  let qs = 0;
  for (let i = 0; i < p.length; i++) {
    ps += p[i];
    qs += q[i];
  }
  if (ps === 0 || qs === 0) return Infinity;
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    const pi = p[i] / ps;
    const qi = q[i] / qs;
    // A non-empty bin of P that Q leaves empty (the clipped tail in the last bin): a large, finite penalty.
    kl += qi === 0 ? pi * Math.log(pi / 1e-12) : pi * Math.log(pi / qi);
  }
  return kl;
}
