/**
 * Image files → normalised float tensors, decoded and resized by sharp (libvips): PNG, JPEG, WebP,
 * GIF (first frame), TIFF, AVIF. Arithmetic on the pixels is in preprocess.ts. sharp is loaded on the
 * first image, so a platform without it loses image inputs only (src/core/nativeModules.ts).
 */
import { loadSharp } from '../nativeModules';
import { dataFileSize, DatasetError } from './errors';
import { channelCount, normalizeRgb, preprocessProblems, sampleShape } from './preprocess';
import type { PreprocessSpec } from '../../shared/datasetTypes';

export interface ImageTensor {
  /** [1, C, H, W] or [1, H, W, C]. */
  dims: number[];
  data: Float32Array;
}

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

export async function loadImageTensor(file: string, spec: PreprocessSpec): Promise<ImageTensor> {
  const problems = preprocessProblems(spec);
  if (problems.length > 0) throw new RangeError(`Preprocessing settings are not usable: ${problems.join('; ')}.`);
  const data = new Float32Array(spec.width * spec.height * channelCount(spec));
  await loadImageInto(file, spec, data, 0);
  return { dims: [1, ...sampleShape(spec)], data };
}

/** Decodes, resizes and normalises one image into `out` at `offset` (used to fill dataset batches in place). */
export async function loadImageInto(file: string, spec: PreprocessSpec, out: Float32Array, offset: number): Promise<void> {
  normalizeRgb(await decodeRgb(file, spec), spec, out, offset);
}

/**
 * Interleaved 8-bit RGB at exactly spec.width × spec.height. Choices that keep results close to the
 * PIL/torchvision pipelines models are usually trained with:
 *  - alpha is dropped, not composited (PIL `convert('RGB')`);
 *  - EXIF orientation is ignored (PIL does not apply it unless asked);
 *  - bilinear ('linear') resampling, without JPEG shrink-on-load (which would trade accuracy for speed);
 *  - only truncated files fail; libvips warnings (e.g. extraneous bytes in a JPEG) do not.
 */
export async function decodeRgb(file: string, spec: PreprocessSpec): Promise<Uint8Array> {
  const size = await dataFileSize(file);
  if (size === 0) throw new DatasetError(file, 'is empty (0 bytes), not an image');
  const fit = spec.resize === 'stretch' ? 'fill' : spec.crop === 'center' ? 'cover' : 'contain';
  // Outside the try: "sharp cannot load" is about this machine, not about the file.
  const sharp = loadSharp();
  try {
    const { data, info } = await sharp(file, { failOn: 'truncated', animated: false })
      .resize(spec.width, spec.height, { fit, position: 'centre', kernel: 'linear', fastShrinkOnLoad: false, background: { r: 0, g: 0, b: 0, alpha: 1 } })
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.width !== spec.width || info.height !== spec.height || info.channels !== 3) {
      throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}, expected ${spec.width}×${spec.height}×3`);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (err) {
    const text = (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/[.\s]+$/, '');
    throw new DatasetError(file, `is not a readable image: ${text}`);
  }
}
