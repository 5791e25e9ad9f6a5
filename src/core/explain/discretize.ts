/**
 * LIME's QuartileDiscretizer: each feature's bins are cut at the 25th, 50th and 75th percentiles
 * of the training data (duplicates merged, as `np.unique` does), a value's bin is the number of
 * cuts below it (`np.searchsorted(cuts, v)`, so a value equal to a cut falls in the lower bin).
 */
import { quantileSorted } from '../metrics/numeric';
import type { Rng } from '../metrics/rng';

export interface Discretizer {
  bin(feature: number, value: number): number;
  /** A bin drawn by its share of the training rows. */
  drawBin(feature: number, rng: Rng): number;
  /** A training value of that bin (drawn uniformly). */
  drawValue(feature: number, bin: number, rng: Rng): number;
  /** "f3 <= 2.00", "2.00 < f3 <= 7.00", "f3 > 12.00". */
  describe(feature: number, bin: number, name: string): string;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

export function quartileDiscretizer(training: Float64Array, n: number, d: number): Discretizer {
  const cuts: number[][] = [];
  const members: Float64Array[][] = [];
  for (let j = 0; j < d; j++) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = training[i * d + j];
    column.sort();
    const c = [...new Set([0.25, 0.5, 0.75].map((q) => quantileSorted(column, q)))].sort((a, b) => a - b);
    cuts.push(c);
    const bins: number[][] = c.map(() => []).concat([[]]);
    for (const v of column) bins[searchsorted(c, v)].push(v);
    members.push(bins.map((b) => Float64Array.from(b)));
  }
  return {
    bin: (j, v) => searchsorted(cuts[j], v),
    drawBin(j, rng) {
      let u = rng.nextIndex(n);
      const bins = members[j];
      for (let b = 0; b < bins.length; b++) {
        if (u < bins[b].length) return b;
        u -= bins[b].length;
      }
      return bins.length - 1;
    },
    drawValue(j, bin, rng) {
      const values = members[j][bin];
      return values.length ? values[rng.nextIndex(values.length)] : cuts[j][Math.min(bin, cuts[j].length - 1)];
    },
    describe(j, bin, name) {
      const c = cuts[j];
      if (bin === 0) return `${name} <= ${fmt(c[0])}`;
      if (bin >= c.length) return `${name} > ${fmt(c[c.length - 1])}`;
      return `${fmt(c[bin - 1])} < ${name} <= ${fmt(c[bin])}`;
    },
  };
}

function searchsorted(cuts: readonly number[], v: number): number {
  let i = 0;
  while (i < cuts.length && cuts[i] < v) i++;
  return i;
}
