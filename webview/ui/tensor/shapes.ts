/**
 * Reading meaning into a tensor's dims: image-like outputs, 4-D feature maps, attention
 * probabilities, and how to lay values out in a table. Pure, unit-tested.
 */

export interface ImageLayout {
  layout: 'NCHW' | 'NHWC';
  channels: 1 | 3;
  height: number;
  width: number;
}

/** Below this an "image" is more likely a feature vector or a 1×1 map than a picture. */
const MIN_IMAGE_SIDE = 8;

/**
 * An output that reads as one image: [1, 3, H, W], [1, H, W, 3], [1, 1, H, W] or [1, H, W, 1].
 * Channels-first wins when both readings fit ([1, 3, 8, 3] is 3 planes of 8×3, not 3-wide).
 */
export function imageLayout(dims: readonly number[]): ImageLayout | null {
  if (dims.length !== 4 || dims[0] !== 1) return null;
  const [, a, b, c] = dims;
  const big = (x: number) => x >= MIN_IMAGE_SIDE;
  if ((a === 3 || a === 1) && big(b) && big(c)) return { layout: 'NCHW', channels: a, height: b, width: c };
  if ((c === 3 || c === 1) && big(a) && big(b)) return { layout: 'NHWC', channels: c, height: a, width: b };
  return null;
}

/** A 4-D NCHW activation with a spatial extent: C maps of H×W (for the channel grid). */
export function featureMap(dims: readonly number[]): { channels: number; height: number; width: number } | null {
  if (dims.length !== 4) return null;
  const [, c, h, w] = dims;
  if (!(c >= 1 && h >= 1 && w >= 1) || h * w < 4) return null;
  return { channels: c, height: h, width: w };
}

/**
 * Could be attention probabilities: a 4-D [batch, heads, query, key] value made by Softmax. The
 * Softmax axis is not in the graph payload, so the panel confirms with the data ({@link rowsSumToOne}).
 */
export function isAttentionCandidate(dims: readonly number[], producerOp: string | null): boolean {
  return dims.length === 4 && dims[1] >= 1 && dims[2] >= 1 && dims[3] > 1 && producerOp !== null && /(^|:)Softmax$/.test(producerOp);
}

/** True when the first `rowsToCheck` rows of length `k` each sum to 1: a softmax over the last axis. */
export function rowsSumToOne(data: ArrayLike<number>, k: number, rowsToCheck = 16): boolean {
  const rows = Math.min(rowsToCheck, Math.floor(data.length / k));
  if (rows === 0) return false;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let i = r * k; i < (r + 1) * k; i++) sum += data[i];
    if (!(Math.abs(sum - 1) < 1e-3)) return false;
  }
  return true;
}

/** The multi-index of a flat (row-major) position: 5 in [2, 3] → [1, 2]. */
export function multiIndex(flat: number, dims: readonly number[]): number[] {
  const out = new Array<number>(dims.length);
  let rest = flat;
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    const size = Math.max(1, dims[axis]);
    out[axis] = rest % size;
    rest = Math.floor(rest / size);
  }
  return out;
}

/** Values per table row: the last axis when it is short (a row of class scores), else 8. */
export function tableRowLength(dims: readonly number[]): number {
  const last = dims.length ? dims[dims.length - 1] : 1;
  return last >= 1 && last <= 16 ? last : 8;
}
