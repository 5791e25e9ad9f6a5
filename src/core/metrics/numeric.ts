/** Small numeric helpers shared by the metric modules. */

/**
 * Neumaier-compensated sum. scikit-learn sums with numpy's pairwise summation (error ~ log n · ε);
 * a plain running sum over 1M terms drifts ~n · ε, which the 1e-9 agreement with scikit-learn
 * would notice on long inputs, so means of per-sample terms go through this.
 */
export function accurateSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

export function accurateMean(values: ArrayLike<number>): number {
  return accurateSum(values) / values.length;
}

/** NaN (the internal marker of an undefined metric) → null, the JSON form. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * The q-th quantile (0..1) of sorted values, interpolated linearly between neighbours like
 * `numpy.percentile(method='linear')`, the method percentile bootstrap intervals usually use.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const diff = sorted[hi] - a;
  // numpy's _lerp: from the nearer end, so the result stays monotone in q.
  return t >= 0.5 ? sorted[hi] - diff * (1 - t) : a + diff * t;
}

/**
 * Evenly spaced positions 0..count-1 keeping at most `max` (always the first and the last), so
 * a long curve or scatter can be drawn without shipping every point.
 */
export function thinPositions(count: number, max: number): Int32Array {
  if (count <= max) {
    const all = new Int32Array(count);
    for (let i = 0; i < count; i++) all[i] = i;
    return all;
  }
  const out = new Int32Array(max);
  for (let j = 0; j < max; j++) out[j] = Math.round((j * (count - 1)) / (max - 1));
  return out;
}
