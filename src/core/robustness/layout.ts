/**
 * How a model input's per-sample values are arranged, for the perturbations and the attack: an
 * image (channels × height × width, channels first or last) or a plain vector of features. Pixel
 * rows stored as a square number (≥ 64) of features — 8×8 digits as 64 CSV columns — are images
 * too, as the evaluation's drill-down draws them (src/runtime/child/data/samples.ts).
 */

export type SampleLayout =
  | { kind: 'image'; channels: number; height: number; width: number; channelsFirst: boolean }
  | { kind: 'vector'; size: number };

const isChannelCount = (c: unknown) => c === 1 || c === 3 || c === 4;

/**
 * The layout of one sample of an input whose per-sample shape is `shape` (the batch dim removed):
 * [C, H, W] / [H, W, C] with C ∈ {1, 3, 4}, [H, W], or a flat vector (square pixel rows as images).
 */
export function sampleLayout(shape: readonly number[]): SampleLayout {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 3 && isChannelCount(shape[0]) && shape[1] >= 8 && shape[2] >= 8) {
    return { kind: 'image', channels: shape[0], height: shape[1], width: shape[2], channelsFirst: true };
  }
  if (shape.length === 3 && isChannelCount(shape[2]) && shape[0] >= 8 && shape[1] >= 8) {
    return { kind: 'image', channels: shape[2], height: shape[0], width: shape[1], channelsFirst: false };
  }
  if (shape.length === 2 && shape[0] >= 8 && shape[1] >= 8) return { kind: 'image', channels: 1, height: shape[0], width: shape[1], channelsFirst: true };
  const side = Math.round(Math.sqrt(size));
  if (shape.length <= 1 && side * side === size && side >= 8) return { kind: 'image', channels: 1, height: side, width: side, channelsFirst: true };
  return { kind: 'vector', size };
}

export function layoutSize(layout: SampleLayout): number {
  return layout.kind === 'image' ? layout.channels * layout.height * layout.width : layout.size;
}

/** Flat index of (channel, y, x) in an image sample. */
export function pixelIndex(layout: Extract<SampleLayout, { kind: 'image' }>, c: number, y: number, x: number): number {
  return layout.channelsFirst ? (c * layout.height + y) * layout.width + x : (y * layout.width + x) * layout.channels + c;
}
