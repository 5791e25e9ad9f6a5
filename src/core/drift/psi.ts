/**
 * Population stability index: Σ (c − r)·ln(c/r) over bins, r and c the shares of the reference and
 * current samples in each bin. Numeric bins are cut at the reference's deciles (numpy's linear
 * quantiles, repeated edges merged), so each reference bin holds about a tenth of it; categories
 * are their own bins. A share of 0 is raised to 1e-4 first (an empty bin would make the index
 * infinite), the usual convention. Read: < 0.1 stable, 0.1–0.2 moderate, > 0.2 a significant shift.
 */
import { quantileSorted } from '../metrics/numeric';

export const PSI_BINS = 10;
export const PSI_FLOOR = 1e-4;

/** Inner bin edges: the reference's quantiles 1/bins … (bins−1)/bins, without repeats. */
export function psiEdges(sortedReference: Float64Array, bins = PSI_BINS): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(sortedReference, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/** Counts per bin: bin i holds values in [edges[i−1], edges[i]) (numpy's searchsorted, side 'right'). */
export function binCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}

/** PSI of two count vectors over the same bins. */
export function psiFromCounts(reference: readonly number[], current: readonly number[]): number {
  const rTotal = reference.reduce((a, b) => a + b, 0);
  const cTotal = current.reduce((a, b) => a + b, 0);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] / rTotal, PSI_FLOOR);
    const c = Math.max(current[i] / cTotal, PSI_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

export interface NumericPsi {
  psi: number;
  edges: number[];
  reference: number[];
  current: number[];
}

/** PSI of a numeric feature; `sortedReference` ascending. */
export function numericPsi(sortedReference: Float64Array, current: ArrayLike<number>, bins = PSI_BINS): NumericPsi {
  const edges = psiEdges(sortedReference, bins);
  const reference = binCounts(sortedReference, edges);
  const cur = binCounts(current, edges);
  return { psi: psiFromCounts(reference, cur), edges, reference, current: cur };
}
