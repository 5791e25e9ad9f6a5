/**
 * Geometric and photometric image corruptions on one sample in the model's own value space (any
 * scaling, mean/std normalisation or layout): the pixel range [lo, hi] is the dataset's, so
 * "brightness 0.2" adds a fifth of that range whatever the preprocessing was. Pure functions;
 * JPEG, which needs an encoder, is in jpeg.ts.
 */
import { pixelIndex, type SampleLayout } from './layout';

type Image = Extract<SampleLayout, { kind: 'image' }>;

export interface ValueRange {
  lo: number;
  hi: number;
}

const clamp = (v: number, r: ValueRange) => (v < r.lo ? r.lo : v > r.hi ? r.hi : v);

/** x + delta·(hi − lo), clipped to the range. */
export function brightness(x: Float32Array, delta: number, range: ValueRange): Float32Array {
  const d = delta * (range.hi - range.lo);
  return x.map((v) => clamp(v + d, range));
}

/** Each channel pulled towards its own mean: mean + (x − mean)·factor (factor 1 = unchanged, 0 = flat). */
export function contrast(x: Float32Array, layout: Image, factor: number, range: ValueRange): Float32Array {
  const out = new Float32Array(x.length);
  const { channels, height, width } = layout;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let y = 0; y < height; y++) for (let xx = 0; xx < width; xx++) sum += x[pixelIndex(layout, c, y, xx)];
    const mean = sum / (height * width);
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < width; xx++) {
        const i = pixelIndex(layout, c, y, xx);
        out[i] = clamp(mean + (x[i] - mean) * factor, range);
      }
    }
  }
  return out;
}

/** A normalised 1-D Gaussian kernel of radius ⌈3σ⌉. */
function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += k[i + radius];
  }
  return k.map((v) => v / sum);
}

/** Gaussian blur of standard deviation `sigma` pixels, separable, edges replicated. */
export function gaussianBlur(x: Float32Array, layout: Image, sigma: number): Float32Array {
  if (sigma <= 0) return Float32Array.from(x);
  const kernel = gaussianKernel(sigma);
  const r = (kernel.length - 1) / 2;
  const { channels, height, width } = layout;
  const tmp = new Float64Array(x.length);
  const out = new Float32Array(x.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < width; xx++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += kernel[j + r] * x[pixelIndex(layout, c, y, Math.min(width - 1, Math.max(0, xx + j)))];
        tmp[pixelIndex(layout, c, y, xx)] = s;
      }
    }
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < width; xx++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += kernel[j + r] * tmp[pixelIndex(layout, c, Math.min(height - 1, Math.max(0, y + j)), xx)];
        out[pixelIndex(layout, c, y, xx)] = s;
      }
    }
  }
  return out;
}

/**
 * The image moved by (dx, dy) pixels and rotated by `degrees` about its centre, sampled
 * bilinearly; what comes in from outside is the range's low end (black).
 */
export function affine(x: Float32Array, layout: Image, dx: number, dy: number, degrees: number, range: ValueRange): Float32Array {
  const { channels, height, width } = layout;
  const out = new Float32Array(x.length);
  const a = (-degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const at = (c: number, yy: number, xx: number) => (xx < 0 || yy < 0 || xx >= width || yy >= height ? range.lo : x[pixelIndex(layout, c, yy, xx)]);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      // The source of output pixel (xx, y): undo the shift, then the rotation.
      const ux = xx - dx - cx;
      const uy = y - dy - cy;
      const sx = cos * ux - sin * uy + cx;
      const sy = sin * ux + cos * uy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < channels; c++) {
        const v = (1 - fy) * ((1 - fx) * at(c, y0, x0) + fx * at(c, y0, x0 + 1)) + fy * ((1 - fx) * at(c, y0 + 1, x0) + fx * at(c, y0 + 1, x0 + 1));
        out[pixelIndex(layout, c, y, xx)] = v;
      }
    }
  }
  return out;
}
