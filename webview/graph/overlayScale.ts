/** Where an overlay value sits on its colour scale (log or linear), and a group's value from its nodes'. Pure: unit tested, no DOM. */
import type { GraphPayload } from '../../src/shared/graphPayload';

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

/**
 * Each group's value over its whole subtree: the sum (times, sizes) or the largest (errors) of its
 * nodes' values; NaN where no node has one. One pass over the nodes, one over the groups.
 */
export function aggregateByGroup(p: Pick<GraphPayload, 'nodeCount' | 'nodeGroup' | 'groupCount' | 'groupParent'>, values: Float64Array, how: 'sum' | 'max'): Float64Array {
  const G = Math.max(1, p.groupCount);
  const out = new Float64Array(G).fill(NaN);
  const add = (g: number, v: number) => {
    const old = out[g];
    out[g] = Number.isNaN(old) ? v : how === 'sum' ? old + v : Math.max(old, v);
  };
  for (let n = 0; n < p.nodeCount; n++) {
    const v = values[n];
    if (Number.isFinite(v)) add(p.groupCount > 0 ? p.nodeGroup[n] : 0, v);
  }
  // Children fold into parents deepest first (parents are not always created before children).
  const depth = new Int32Array(G);
  for (let g = 1; g < G; g++) for (let at = g; at > 0; at = p.groupParent[at]) depth[g]++;
  const order = Array.from({ length: G - 1 }, (_, i) => i + 1).sort((a, b) => depth[b] - depth[a]);
  for (const g of order) if (!Number.isNaN(out[g])) add(p.groupParent[g], out[g]);
  return out;
}
