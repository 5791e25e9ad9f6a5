/**
 * LIME (Ribeiro, Singh & Guestrin, "Why Should I Trust You?", 2016) as the `lime` package does it:
 * perturb around the sample, weight each perturbation by an exponential kernel on its distance to
 * the sample — sqrt(exp(−d²/width²)), the package's kernel — and fit a weighted ridge regression
 * (α = 1, intercept unpenalised) on the interpretable representation.
 *  - Tabular: features discretised into quartiles of the training data (LimeTabularExplainer's
 *    default); a perturbation draws each feature's bin by its training frequency and a value from
 *    that bin (the package draws from a truncated normal fitted to the bin; we draw a training value
 *    of the bin, which keeps the data's own distribution). The representation is "same bin as the
 *    sample" per feature; the distance is Euclidean on it; width 0.75·√features.
 *  - Image: superpixels switched on or off uniformly (LimeImageExplainer); the distance is the
 *    cosine distance to the all-on vector; width 0.25.
 * The first perturbation is always the sample itself.
 */
import { createRng } from '../metrics/rng';
import { coalitionValues, type Masker } from './maskers';
import { runBatched, type BlackBox, type ExplainControl } from './blackBox';
import { weightedRidge } from './linalg';
import { quartileDiscretizer, type Discretizer } from './discretize';

export interface LimeOptions {
  /** Perturbations; default 5000 (tabular) or 1000 (image), the package's defaults. */
  samples?: number;
  seed?: number;
  kernelWidth?: number;
}

export interface LimeResult {
  /** Ridge coefficient per feature (tabular: of "in the sample's bin"; image: of "superpixel shown"). */
  values: Float64Array;
  intercept: number;
  /** Weighted R² of the local model. */
  score: number;
  /** The local model at the sample (intercept + Σ coefficients). */
  localPrediction: number;
  /** The model's score for the explained class. */
  prediction: number;
  samples: number;
  evaluations: number;
  /** Tabular: each feature's condition at the sample ("3.5 < f12 <= 8"). */
  conditions?: string[];
}

const kernel = (d: number, width: number) => Math.sqrt(Math.exp(-(d * d) / (width * width)));

function fit(z: Float64Array, y: Float64Array, w: Float64Array, n: number, m: number, prediction: number, evaluations: number): LimeResult {
  const { coef, intercept, score } = weightedRidge(z, y, w, n, m, 1);
  let local = intercept;
  for (const c of coef) local += c;
  return { values: coef, intercept, score, localPrediction: local, prediction, samples: n, evaluations };
}

export async function limeTabular(
  box: BlackBox, x: ArrayLike<number>, training: Float64Array, trainingRows: number, target: number, names: readonly string[],
  options: LimeOptions = {}, control: ExplainControl = {},
): Promise<LimeResult> {
  const d = x.length;
  const n = Math.max(2, options.samples ?? 5000);
  const width = options.kernelWidth ?? 0.75 * Math.sqrt(d);
  const disc: Discretizer = quartileDiscretizer(training, trainingRows, d);
  const rng = createRng(options.seed ?? 0);
  const own = Int32Array.from({ length: d }, (_, j) => disc.bin(j, x[j]));
  const rows = new Float32Array(n * d);
  const z = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    rows[j] = x[j];
    z[j] = 1;
  }
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const bin = disc.drawBin(j, rng);
      rows[i * d + j] = disc.drawValue(j, bin, rng);
      z[i * d + j] = bin === own[j] ? 1 : 0;
    }
  }
  const y = new Float64Array(n);
  await runBatched(box, n, (buffer, first, count) => buffer.set(rows.subarray(first * d, (first + count) * d)), (scores, first, count) => {
    for (let i = 0; i < count; i++) y[first + i] = scores[i * box.outputs + target];
  }, control);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let j = 0; j < d; j++) off += 1 - z[i * d + j];
    w[i] = kernel(Math.sqrt(off), width);
  }
  return { ...fit(z, y, w, n, d, y[0], n), conditions: names.map((name, j) => disc.describe(j, own[j], name)) };
}

export async function limeImage(box: BlackBox, masker: Masker, target: number, options: LimeOptions = {}, control: ExplainControl = {}): Promise<LimeResult> {
  const m = masker.features;
  const n = Math.max(2, options.samples ?? 1000);
  const width = options.kernelWidth ?? 0.25;
  const rng = createRng(options.seed ?? 0);
  const masks = new Uint8Array(n * m);
  masks.fill(1, 0, m);
  for (let i = m; i < n * m; i++) masks[i] = rng.nextUint32() & 1;
  const y = await coalitionValues(box, masker, masks, n, target, control);
  const z = Float64Array.from(masks);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let on = 0;
    for (let j = 0; j < m; j++) on += masks[i * m + j];
    // Cosine distance of a 0/1 vector to all ones: 1 − on/√(on·m); scikit-learn's is 1 for the zero vector.
    w[i] = kernel(on === 0 ? 1 : 1 - Math.sqrt(on / m), width);
  }
  return fit(z, y, w, n, m, y[0], n * masker.samplesPerMask);
}
