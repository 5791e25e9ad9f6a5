/**
 * The perturbations a robustness sweep applies, each at several severities, to every float input
 * of a model, one sample at a time in the model's own value space:
 *
 * | kind | severity | applies to |
 * |---|---|---|
 * | noise | σ as a share of the input's value range: x + σ·(hi − lo)·N(0, 1) | any float input (images clipped to the range) |
 * | feature-noise | σ in units of each feature's standard deviation | any float input (meant for tabular) |
 * | dropout | probability that a feature is replaced by its column mean | any float input (meant for tabular) |
 * | brightness | a share of the range added to every pixel | images |
 * | contrast | 1 − factor: each channel pulled towards its mean | images |
 * | blur | Gaussian σ in pixels | images |
 * | jpeg | JPEG quality 1–100 (lower is worse) | images |
 * | shift | pixels moved right and down | images |
 * | rotate | degrees clockwise | images |
 *
 * Random draws are seeded per (seed, perturbation, severity, sample), so a sample is perturbed the
 * same way whatever the batch size, and a drill-down can show exactly what the model saw.
 */
import { createRng, type Rng } from '../metrics/rng';
import { affine, brightness, contrast, gaussianBlur, type ValueRange } from './imageOps';
import { jpegRoundTrip } from './jpeg';
import type { SampleLayout } from './layout';
import { PERTURBATION_INFO, PERTURBATION_KINDS, type PerturbationKind } from '../../shared/robustReport';

/** The catalogue lives with the report's types, so the views and the CLI describe them alike. */
export const PERTURBATIONS = PERTURBATION_INFO;
export { PERTURBATION_KINDS };

/** What the sweep knows about an input from a first pass over the data. */
export interface InputStats extends ValueRange {
  /** Per position of a sample: mean and standard deviation over the dataset. */
  mean: Float64Array;
  std: Float64Array;
}

/** One seed per (run seed, perturbation, severity, sample): murmur3's finaliser over a running mix. */
export function sampleSeed(seed: number, perturbation: number, severity: number, sample: number): number {
  let h = seed >>> 0;
  for (const v of [perturbation, severity, sample]) {
    h = Math.imul(h ^ (v >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** Standard normal draws (Box–Muller). */
function gaussian(rng: Rng): number {
  const u = (rng.nextUint32() + 0.5) / 4294967296;
  const v = (rng.nextUint32() + 0.5) / 4294967296;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function uniform(rng: Rng): number {
  return (rng.nextUint32() + 0.5) / 4294967296;
}

/** Why `kind` cannot apply to an input of this layout, or null. */
export function unsupportedReason(kind: PerturbationKind, layout: SampleLayout): string | null {
  if (PERTURBATIONS[kind].imageOnly && layout.kind !== 'image') return `${kind} needs an image input (channels × height × width), and this one holds ${layout.size} values per sample`;
  return null;
}

/** `x` (one sample) under `kind` at `severity`; never changes `x`. */
export async function perturbSample(x: Float32Array, layout: SampleLayout, stats: InputStats, kind: PerturbationKind, severity: number, seed: number): Promise<Float32Array> {
  const rng = createRng(seed);
  const range = (stats.hi - stats.lo) || 1;
  const image = layout.kind === 'image' ? layout : null;
  const clip = (v: number) => (image ? Math.min(stats.hi, Math.max(stats.lo, v)) : v);
  switch (kind) {
    case 'noise':
      return x.map((v) => clip(v + severity * range * gaussian(rng)));
    case 'feature-noise':
      return x.map((v, i) => v + severity * stats.std[i] * gaussian(rng));
    case 'dropout':
      return x.map((v, i) => (uniform(rng) < severity ? stats.mean[i] : v));
  }
  if (!image) throw new RangeError(unsupportedReason(kind, layout)!);
  switch (kind) {
    case 'brightness':
      return brightness(x, severity, stats);
    case 'contrast':
      return contrast(x, image, 1 - severity, stats);
    case 'blur':
      return gaussianBlur(x, image, severity);
    case 'jpeg':
      return jpegRoundTrip(x, image, severity, stats);
    case 'shift':
      return affine(x, image, severity, severity, 0, stats);
    case 'rotate':
      return affine(x, image, 0, 0, severity, stats);
  }
}
