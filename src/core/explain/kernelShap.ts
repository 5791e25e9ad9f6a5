/**
 * KernelSHAP (Lundberg & Lee, "A Unified Approach to Interpreting Model Predictions", 2017):
 * Shapley values as the weighted least-squares fit of a linear model over coalitions, with the
 * Shapley kernel π(z) = (M − 1) / (C(M, |z|) · |z| · (M − |z|)) and the efficiency constraint
 * Σφ = v(all) − v(none) imposed exactly (the infinite weight π gives the empty and full coalitions).
 *  - Up to EXACT_FEATURES features every proper coalition is enumerated; the fit is then the exact
 *    Shapley value (Theorem 2 of the paper).
 *  - Beyond, `samples` coalitions are drawn in complementary pairs (z and 1 − z, which share a
 *    kernel weight and cancel much of the variance; Covert & Lee 2021): a size s with probability
 *    ∝ (M − 1)/(s(M − s)), then a uniform subset of that size, so every drawn coalition carries
 *    weight 1. Standard errors come from a seeded bootstrap over the pairs.
 */
import { createRng, type Rng } from '../metrics/rng';
import { coalitionValues, type Masker } from './maskers';
import { throwIfCancelled, type BlackBox, type ExplainControl } from './blackBox';
import { solve } from './linalg';

export const EXACT_FEATURES = 12;
const BOOTSTRAP_RESAMPLES = 40;

export interface KernelShapOptions {
  /** Coalitions to evaluate when sampling (rounded up to even); default 2048. */
  samples?: number;
  seed?: number;
}

export interface ShapResult {
  /** φ per feature. */
  values: Float64Array;
  /** v(none): E[f] over the background (or the fully masked image). */
  expected: number;
  /** v(all): the model's score for the explained class. */
  prediction: number;
  /** Per-feature standard error of a sampled fit (bootstrap over the pairs); zeros when exact. */
  standardErrors: Float64Array;
  exact: boolean;
  coalitions: number;
  /** Model samples run (coalitions × background rows). */
  evaluations: number;
  /** |Σφ − (prediction − expected)|: the efficiency property, to rounding. */
  efficiencyGap: number;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** The Shapley kernel weight of one coalition of `size` among `m` features. */
export function shapleyKernel(m: number, size: number): number {
  return (m - 1) / (binomial(m, size) * size * (m - size));
}

interface Coalitions {
  masks: Uint8Array;
  weights: Float64Array;
  count: number;
}

function enumerate(m: number): Coalitions {
  const count = 2 ** m - 2;
  const masks = new Uint8Array(count * m);
  const weights = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const bits = c + 1;
    let size = 0;
    for (let j = 0; j < m; j++) {
      const on = (bits >> j) & 1;
      masks[c * m + j] = on;
      size += on;
    }
    weights[c] = shapleyKernel(m, size);
  }
  return { masks, weights, count };
}

function samplePaired(m: number, samples: number, rng: Rng): Coalitions {
  const pairs = Math.max(1, Math.ceil(samples / 2));
  const sizeWeights = Float64Array.from({ length: m - 1 }, (_, i) => (m - 1) / ((i + 1) * (m - i - 1)));
  const cumulative = new Float64Array(m - 1);
  sizeWeights.reduce((acc, w, i) => (cumulative[i] = acc + w), 0);
  const total = cumulative[m - 2];
  const masks = new Uint8Array(pairs * 2 * m);
  const order = Int32Array.from({ length: m }, (_, i) => i);
  for (let p = 0; p < pairs; p++) {
    const u = (rng.nextUint32() / 4294967296) * total;
    let size = 1;
    while (size < m - 1 && cumulative[size - 1] <= u) size++;
    for (let j = 0; j < size; j++) {
      const r = j + rng.nextIndex(m - j);
      [order[j], order[r]] = [order[r], order[j]];
    }
    const a = 2 * p * m;
    masks.fill(1, a + m, a + 2 * m);
    for (let j = 0; j < size; j++) {
      masks[a + order[j]] = 1;
      masks[a + m + order[j]] = 0;
    }
  }
  return { masks, weights: new Float64Array(pairs * 2).fill(1), count: pairs * 2 };
}

/**
 * φ minimising Σ w_i (v_i − v0 − z_i·φ)² subject to Σφ = delta: φ_M is eliminated
 * (φ_M = delta − Σ_{j<M} φ_j) and the M − 1 normal equations solved. `multiplicity` scales each
 * coalition's weight (a bootstrap resample), or is omitted.
 */
function constrainedFit(c: Coalitions, values: Float64Array, m: number, v0: number, delta: number, multiplicity?: Int32Array): Float64Array {
  const p = m - 1;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < c.count; i++) {
    const w = c.weights[i] * (multiplicity ? multiplicity[i >> 1] : 1);
    if (w === 0) continue;
    const z = c.masks.subarray(i * m, (i + 1) * m);
    const last = z[m - 1];
    const y = values[i] - v0 - last * delta;
    for (let j = 0; j < p; j++) row[j] = z[j] - last;
    for (let j = 0; j < p; j++) {
      if (row[j] === 0) continue;
      const wr = w * row[j];
      b[j] += wr * y;
      for (let k = j; k < p; k++) a[j * p + k] += wr * row[k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j];
  const head = solve(a, b, p);
  const phi = new Float64Array(m);
  phi.set(head);
  let sum = 0;
  for (let j = 0; j < p; j++) sum += head[j];
  phi[m - 1] = delta - sum;
  return phi;
}

function bootstrapErrors(c: Coalitions, values: Float64Array, m: number, v0: number, delta: number, rng: Rng, signal?: AbortSignal): Float64Array {
  const pairs = c.count / 2;
  const sum = new Float64Array(m);
  const sumSq = new Float64Array(m);
  const counts = new Int32Array(pairs);
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    throwIfCancelled(signal);
    counts.fill(0);
    for (let k = 0; k < pairs; k++) counts[rng.nextIndex(pairs)]++;
    const phi = constrainedFit(c, values, m, v0, delta, counts);
    for (let j = 0; j < m; j++) {
      sum[j] += phi[j];
      sumSq[j] += phi[j] * phi[j];
    }
  }
  return sum.map((s, j) => Math.sqrt(Math.max(0, sumSq[j] / BOOTSTRAP_RESAMPLES - (s / BOOTSTRAP_RESAMPLES) ** 2)));
}

export async function kernelShap(box: BlackBox, masker: Masker, target: number, options: KernelShapOptions = {}, control: ExplainControl = {}): Promise<ShapResult> {
  const m = masker.features;
  if (m < 1) throw new RangeError('there are no features to explain');
  const rng = createRng(options.seed ?? 0);
  const exact = m <= EXACT_FEATURES;
  const c = m === 1 ? { masks: new Uint8Array(0), weights: new Float64Array(0), count: 0 } : exact ? enumerate(m) : samplePaired(m, options.samples ?? 2048, rng);
  const ends = new Uint8Array(2 * m);
  ends.fill(1, m);
  const total = (c.count + 2) * masker.samplesPerMask;
  const [v0, vAll] = await coalitionValues(box, masker, ends, 2, target, control, { done: 0, total });
  const values = await coalitionValues(box, masker, c.masks, c.count, target, control, { done: 2 * masker.samplesPerMask, total });
  const delta = vAll - v0;
  const phi = m === 1 ? Float64Array.of(delta) : constrainedFit(c, values, m, v0, delta);
  const standardErrors = exact || m === 1 ? new Float64Array(m) : bootstrapErrors(c, values, m, v0, delta, rng, control.signal);
  let sum = 0;
  for (const v of phi) sum += v;
  return {
    values: phi, expected: v0, prediction: vAll, standardErrors, exact, coalitions: c.count, evaluations: total,
    efficiencyGap: Math.abs(sum - delta),
  };
}
