/**
 * JPEG compression of one image sample through sharp (libvips' libjpeg-turbo): the values are
 * mapped linearly from the dataset's range [lo, hi] to 0–255, encoded at `quality`, decoded and
 * mapped back, so the model sees exactly the blocking and ringing a saved JPEG would carry.
 */
import { loadSharp } from '../nativeModules';
import { pixelIndex, type SampleLayout } from './layout';
import type { ValueRange } from './imageOps';

type Image = Extract<SampleLayout, { kind: 'image' }>;

export async function jpegRoundTrip(x: Float32Array, layout: Image, quality: number, range: ValueRange): Promise<Float32Array> {
  const { height, width } = layout;
  // JPEG holds grey or RGB: a fourth channel passes through unchanged.
  const channels = layout.channels >= 3 ? 3 : 1;
  const span = range.hi - range.lo || 1;
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      for (let c = 0; c < channels; c++) {
        const v = (x[pixelIndex(layout, c, y, xx)] - range.lo) / span;
        pixels[(y * width + xx) * channels + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
      }
    }
  }
  const sharp = loadSharp();
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const encoded = await sharp(pixels, { raw: { width, height, channels } }).jpeg({ quality: q, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(encoded).raw().toBuffer({ resolveWithObject: true });
  const out = Float32Array.from(x);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      for (let c = 0; c < channels; c++) {
        const v = data[(y * width + xx) * info.channels + Math.min(c, info.channels - 1)];
        out[pixelIndex(layout, c, y, xx)] = range.lo + (v / 255) * span;
      }
    }
  }
  return out;
}
