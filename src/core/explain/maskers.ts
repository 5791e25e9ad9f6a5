/**
 * How a coalition of features (1 = present, 0 = absent) becomes model inputs — the part of
 * KernelSHAP and LIME that differs between tables and images.
 *  - Tabular: an absent feature takes each background row's value in turn, and the coalition's
 *    value is the background-weighted mean of the scores (the interventional Shapley value of
 *    Lundberg & Lee, which for independent features is E[f(x_S, X_S̄)]).
 *  - Image: the features are superpixels; an absent one takes the baseline (each superpixel's
 *    mean colour, as LIME's `hide_color=None` does, or a constant).
 */
import { runBatched, type BlackBox, type ExplainControl } from './blackBox';

export interface Masker {
  /** The number of features a coalition switches. */
  features: number;
  /** Model samples per coalition (background rows for tables, 1 for images). */
  samplesPerMask: number;
  /** Weight of each of those samples in the coalition's value (they sum to 1). */
  weights: Float64Array;
  /** Writes sample `k` of coalition `mask` at `offset` of `out`. */
  fill(mask: Uint8Array, k: number, out: Float32Array, offset: number): void;
}

export function tabularMasker(x: ArrayLike<number>, background: Float64Array, weights: Float64Array): Masker {
  const d = x.length;
  return {
    features: d,
    samplesPerMask: weights.length,
    weights,
    fill(mask, k, out, offset) {
      const row = k * d;
      for (let j = 0; j < d; j++) out[offset + j] = mask[j] ? x[j] : background[row + j];
    },
  };
}

/** An image tensor's layout without the batch: [C, H, W] (NCHW) or [H, W, C] (NHWC). */
export interface ImageLayout {
  height: number;
  width: number;
  channels: number;
  channelsLast: boolean;
}

/** Offset of channel `c` of pixel `p` (row-major over H × W). */
export function elementOffset(layout: ImageLayout, p: number, c: number): number {
  return layout.channelsLast ? p * layout.channels + c : c * layout.height * layout.width + p;
}

/** Each segment's mean value per channel, painted over its pixels: LIME's default "hidden" image. */
export function segmentMeanImage(image: Float32Array, layout: ImageLayout, segments: Int32Array, count: number): Float32Array {
  const pixels = layout.height * layout.width;
  const sums = new Float64Array(count * layout.channels);
  const sizes = new Float64Array(count);
  for (let p = 0; p < pixels; p++) {
    sizes[segments[p]]++;
    for (let c = 0; c < layout.channels; c++) sums[segments[p] * layout.channels + c] += image[elementOffset(layout, p, c)];
  }
  const out = new Float32Array(image.length);
  for (let p = 0; p < pixels; p++) {
    const s = segments[p];
    for (let c = 0; c < layout.channels; c++) out[elementOffset(layout, p, c)] = sums[s * layout.channels + c] / sizes[s];
  }
  return out;
}

export function imageMasker(image: Float32Array, hidden: Float32Array, layout: ImageLayout, segments: Int32Array, count: number): Masker {
  const pixels = layout.height * layout.width;
  return {
    features: count,
    samplesPerMask: 1,
    weights: Float64Array.of(1),
    fill(mask, _k, out, offset) {
      for (let p = 0; p < pixels; p++) {
        const from = mask[segments[p]] ? image : hidden;
        for (let c = 0; c < layout.channels; c++) {
          const e = elementOffset(layout, p, c);
          out[offset + e] = from[e];
        }
      }
    },
  };
}

/**
 * The values of `count` coalitions (masks laid out count × features): for each, the weighted
 * mean over its samples of the model's score at `target`.
 */
export async function coalitionValues(
  box: BlackBox, masker: Masker, masks: Uint8Array, count: number, target: number, control: ExplainControl = {}, progress = { done: 0, total: 0 },
): Promise<Float64Array> {
  const m = masker.features;
  const per = masker.samplesPerMask;
  const values = new Float64Array(count);
  await runBatched(box, count * per, (buffer, first, n) => {
    for (let i = 0; i < n; i++) {
      const s = first + i;
      const c = Math.floor(s / per);
      masker.fill(masks.subarray(c * m, (c + 1) * m), s % per, buffer, i * box.sampleSize);
    }
  }, (scores, first, n) => {
    for (let i = 0; i < n; i++) {
      const s = first + i;
      values[Math.floor(s / per)] += masker.weights[s % per] * scores[i * box.outputs + target];
    }
  }, control, progress.done, progress.total || count * per);
  return values;
}
