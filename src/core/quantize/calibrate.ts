/**
 * Calibration: the range of each activation to quantize, from the float model run on calibration
 * samples. Three methods, as onnxruntime's quantizer offers (docs/quantization.md):
 *  - minmax: the smallest and largest value seen;
 *  - percentile: the range holding `percentile`% of the magnitudes (outliers clipped), from a
 *    2048-bin histogram of |x|;
 *  - entropy: TensorRT's KL-divergence search (Migacz, "8-bit Inference with TensorRT", 2017) as
 *    onnxruntime's calibrate.py and MXNet lay it out — a histogram of the signed values over
 *    [-max|x|, max|x|], candidate ranges symmetric around the zero bin, the one whose quantized
 *    histogram is closest to the clipped one in KL divergence — then clipped to [min, max].
 * Percentile and entropy take a second pass for the histogram.
 */
import { floatData, type ModelRunner } from './runner';
import type { SampleSet } from './samples';
import type { CalibrationMethod } from '../../shared/quantizeSettings';
import type { TensorRange } from '../../shared/quantReport';
import { CancelledError } from '../../shared/cancellation';

export const HISTOGRAM_BINS = 2048;
/**
 * Signed histogram for entropy: an odd count, so that the zero bin is centred and every candidate
 * range is symmetric (MXNet uses 8001; onnxruntime's even default makes each candidate one bin
 * longer on the positive side).
 */
export const ENTROPY_BINS = 2049;
/** Quantized bins of the KL search (TensorRT's and onnxruntime's 128). */
export const ENTROPY_LEVELS = 128;

interface Stats {
  min: number;
  max: number;
  /** Percentile: |x| over [0, max|x|]; entropy: x over [-max|x|, max|x|]. */
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
        if (o.signal?.aborted) throw o.signal.reason ?? new CancelledError();
        const out = await session.run(batch.feeds);
        for (const v of values) {
          const t = out.get(v);
          const data = t ? floatData(t) : null;
          if (!data) continue;
          const s = stats.get(v)!;
          if (pass === 1) observeMinMax(s, data);
          else if (o.method === 'entropy') observeSigned(s, data);
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
    const maxAbs = Math.max(Math.abs(s.min), Math.abs(s.max));
    if (o.method === 'percentile' && s.hist) {
      const t = percentileThreshold(s.hist, maxAbs, o.percentile ?? 99.999);
      [lo, hi] = [Math.max(s.min, -t), Math.min(s.max, t)];
    } else if (o.method === 'entropy' && s.hist) {
      const best = entropyRange(s.hist, maxAbs);
      [lo, hi] = [Math.max(s.min, best.lo), Math.min(s.max, best.hi)];
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

function observeSigned(s: Stats, data: ArrayLike<number>): void {
  const maxAbs = Math.max(Math.abs(s.min), Math.abs(s.max));
  s.hist ??= new Float64Array(ENTROPY_BINS);
  if (maxAbs === 0) {
    s.hist[ENTROPY_BINS >> 1] += data.length;
    return;
  }
  const k = ENTROPY_BINS / (2 * maxAbs);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    s.hist[Math.max(0, Math.min(ENTROPY_BINS - 1, Math.floor((v + maxAbs) * k)))]++;
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

export interface EntropyCandidate {
  /** The candidate range: the outer edges of the bins it keeps. */
  lo: number;
  hi: number;
  /** KL(P‖Q) of the clipped histogram P and its quantized version Q. */
  kl: number;
}

/**
 * Every candidate range of the KL search over a signed histogram `hist` of [-t, t] (bins of width
 * 2t / n), as onnxruntime's get_entropy_threshold and MXNet's _get_optimal_threshold walk them:
 * for i = levels/2 … n/2, the 2i + 1 bins around the zero bin; P = those bins with the counts
 * outside added to the first and last; Q = the same bins merged into `levels` groups (the rest
 * into the last), each group's count spread evenly over its bins where P is not zero (zero where
 * P is); both smoothed on the counts (eps 1e-4 into empty bins, taken evenly from the others) and
 * normalised. (onnxruntime also spreads over P's empty bins and truncates Q to whole counts;
 * MXNet's and TensorRT's Q is kept here.)
 */
export function entropyCandidates(hist: ArrayLike<number>, t: number, levels = ENTROPY_LEVELS): EntropyCandidate[] {
  const n = hist.length;
  const width = (2 * t) / n;
  const zero = n >> 1;
  const out: EntropyCandidate[] = [];
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + hist[k];
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  for (let i = levels >> 1; i <= zero; i++) {
    const start = zero - i;
    const end = Math.min(zero + i + 1, n);
    const len = end - start;
    for (let k = 0; k < len; k++) p[k] = hist[start + k];
    p[0] += prefix[start];
    p[len - 1] += prefix[n] - prefix[end];
    const merged = Math.floor(len / levels);
    for (let j = 0; j < levels; j++) {
      const a = j * merged;
      const b = j === levels - 1 ? len : a + merged;
      const count = prefix[start + b] - prefix[start + a];
      let nonzero = 0;
      for (let k = a; k < b; k++) if (p[k] !== 0) nonzero++;
      for (let k = a; k < b; k++) q[k] = p[k] !== 0 ? count / nonzero : 0;
    }
    out.push({ lo: -t + start * width, hi: -t + end * width, kl: smoothedKl(p, q, len) });
  }
  return out;
}

/** The candidate with the smallest KL divergence (the first of equals); the full range when there is no data. */
export function entropyRange(hist: ArrayLike<number>, t: number, levels = ENTROPY_LEVELS): EntropyCandidate {
  const candidates = t > 0 ? entropyCandidates(hist, t, levels) : [];
  return candidates.reduce((best, c) => (c.kl < best.kl ? c : best), { lo: -t, hi: t, kl: Infinity });
}

/**
 * KL(P‖Q) over the first `len` counts of p and q, each smoothed as MXNet's _smooth_distribution
 * (eps = 1e-4 into each empty bin, as much taken evenly from the others) and normalised to sum 1
 * (scipy.stats.entropy); Infinity when either is all zeros.
 */
function smoothedKl(p: Float64Array, q: Float64Array, len: number, eps = 1e-4): number {
  const shape = (d: Float64Array) => {
    let zeros = 0;
    let sum = 0;
    for (let k = 0; k < len; k++) {
      if (d[k] === 0) zeros++;
      sum += d[k];
    }
    return zeros === len ? null : { take: (eps * zeros) / (len - zeros), total: sum + eps * zeros - ((eps * zeros) / (len - zeros)) * (len - zeros) };
  };
  const [sp, sq] = [shape(p), shape(q)];
  if (!sp || !sq) return Infinity;
  let kl = 0;
  for (let k = 0; k < len; k++) {
    const pk = (p[k] === 0 ? eps : p[k] - sp.take) / sp.total;
    const qk = (q[k] === 0 ? eps : q[k] - sq.take) / sq.total;
    kl += pk * Math.log(pk / qk);
  }
  return kl;
}
