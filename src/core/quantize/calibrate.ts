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
      // uint8 activations: a tensor that is (nearly) never negative gets all 256 levels on its positive
      // side; a signed one about half on each side.
      const levels = s.min >= -0.01 * s.max ? 255 : ENTROPY_LEVELS;
      const t = o.method === 'percentile' ? percentileThreshold(s.hist, maxAbs, o.percentile ?? 99.999) : entropyThreshold(s.hist, maxAbs, levels);
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
 * TensorRT's entropy calibration on a histogram of |x| (as MXNet and TVM implement it): for each
 * candidate threshold (bin i from `levels` to the end), P = the first i bins with the clipped tail
 * added to the last; Q = the same i bins merged into `levels` groups, each group's count spread
 * evenly over the bins where P is non-zero; both smoothed so that no bin is empty; keep the i with
 * the smallest KL(P‖Q).
 */
export function entropyThreshold(hist: Float64Array, maxAbs: number, levels = ENTROPY_LEVELS): number {
  const bins = hist.length;
  if (maxAbs === 0 || hist.every((h) => h === 0)) return maxAbs;
  let best = bins;
  let bestKl = Infinity;
  const tail = new Float64Array(bins + 1);
  for (let i = bins - 1; i >= 0; i--) tail[i] = tail[i + 1] + hist[i];
  const p = new Float64Array(bins);
  const q = new Float64Array(bins);
  for (let i = levels; i <= bins; i++) {
    for (let k = 0; k < i; k++) p[k] = hist[k];
    p[i - 1] += tail[i];
    const merged = Math.floor(i / levels);
    q.fill(0, 0, i);
    for (let j = 0; j < levels; j++) {
      const start = j * merged;
      const end = j === levels - 1 ? i : start + merged;
      let sum = 0;
      let nonzero = 0;
      for (let k = start; k < end; k++) {
        sum += hist[k];
        if (p[k] !== 0) nonzero++;
      }
      if (nonzero === 0) continue;
      const avg = sum / nonzero;
      for (let k = start; k < end; k++) if (p[k] !== 0) q[k] = avg;
    }
    const kl = klDivergence(smooth(p.subarray(0, i)), smooth(q.subarray(0, i)));
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best / bins) * maxAbs;
}

/** Moves a little mass to empty bins so that KL stays finite (MXNet's _smooth_distribution). */
function smooth(d: Float64Array, eps = 1e-4): Float64Array {
  let zeros = 0;
  for (const v of d) if (v === 0) zeros++;
  const nonzeros = d.length - zeros;
  if (nonzeros === 0) return Float64Array.from(d);
  const take = (eps * zeros) / nonzeros;
  let total = 0;
  for (const v of d) total += v;
  const out = new Float64Array(d.length);
  for (let k = 0; k < d.length; k++) out[k] = d[k] === 0 ? eps : d[k] / total - take;
  return out;
}

function klDivergence(p: Float64Array, q: Float64Array): number {
  let ps = 0;
  let qs = 0;
  for (let i = 0; i < p.length; i++) {
    ps += p[i];
    qs += q[i];
  }
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / ps;
    const qi = q[i] / qs;
    if (pi > 0 && qi > 0) kl += pi * Math.log(pi / qi);
  }
  return kl;
}
