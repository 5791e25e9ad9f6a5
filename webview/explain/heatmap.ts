/**
 * A saliency map drawn over the image it explains: the picture (8-bit RGB from the report), and on
 * top the map in a diverging scale — the theme's red for what raises the class score, its blue for
 * what lowers it, opacity by magnitude (scaled to the map's largest |value|) times the slider's
 * opacity. Drawn at the image's resolution and scaled up by CSS with crisp pixels.
 */
import { parseColor } from '../ui/theme';
import { signedColours } from './explainCharts';

export interface HeatmapImage {
  width: number;
  height: number;
  rgb: Uint8Array | null;
  values: ArrayLike<number>;
}

export function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Draws into `canvas` (sized to the image); `opacity` in [0, 1]. */
export function drawHeatmap(canvas: HTMLCanvasElement, img: HeatmapImage, opacity: number): void {
  const { width, height, rgb, values } = img;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const data = ctx.createImageData(width, height);
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  const { positive, negative } = signedColours();
  const pos = parseColor(positive);
  const neg = parseColor(negative);
  for (let p = 0; p < width * height; p++) {
    const base = rgb ? [rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]] : [128, 128, 128];
    const v = values[p] ?? 0;
    const a = max > 0 ? Math.min(1, Math.abs(v) / max) * opacity : 0;
    const c = v >= 0 ? pos : neg;
    data.data[p * 4] = base[0] * (1 - a) + c.r * a;
    data.data[p * 4 + 1] = base[1] * (1 - a) + c.g * a;
    data.data[p * 4 + 2] = base[2] * (1 - a) + c.b * a;
    data.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
}

/** The rollout's token-to-token matrix as a grey-to-red grid. */
export function drawMatrix(canvas: HTMLCanvasElement, n: number, values: ArrayLike<number>): void {
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext('2d')!;
  const data = ctx.createImageData(n, n);
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  const c = parseColor(signedColours().positive);
  for (let p = 0; p < n * n; p++) {
    const a = max > 0 ? values[p] / max : 0;
    data.data[p * 4] = 128 * (1 - a) + c.r * a;
    data.data[p * 4 + 1] = 128 * (1 - a) + c.g * a;
    data.data[p * 4 + 2] = 128 * (1 - a) + c.b * a;
    data.data[p * 4 + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
}
