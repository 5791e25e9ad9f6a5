/**
 * Heatmap arithmetic for the channel grid, the attention view and image outputs: tile layout,
 * per-tile normalisation, colour ramps as lookup tables, and pixels into RGBA buffers. Pure (the
 * canvas drawing is in canvasViews.ts), so it is unit-tested in Node.
 */

export interface Colour {
  r: number;
  g: number;
  b: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  /** Size of one tile in CSS pixels (the map scaled, aspect kept). */
  tileWidth: number;
  tileHeight: number;
  /** Whole grid, gaps included. */
  width: number;
  height: number;
}

/**
 * Tiles for `count` maps of `mapHeight` × `mapWidth` in at most `maxWidth` pixels: as many columns
 * as fit at `minTile` (roughly square grids for small counts), each tile as large as the width allows
 * but never more than `maxScale` times the map (a 7×7 map stays blocky, not blurred).
 */
export function gridLayout(count: number, mapHeight: number, mapWidth: number, maxWidth: number, opts: { gap?: number; minTile?: number; maxTile?: number; maxScale?: number } = {}): GridLayout {
  const gap = opts.gap ?? 2;
  const minTile = opts.minTile ?? 24;
  const maxTile = opts.maxTile ?? 160;
  const maxScale = opts.maxScale ?? 8;
  const n = Math.max(1, count);
  const aspect = mapHeight / Math.max(1, mapWidth);
  const fitColumns = Math.max(1, Math.floor((maxWidth + gap) / (minTile + gap)));
  const columns = Math.min(n, fitColumns, Math.max(1, Math.ceil(Math.sqrt(n * 2))));
  const rows = Math.ceil(n / columns);
  const byWidth = Math.floor((maxWidth - gap * (columns - 1)) / columns);
  const tileWidth = Math.max(4, Math.min(byWidth, maxTile, mapWidth * maxScale));
  const tileHeight = Math.max(4, Math.round(tileWidth * aspect));
  return { columns, rows, tileWidth, tileHeight, width: columns * tileWidth + (columns - 1) * gap, height: rows * tileHeight + (rows - 1) * gap };
}

/** Finite min and max of `length` values from `offset` (NaN/Inf ignored); {0, 0} when none are finite. */
export function finiteRange(data: ArrayLike<number>, offset = 0, length = data.length - offset): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i];
    if (v < min && Number.isFinite(v)) min = v;
    if (v > max && Number.isFinite(v)) max = v;
  }
  return Number.isFinite(min) ? { min, max } : { min: 0, max: 0 };
}

/** A 256-entry RGB ramp through `stops` (evenly spaced), as a flat [r, g, b, r, g, b, …] table. */
export function colourRamp(stops: readonly Colour[]): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  const segments = Math.max(1, stops.length - 1);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const s = Math.min(segments - 1, Math.floor(t));
    const f = t - s;
    const a = stops[Math.min(s, stops.length - 1)];
    const b = stops[Math.min(s + 1, stops.length - 1)];
    lut[i * 3] = Math.round(a.r + (b.r - a.r) * f);
    lut[i * 3 + 1] = Math.round(a.g + (b.g - a.g) * f);
    lut[i * 3 + 2] = Math.round(a.b + (b.b - a.b) * f);
  }
  return lut;
}

/**
 * Colours `length` values from `offset` into `out` (RGBA, one pixel per value) through `lut`,
 * scaled from [min, max] to the ramp; a constant map takes the ramp's low end, NaN/Inf its high end.
 */
export function paintValues(data: ArrayLike<number>, offset: number, length: number, range: { min: number; max: number }, lut: Uint8Array, out: Uint8ClampedArray<ArrayBuffer>): void {
  const span = range.max - range.min;
  const scale = span > 0 ? 255 / span : 0;
  for (let i = 0; i < length; i++) {
    const v = data[offset + i];
    const idx = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round((v - range.min) * scale))) : 255;
    out[i * 4] = lut[idx * 3];
    out[i * 4 + 1] = lut[idx * 3 + 1];
    out[i * 4 + 2] = lut[idx * 3 + 2];
    out[i * 4 + 3] = 255;
  }
}

/**
 * How an image output's values become 0–255: as they are when they already look like pixels
 * (0–255), ×255 when they look like 0–1, else stretched from their own min–max.
 */
export function pixelMapping(range: { min: number; max: number }): { scale: number; offset: number; note: string } {
  if (range.min >= 0 && range.max <= 1) return { scale: 255, offset: 0, note: 'values 0–1 shown as 0–255' };
  if (range.min >= 0 && range.max <= 255) return { scale: 1, offset: 0, note: 'values shown as 0–255 pixels' };
  const span = range.max - range.min || 1;
  return { scale: 255 / span, offset: -range.min * (255 / span), note: 'stretched from min–max' };
}

/** An image output ([C,H,W] or [H,W,C] after the batch index, C = 1 or 3) into RGBA pixels. */
export function imagePixels(data: ArrayLike<number>, layout: 'NCHW' | 'NHWC', channels: 1 | 3, height: number, width: number): { rgba: Uint8ClampedArray<ArrayBuffer>; note: string } {
  const pixels = height * width;
  const rgba = new Uint8ClampedArray(pixels * 4);
  const { scale, offset, note } = pixelMapping(finiteRange(data, 0, pixels * channels));
  const at = (p: number, c: number) => (layout === 'NCHW' ? data[c * pixels + p] : data[p * channels + c]);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = at(p, channels === 1 ? 0 : c) * scale + offset;
    rgba[p * 4 + 3] = 255;
  }
  return { rgba, note };
}
