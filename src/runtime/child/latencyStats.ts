/** Latency statistics of a benchmark: percentiles by linear interpolation (numpy's default), all in ms. */
import type { LatencyStats } from '../../shared/runtimeTypes';

/** The q-th quantile (0..1) of ascending-sorted values, interpolating between neighbours like numpy.percentile. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = q * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function latencyStats(samplesMs: readonly number[], batch = 1): LatencyStats {
  const sorted = Float64Array.from(samplesMs).sort();
  const n = sorted.length;
  let sum = 0;
  for (const x of sorted) sum += x;
  const mean = n ? sum / n : NaN;
  let squares = 0;
  for (const x of sorted) squares += (x - mean) * (x - mean);
  return {
    runs: n,
    mean,
    std: n ? Math.sqrt(squares / n) : NaN,
    min: n ? sorted[0] : NaN,
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: n ? sorted[n - 1] : NaN,
    throughput: n && mean > 0 ? (1000 * batch) / mean : 0,
  };
}
