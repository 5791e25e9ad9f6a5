/**
 * How an image becomes a model input: size, resize/crop policy, layout, channel order and
 * normalisation `(pixel · scale − mean[c]) / std[c]`. Pure data and arithmetic; decoding is in image.ts.
 */
import type { Dim } from '../../shared/tensorTypes';
import type { ImageLayout, PreprocessSpec } from '../../shared/datasetTypes';

/** torchvision's ImageNet statistics: the most common normalisation of 3-channel classifiers. */
const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const DEFAULT_SIZE = 224;

/**
 * A first guess from a model input's dims: [N,3,H,W] → NCHW RGB, [N,H,W,3] → NHWC RGB,
 * [N,1,H,W] / [N,H,W,1] / [N,H,W] → grayscale; a symbolic or unknown H or W → 224. Colour models get the
 * ImageNet mean/std and resize-shorter-side + centre crop (the torchvision recipe); grayscale ones
 * (MNIST-like) are stretched and scaled to 0–1. The user can edit every field.
 */
export function defaultPreprocess(dims: readonly Dim[]): PreprocessSpec {
  const d = dims.length === 4 ? dims.slice(1) : dims.length === 3 ? dims : [];
  const isChannels = (v: Dim) => v === 1 || v === 3;
  let layout: ImageLayout = 'NCHW';
  let c: Dim = 3;
  let h: Dim = null;
  let w: Dim = null;
  if (d.length === 3) {
    if (isChannels(d[0])) [c, h, w] = [d[0], d[1], d[2]];
    else if (isChannels(d[2])) [layout, h, w, c] = ['NHWC', d[0], d[1], d[2]];
    // [N, H, W] (MNIST-like, no channel axis): one gray channel; the mapping reshapes [1, H, W].
    else if (dims.length === 3) [c, h, w] = [1, d[1], d[2]];
    else [h, w] = [d[1], d[2]];
  }
  const size = (v: Dim) => (typeof v === 'number' && v > 0 ? v : DEFAULT_SIZE);
  const base = { width: size(w), height: size(h), layout, scale: 1 / 255 };
  if (c === 1) return { ...base, resize: 'stretch', crop: 'none', channels: 'gray', mean: [0], std: [1] };
  return { ...base, resize: 'shorter-side', crop: 'center', channels: 'rgb', mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] };
}

export function channelCount(spec: Pick<PreprocessSpec, 'channels'>): 1 | 3 {
  return spec.channels === 'gray' ? 1 : 3;
}

/** Per-image shape without the batch dim: [C,H,W] or [H,W,C]. */
export function sampleShape(spec: PreprocessSpec): number[] {
  const c = channelCount(spec);
  return spec.layout === 'NCHW' ? [c, spec.height, spec.width] : [spec.height, spec.width, c];
}

/** What is wrong with a (user-edited) spec, one phrase each; empty when it is usable. */
export function preprocessProblems(spec: PreprocessSpec): string[] {
  const problems: string[] = [];
  const c = channelCount(spec);
  for (const key of ['width', 'height'] as const) {
    if (!Number.isInteger(spec[key]) || spec[key] < 1 || spec[key] > 16384) problems.push(`${key} must be a whole number from 1 to 16384, not ${spec[key]}`);
  }
  if (!Number.isFinite(spec.scale)) problems.push(`scale must be a number, not ${spec.scale}`);
  for (const key of ['mean', 'std'] as const) {
    const v = spec[key];
    if (!Array.isArray(v) || (v.length !== 1 && v.length !== c)) problems.push(`${key} must have 1 or ${c} values`);
    else if (!v.every(Number.isFinite)) problems.push(`${key} must hold numbers only`);
  }
  if (Array.isArray(spec.std) && spec.std.some((s) => s === 0)) problems.push('std must not be 0');
  if (!['stretch', 'shorter-side'].includes(spec.resize)) problems.push(`resize must be 'stretch' or 'shorter-side'`);
  if (!['center', 'none'].includes(spec.crop)) problems.push(`crop must be 'center' or 'none'`);
  if (!['NCHW', 'NHWC'].includes(spec.layout)) problems.push(`layout must be 'NCHW' or 'NHWC'`);
  if (!['rgb', 'bgr', 'gray'].includes(spec.channels)) problems.push(`channels must be 'rgb', 'bgr' or 'gray'`);
  return problems;
}

/**
 * Normalises interleaved 8-bit RGB pixels (width × height × 3, as decoded) into `out` at `offset`,
 * in the spec's layout and channel order. Grayscale uses ITU-R 601 luma with PIL's integer
 * rounding (`Image.convert('L')`), so values match a PIL/torchvision pipeline exactly.
 */
export function normalizeRgb(rgb: Uint8Array, spec: PreprocessSpec, out: Float32Array, offset = 0): void {
  const c = channelCount(spec);
  const pixels = spec.width * spec.height;
  if (rgb.length !== pixels * 3) throw new RangeError(`normalizeRgb: expected ${pixels * 3} bytes, got ${rgb.length}`);
  // (x·scale − mean)/std = x·a + b, per output channel.
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const mean = spec.mean.length === 1 ? spec.mean[0] : spec.mean[k];
    const std = spec.std.length === 1 ? spec.std[0] : spec.std[k];
    a[k] = spec.scale / std;
    b[k] = -mean / std;
  }
  const planar = spec.layout === 'NCHW';
  if (c === 1) {
    for (let p = 0; p < pixels; p++) {
      const luma = (rgb[3 * p] * 19595 + rgb[3 * p + 1] * 38470 + rgb[3 * p + 2] * 7471 + 0x8000) >> 16;
      out[offset + p] = luma * a[0] + b[0];
    }
    return;
  }
  const bgr = spec.channels === 'bgr';
  for (let k = 0; k < 3; k++) {
    const src = bgr ? 2 - k : k;
    const ak = a[k];
    const bk = b[k];
    if (planar) {
      const base = offset + k * pixels;
      for (let p = 0; p < pixels; p++) out[base + p] = rgb[3 * p + src] * ak + bk;
    } else {
      for (let p = 0; p < pixels; p++) out[offset + 3 * p + k] = rgb[3 * p + src] * ak + bk;
    }
  }
}
