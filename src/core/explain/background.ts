/**
 * The background a tabular explanation compares against: E[f] over it is SHAP's base value and
 * its rows fill in absent features. Every row of a big dataset would multiply the model's work by
 * its size, so it is summarised as `shap.kmeans` does — k weighted centroids (k-means++ seeding,
 * Lloyd iterations, each centroid weighted by its cluster's share) — or a seeded sample of rows.
 */
import { createRng, sampleWithoutReplacement } from '../metrics/rng';

export interface Background {
  /** rows × features, row-major. */
  rows: Float64Array;
  /** One weight per row, summing to 1. */
  weights: Float64Array;
  count: number;
  features: number;
  kind: 'kmeans' | 'sample' | 'all';
}

export function sampleBackground(data: Float64Array, n: number, d: number, count: number, seed = 0): Background {
  if (count >= n) return { rows: Float64Array.from(data.subarray(0, n * d)), weights: new Float64Array(n).fill(1 / n), count: n, features: d, kind: 'all' };
  const picked = sampleWithoutReplacement(createRng(seed), n, count);
  const rows = new Float64Array(count * d);
  picked.forEach((r, i) => rows.set(data.subarray(r * d, (r + 1) * d), i * d));
  return { rows, weights: new Float64Array(count).fill(1 / count), count, features: d, kind: 'sample' };
}

function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    s += t * t;
  }
  return s;
}

/** k weighted centroids of the n × d rows (deterministic for a seed). */
export function kmeansBackground(data: Float64Array, n: number, d: number, k: number, seed = 0, iterations = 30): Background {
  if (k >= n) return sampleBackground(data, n, d, n, seed);
  const rng = createRng(seed);
  const centers = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  // k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one.
  let pick = rng.nextIndex(n);
  for (let c = 0; c < k; c++) {
    centers.set(data.subarray(pick * d, (pick + 1) * d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i], squaredDistance(data, i * d, centers, c * d, d));
      total += nearest[i];
    }
    if (total === 0) break;
    let u = (rng.nextUint32() / 4294967296) * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= nearest[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  const assignment = new Int32Array(n);
  const sizes = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = squaredDistance(data, i * d, centers, c * d, d);
        if (dd < bestD) [best, bestD] = [c, dd];
      }
      if (assignment[i] !== best || it === 0) moved = moved || assignment[i] !== best;
      assignment[i] = best;
    }
    sizes.fill(0);
    const sums = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      sizes[assignment[i]]++;
      for (let j = 0; j < d; j++) sums[assignment[i] * d + j] += data[i * d + j];
    }
    for (let c = 0; c < k; c++) if (sizes[c] > 0) for (let j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j] / sizes[c];
    if (!moved && it > 0) break;
  }
  // An empty cluster (duplicate rows) carries no weight and is dropped.
  const kept = [...sizes.keys()].filter((c) => sizes[c] > 0);
  const rows = new Float64Array(kept.length * d);
  kept.forEach((c, i) => rows.set(centers.subarray(c * d, (c + 1) * d), i * d));
  return { rows, weights: Float64Array.from(kept, (c) => sizes[c] / n), count: kept.length, features: d, kind: 'kmeans' };
}
