/**
 * Sensible first values for a model's symbolic dims, and names for them a person can read. A
 * PP-OCR recognizer declares x as [p2o.DynamicDimension.0, 3, 48, p2o.DynamicDimension.1]: setting
 * every symbolic dim to 1 feeds it a 48×1 image, which runs but means nothing. So:
 *
 *  - the model's own hints first: a metadata entry named like the dim (`width: 320`), or an image
 *    size entry (`imgsz`, `image_size`, `input_size`: 640 or [640, 640]);
 *  - then the dim's role: a leading dim is the batch (1); in an image input (float, rank 4, 1 or 3
 *    channels, NCHW or NHWC) height and width take the fixed one's partner or typical sizes — a
 *    text-line height (≤ 64 px) gets a text line's width (320 for 48), a square image 224×224;
 *  - anything else is asked for: it starts at 1 and the Run panel marks it.
 *
 * Pure (no I/O): the Run panel (webview) and the runtime use it.
 */
import type { IoSignature } from '../../shared/runtimeTypes';

export type DimRole = 'batch' | 'channels' | 'height' | 'width' | 'sequence';

export interface DimGuess {
  value: number;
  /** Why this value ("batch", "typical image size", "model metadata 'imgsz'"); null when asked for. */
  why: string | null;
}

/** A dim the runtime reports as a name, or as -1/0 when it has none. */
function symbolic(d: number | string): boolean {
  return typeof d === 'string' || !(d > 0);
}

const FLOATS = new Set(['float16', 'float32', 'float64', 'bfloat16']);

/** NCHW or NHWC when the input looks like an image batch (float, rank 4, 1 or 3 channels), else null. */
export function imageLayout(sig: IoSignature): 'NCHW' | 'NHWC' | null {
  if (!FLOATS.has(sig.elemType) || sig.dims.length !== 4) return null;
  const c = (d: number | string) => d === 1 || d === 3;
  if (c(sig.dims[1]) && !c(sig.dims[3])) return 'NCHW';
  if (c(sig.dims[3]) && !c(sig.dims[1])) return 'NHWC';
  if (c(sig.dims[1])) return 'NCHW';
  return symbolic(sig.dims[1]) && !symbolic(sig.dims[3]) && c(sig.dims[3]) ? 'NHWC' : null;
}

export function dimRole(sig: IoSignature, axis: number): DimRole | null {
  const layout = imageLayout(sig);
  if (layout) return (layout === 'NCHW' ? ['batch', 'channels', 'height', 'width'] : ['batch', 'height', 'width', 'channels'])[axis] as DimRole;
  if (sig.dims.length >= 2 && axis === 0) return 'batch';
  if (sig.dims.length === 2 && axis === 1 && !FLOATS.has(sig.elemType)) return 'sequence';
  return null;
}

/** 'p2o.DynamicDimension.0' → 'dynamic 0', 'unk__12' → 'unknown 12'; readable names stay as they are. */
export function readableSymbol(name: string): string {
  const dynamic = /(?:^|\.)Dynamic(?:Dimension|Dim)?[._]?(\d+)$/i.exec(name);
  if (dynamic) return `dynamic ${dynamic[1]}`;
  const unknown = /^unk_+(\d+)$/i.exec(name);
  if (unknown) return `unknown ${unknown[1]}`;
  return name;
}

/** Integer hints from the model's metadata: `key → n`, and `key → [h, w]` as `key.0`, `key.1`. */
export function metadataDimHints(metadata: readonly { key: string; value: string }[]): Record<string, number> {
  const hints: Record<string, number> = {};
  for (const { key, value } of metadata) {
    const text = value.trim();
    if (/^\d+$/.test(text)) hints[key] = Number(text);
    const list = /^[[(]\s*(\d+)\s*,\s*(\d+)\s*[\])]$/.exec(text);
    if (list) [hints[`${key}.0`], hints[`${key}.1`]] = [Number(list[1]), Number(list[2])];
  }
  return hints;
}

const IMAGE_SIZE_KEYS = ['imgsz', 'image_size', 'img_size', 'input_size', 'resolution'];
const TYPICAL_IMAGE = 224;
/** A text line: PP-OCR and CRNN recognizers take 32–64 px high lines about 6.7 times as wide. */
const TEXT_LINE_MAX_HEIGHT = 64;
const TEXT_LINE_ASPECT = 320 / 48;

function imageSizeHint(hints: Readonly<Record<string, number>>, role: 'height' | 'width'): { value: number; key: string } | null {
  for (const key of IMAGE_SIZE_KEYS) {
    const pair = hints[`${key}.${role === 'height' ? 0 : 1}`];
    if (pair > 0) return { value: pair, key };
    if (hints[key] > 0) return { value: hints[key], key };
  }
  return null;
}

/**
 * A first value for every symbolic dim, keyed like the Run panel keys them (`keyOf`: the dim's
 * name, shared by the inputs that use it, or `input[axis]`).
 */
export function guessDims(
  inputs: readonly IoSignature[],
  hints: Readonly<Record<string, number>>,
  keyOf: (input: string, axis: number, dim: number | string) => string,
): Record<string, DimGuess> {
  const out: Record<string, DimGuess> = {};
  for (const sig of inputs) {
    sig.dims.forEach((d, axis) => {
      if (!symbolic(d)) return;
      const key = keyOf(sig.name, axis, d);
      if (out[key]?.why) return;
      if (typeof d === 'string' && hints[d] > 0) {
        out[key] = { value: hints[d], why: `model metadata '${d}'` };
        return;
      }
      const role = dimRole(sig, axis);
      if (role === 'batch') out[key] = { value: 1, why: 'batch' };
      else if (role === 'height' || role === 'width') out[key] = spatialGuess(sig, role, hints);
      else out[key] ??= { value: 1, why: null };
    });
  }
  return out;
}

function spatialGuess(sig: IoSignature, role: 'height' | 'width', hints: Readonly<Record<string, number>>): DimGuess {
  const hinted = imageSizeHint(hints, role);
  if (hinted) return { value: hinted.value, why: `model metadata '${hinted.key}'` };
  const layout = imageLayout(sig)!;
  const [hAxis, wAxis] = layout === 'NCHW' ? [2, 3] : [1, 2];
  const other = sig.dims[role === 'height' ? wAxis : hAxis];
  if (typeof other === 'number' && other > 0) {
    if (role === 'width' && other <= TEXT_LINE_MAX_HEIGHT) return { value: Math.round((other * TEXT_LINE_ASPECT) / 8) * 8, why: `a text line ${other} px high` };
    return { value: other, why: 'square, like its fixed side' };
  }
  return { value: TYPICAL_IMAGE, why: 'typical image size' };
}
