/**
 * Drill-down: what some samples of a dataset hold — an image file's thumbnail, an image-like
 * array's pixels drawn as one, or a row's values with their column names (and a thumbnail too when
 * the row is a square number of pixels, like 8×8 digits). Reads the dataset once,
 * in order, stopping after the last sample asked for.
 */
import { loadSharp } from '../../../core/nativeModules';
import { openDataset } from '../../../core/data/dataset';
import type { DatasetColumn } from '../../../core/data/types';
import type { EvalSampleView } from '../../../shared/protocol';

const THUMBNAIL_PX = 96;
const MAX_SAMPLES = 200;
/** Values listed for a tabular sample; wider rows are cut (the report keeps the sample's index). */
const MAX_VALUES = 256;

export async function png(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<string> {
  const scale = Math.max(1, Math.floor(THUMBNAIL_PX / Math.max(width, height)));
  const buffer = await loadSharp()(Buffer.from(pixels), { raw: { width, height, channels } })
    .resize(width * scale, height * scale, { kernel: 'nearest' })
    .png()
    .toBuffer();
  return `data:image/png;base64,${buffer.toString('base64')}`;
}

async function fileThumbnail(file: string): Promise<string> {
  const buffer = await loadSharp()(file).resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside' }).png().toBuffer();
  return `data:image/png;base64,${buffer.toString('base64')}`;
}

/** [H, W], [1, H, W], [H, W, 1], [3, H, W] or [H, W, 3] of at least 8×8: drawable. */
export function imageLayout(shape: readonly number[]): { width: number; height: number; channels: 1 | 3; chw: boolean } | null {
  const s = shape.length === 3 && (shape[0] === 1 || shape[0] === 3) ? { c: shape[0], h: shape[1], w: shape[2], chw: true }
    : shape.length === 3 && (shape[2] === 1 || shape[2] === 3) ? { c: shape[2], h: shape[0], w: shape[1], chw: false }
    : shape.length === 2 ? { c: 1, h: shape[0], w: shape[1], chw: true } : null;
  if (!s || s.h < 8 || s.w < 8) return null;
  return { width: s.w, height: s.h, channels: s.c as 1 | 3, chw: s.chw };
}

/**
 * Values scaled to 0..255 over `range` (default their own), interleaved RGB when there are three
 * channels. A shared range keeps brightness visible when an original and its perturbed copy are
 * drawn side by side.
 */
export function toPixels(values: Float32Array, layout: NonNullable<ReturnType<typeof imageLayout>>, range?: { lo: number; hi: number }): Uint8Array {
  let lo = range?.lo ?? Infinity;
  let hi = range?.hi ?? -Infinity;
  if (!range) for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi > lo ? hi - lo : 1;
  const { width, height, channels, chw } = layout;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) {
    const from = chw ? (c * height + y) * width + x : (y * width + x) * channels + c;
    const v = values[from];
    out[(y * width + x) * channels + c] = Number.isFinite(v) ? Math.round(Math.min(255, Math.max(0, (255 * (v - lo)) / span))) : 0;
  }
  return out;
}

function columnNames(columns: readonly DatasetColumn[]): string[] {
  return columns.flatMap((c) => (c.size === 1 ? [c.name] : Array.from({ length: c.size }, (_, i) => `${c.name}[${i}]`)));
}

export async function datasetSamples(data: string, wanted: readonly { index: number; source: number | string }[], signal: AbortSignal): Promise<EvalSampleView[]> {
  const asked = wanted.slice(0, MAX_SAMPLES);
  const out = new Map<number, EvalSampleView>();
  // Image folders: the source is the image's path; no need to read the dataset.
  const byPath = asked.filter((s) => typeof s.source === 'string');
  for (const s of byPath) out.set(s.index, { ...s, thumbnail: await fileThumbnail(s.source as string) });
  const rest = asked.filter((s) => typeof s.source !== 'string').sort((a, b) => a.index - b.index);
  if (rest.length > 0) {
    // The label column is not part of what the sample shows (the report has the labels).
    const reader = await openDataset(data).catch(() => openDataset(data, { labelColumn: null }));
    const names = columnNames(reader.columns);
    const side = Math.round(Math.sqrt(reader.featureCount));
    // One image-like array column, or a square number (≥ 64) of scalar columns such as 8×8 digits' pixels.
    const single = reader.columns.length === 1 ? imageLayout(reader.columns[0].shape)
      : side * side === reader.featureCount && side >= 8 && reader.columns.every((c) => c.size === 1) ? imageLayout([side, side]) : null;
    const tabular = reader.columns.length > 1;
    const want = new Map(rest.map((s) => [s.index, s]));
    const last = rest[rest.length - 1].index;
    const f = reader.featureCount;
    for await (const batch of reader.batches(256, signal)) {
      for (let i = 0; i < batch.size; i++) {
        const s = want.get(batch.rowIndex + i);
        if (!s) continue;
        const values = batch.features.subarray(i * f, (i + 1) * f);
        out.set(s.index, {
          ...s,
          ...(single ? { thumbnail: await png(toPixels(values, single), single.width, single.height, single.channels) } : {}),
          ...(tabular || !single ? { columns: names.slice(0, MAX_VALUES), values: Array.from(values.subarray(0, MAX_VALUES)) } : {}),
        });
      }
      if (batch.rowIndex + batch.size > last) break;
    }
  }
  return asked.map((s) => out.get(s.index) ?? { ...s });
}
