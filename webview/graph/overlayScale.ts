/** Where an overlay value sits on its colour scale (log or linear). Pure: unit tested, no DOM. */

/** The value range a channel's colours span: finite values (positive ones on a log scale). */
export function channelRange(channel: { values: Float64Array; scale: 'log' | 'linear' }): { lo: number; hi: number; count: number } | null {
  let lo = Infinity, hi = -Infinity, count = 0;
  for (const v of channel.values) {
    if (!Number.isFinite(v) || (channel.scale === 'log' && v <= 0)) continue;
    count++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return count ? { lo, hi, count } : null;
}

/** Position of v on the channel's scale in [0, 1], or null when v has no place on it. */
export function scalePosition(v: number, range: { lo: number; hi: number }, scale: 'log' | 'linear'): number | null {
  if (!Number.isFinite(v)) return null;
  if (scale === 'log') {
    if (v <= 0) return null;
    const span = Math.log(range.hi) - Math.log(range.lo);
    return span > 1e-12 ? Math.min(1, Math.max(0, (Math.log(v) - Math.log(range.lo)) / span)) : 1;
  }
  const span = range.hi - range.lo;
  return span > 0 ? Math.min(1, Math.max(0, (v - range.lo) / span)) : 1;
}
