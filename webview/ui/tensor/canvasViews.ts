/**
 * Canvas pictures of tensors: an image output, the channel grid of a feature map (one heatmap tile
 * per channel, each scaled to its own range) and an attention map per head. Colours come from the
 * theme (editor background → charts blue → foreground, so brightness rises with the value in dark
 * and light themes alike) and are redrawn by `retheme()`.
 */
import { h } from '../dom';
import { Select } from '../controls';
import { parseColor, themeVar } from '../theme';
import { colourRamp, finiteRange, gridLayout, imagePixels, paintValues, type GridLayout } from './heatmap';
import { formatValue } from '../numbers';
import type { ImageLayout } from './shapes';

export interface CanvasView {
  readonly element: HTMLElement;
  retheme(): void;
  destroy(): void;
}

/** Tiles drawn at most (the "up to 64 channels"). */
export const MAX_CHANNELS = 64;

function heatRamp(): Uint8Array {
  const stops = [themeVar('editor-background', '#1e1e1e'), themeVar('charts-blue', '#3794ff'), themeVar('editor-foreground', themeVar('foreground', '#cccccc'))];
  return colourRamp(stops.map((css) => parseColor(css)));
}

/** A ramp swatch for captions ("low ▭▭▭ high"), repainted with the theme. */
function rampLegend(low: string, high: string): { element: HTMLElement; repaint(): void } {
  const bar = h('span', { class: 'ramp-bar', 'aria-hidden': 'true' });
  const repaint = () => {
    bar.style.background = `linear-gradient(to right, ${themeVar('editor-background', '#1e1e1e')}, ${themeVar('charts-blue', '#3794ff')}, ${themeVar('editor-foreground', themeVar('foreground', '#cccccc'))})`;
  };
  repaint();
  return { element: h('span', { class: 'ramp-legend' }, h('span', {}, low), bar, h('span', {}, high)), repaint };
}

/** Draws an RGBA buffer of w × h into `canvas` at `scale` CSS px per value, crisp (no smoothing). */
function blit(ctx: CanvasRenderingContext2D, rgba: Uint8ClampedArray<ArrayBuffer>, w: number, hgt: number, x: number, y: number, dw: number, dh: number): void {
  const tile = new OffscreenCanvas(w, hgt);
  tile.getContext('2d')!.putImageData(new ImageData(rgba, w, hgt), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, x, y, dw, dh);
}

/**
 * A canvas of width × height CSS px at the screen's pixel ratio. Only the width is set in CSS: the
 * stylesheet's `max-width: 100%; height: auto` then shrinks it in a narrow panel, aspect kept.
 */
function sizedCanvas(width: number, height: number, label: string): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = `${width}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  return { canvas, ctx };
}

/** An image-like output (after the batch index) drawn as a picture, at most `maxSide` px. */
export function imageView(data: Float32Array, layout: ImageLayout, maxSide = 256): CanvasView {
  const { rgba, note } = imagePixels(data, layout.layout, layout.channels, layout.height, layout.width);
  const scale = Math.min(maxSide / Math.max(layout.width, layout.height), 8);
  const w = Math.max(1, Math.round(layout.width * scale));
  const hgt = Math.max(1, Math.round(layout.height * scale));
  const { canvas, ctx } = sizedCanvas(w, hgt, `The output drawn as a ${layout.width}×${layout.height} image`);
  blit(ctx, rgba, layout.width, layout.height, 0, 0, w, hgt);
  const element = h('figure', { class: 'tensor-figure', 'data-testid': 'output-image' }, canvas,
    h('figcaption', { class: 'muted' }, `${layout.width}×${layout.height} ${layout.channels === 3 ? 'RGB' : 'grey'} (${layout.layout}), ${note}`));
  return { element, retheme: () => {}, destroy: () => {} };
}

/**
 * Up to 64 channels of a [C, H, W] slab as heatmap tiles, each normalised to its own min–max (a
 * dead channel shows flat, a strong one full range). Hover names the channel and its range.
 */
export function channelGrid(data: Float32Array, dims: readonly number[], maxWidth: number): CanvasView {
  const [channels, height, width] = dims;
  const count = Math.min(channels, MAX_CHANNELS);
  const pixels = height * width;
  const ranges = Array.from({ length: count }, (_, c) => finiteRange(data, c * pixels, pixels));
  const layout: GridLayout = gridLayout(count, height, width, Math.max(120, maxWidth));
  const { canvas, ctx } = sizedCanvas(layout.width, layout.height, `Heatmaps of ${count} channels`);
  canvas.classList.add('channel-canvas');
  const gap = layout.columns > 1 ? (layout.width - layout.columns * layout.tileWidth) / (layout.columns - 1) : 0;
  const vgap = layout.rows > 1 ? (layout.height - layout.rows * layout.tileHeight) / (layout.rows - 1) : 0;
  const tileAt = (c: number) => ({ x: (c % layout.columns) * (layout.tileWidth + gap), y: Math.floor(c / layout.columns) * (layout.tileHeight + vgap) });
  const draw = () => {
    const lut = heatRamp();
    // Tiles start at the ramp's low end, the editor background: a frame keeps each one visible.
    const frame = themeVar('contrastBorder', themeVar('widget-border', themeVar('panel-border', '#80808066')));
    ctx.clearRect(0, 0, layout.width, layout.height);
    const rgba = new Uint8ClampedArray(pixels * 4);
    ctx.strokeStyle = frame;
    ctx.lineWidth = 1;
    for (let c = 0; c < count; c++) {
      paintValues(data, c * pixels, pixels, ranges[c], lut, rgba);
      const { x, y } = tileAt(c);
      blit(ctx, rgba, width, height, x, y, layout.tileWidth, layout.tileHeight);
      ctx.strokeRect(x + 0.5, y + 0.5, layout.tileWidth - 1, layout.tileHeight - 1);
    }
  };
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const scale = layout.width / Math.max(1, r.width);
    const col = Math.floor(((e.clientX - r.left) * scale) / (layout.tileWidth + gap));
    const row = Math.floor(((e.clientY - r.top) * scale) / (layout.tileHeight + vgap));
    const c = row * layout.columns + col;
    canvas.title = c >= 0 && c < count && col < layout.columns ? `channel ${c}: ${formatValue(ranges[c].min)} to ${formatValue(ranges[c].max)}` : '';
  });
  draw();
  const legend = rampLegend('low', 'high');
  const shown = count < channels ? `channels 0–${count - 1} of ${channels}` : `${channels} channel${channels === 1 ? '' : 's'}`;
  const element = h('figure', { class: 'tensor-figure', 'data-testid': 'channel-grid', 'data-channels': count }, canvas,
    h('figcaption', { class: 'muted' }, `${shown}, ${height}×${width}, batch item 0; each tile scaled to its own min–max `, legend.element));
  return { element, retheme: () => { draw(); legend.repaint(); }, destroy: () => {} };
}

/**
 * Attention probabilities [heads, query, key] of batch item 0, one head at a time (or their mean),
 * query rows × key columns, from 0 to the head's largest weight.
 */
export function attentionView(data: Float32Array, dims: readonly number[], maxWidth: number): CanvasView {
  const [heads, queries, keys] = dims;
  const per = queries * keys;
  const select = new Select([
    ...Array.from({ length: heads }, (_, i) => ({ value: String(i), label: `Head ${i}` })),
    ...(heads > 1 ? [{ value: 'mean', label: 'Mean of heads' }] : []),
  ], '0', { 'aria-label': 'Attention head' });
  const side = Math.min(Math.max(160, maxWidth - 24), 420);
  const scale = Math.max(1, Math.min(side / Math.max(queries, keys), 32));
  const w = Math.max(1, Math.round(keys * scale));
  const hgt = Math.max(1, Math.round(queries * scale));
  const { canvas, ctx } = sizedCanvas(w, hgt, 'Attention weights: query rows by key columns');
  canvas.classList.add('attention-canvas');
  const caption = h('span', {});
  let values: Float32Array = data.subarray(0, per);
  const pick = () => {
    if (select.value === 'mean') {
      values = new Float32Array(per);
      for (let head = 0; head < heads; head++) for (let i = 0; i < per; i++) values[i] += data[head * per + i] / heads;
    } else values = data.subarray(Number(select.value) * per, (Number(select.value) + 1) * per);
  };
  const draw = () => {
    const range = { min: 0, max: finiteRange(values).max };
    const rgba = new Uint8ClampedArray(per * 4);
    paintValues(values, 0, per, range, heatRamp(), rgba);
    ctx.clearRect(0, 0, w, hgt);
    blit(ctx, rgba, keys, queries, 0, 0, w, hgt);
    caption.textContent = `${queries} queries × ${keys} keys, batch item 0; 0 to ${formatValue(range.max)} `;
  };
  select.onChange(() => { pick(); draw(); });
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const k = Math.floor(((e.clientX - r.left) / r.width) * keys);
    const q = Math.floor(((e.clientY - r.top) / r.height) * queries);
    canvas.title = q >= 0 && q < queries && k >= 0 && k < keys ? `query ${q} → key ${k}: ${formatValue(values[q * keys + k])}` : '';
  });
  draw();
  const legend = rampLegend('0', 'max');
  const element = h('figure', { class: 'tensor-figure', 'data-testid': 'attention-heatmap', 'data-heads': heads },
    h('label', { class: 'inline-field' }, h('span', {}, 'Head'), select.element),
    h('div', { class: 'attention-axes' },
      h('span', { class: 'axis-label axis-x muted' }, 'keys →'),
      h('span', { class: 'axis-label axis-y muted' }, 'queries →'),
      canvas),
    h('figcaption', { class: 'muted' }, caption, legend.element));
  return { element, retheme: () => { draw(); legend.repaint(); }, destroy: () => {} };
}
