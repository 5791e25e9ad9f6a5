/**
 * RISE (Petsiuk, Das & Saenko, "RISE: Randomized Input Sampling for Explanation", 2018): N random
 * masks — a cells × cells grid of Bernoulli(p) cells, upsampled bilinearly to (cells + 1) cell
 * sizes and cropped at a random shift so the mask is smooth and not grid-aligned — and the map is
 * Σ f(x ⊙ M_i + baseline·(1 − M_i)) · M_i / (N · p). Masks are made batch by batch from one seeded
 * stream (never all N at once: 4000 masks of 224 × 224 would be 800 MB).
 */
import { createRng, type Rng } from '../metrics/rng';
import { runBatched, type BlackBox, type ExplainControl } from './blackBox';
import { elementOffset, type ImageLayout } from './maskers';
import type { SaliencyResult } from './occlusion';

export interface RiseOptions {
  masks?: number;
  cells?: number;
  probability?: number;
  baseline?: number;
  /** The score of the unmasked image when the caller has it already (saves a run). */
  prediction?: number;
  seed?: number;
}

/** One smooth mask of h × w values in [0, 1]. */
export function riseMask(rng: Rng, h: number, w: number, cells: number, p: number, out: Float32Array): void {
  const cellH = Math.ceil(h / cells);
  const cellW = Math.ceil(w / cells);
  const g = cells + 1;
  const grid = new Float32Array(g * g);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.nextUint32() / 4294967296 < p ? 1 : 0;
  const dy = rng.nextIndex(cellH);
  const dx = rng.nextIndex(cellW);
  // Bilinear upsampling of the grid to g·cell pixels (cell centres on the grid points), cropped at (dy, dx).
  for (let y = 0; y < h; y++) {
    const gy = Math.min(g - 1, Math.max(0, (y + dy + 0.5) / cellH - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(g - 1, y0 + 1);
    const ty = gy - y0;
    for (let x = 0; x < w; x++) {
      const gx = Math.min(g - 1, Math.max(0, (x + dx + 0.5) / cellW - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(g - 1, x0 + 1);
      const tx = gx - x0;
      const top = grid[y0 * g + x0] * (1 - tx) + grid[y0 * g + x1] * tx;
      const bottom = grid[y1 * g + x0] * (1 - tx) + grid[y1 * g + x1] * tx;
      out[y * w + x] = top * (1 - ty) + bottom * ty;
    }
  }
}

export async function rise(
  box: BlackBox, image: Float32Array, layout: ImageLayout, target: number, options: RiseOptions = {}, control: ExplainControl = {},
): Promise<SaliencyResult> {
  const { height: h, width: w, channels } = layout;
  const n = Math.max(1, options.masks ?? 2000);
  const cells = Math.max(2, options.cells ?? 7);
  const p = Math.min(1, Math.max(1e-3, options.probability ?? 0.5));
  const baseline = options.baseline ?? 0;
  const rng = createRng(options.seed ?? 0);
  const pixels = h * w;
  const fx = options.prediction ?? (await box.run(image, 1))[target];
  const map = new Float64Array(pixels);
  // The masks of the batches in flight (two at most), keyed by their first index.
  const live = new Map<number, Float32Array>();
  await runBatched(box, n, (buffer, first, count) => {
    const masks = new Float32Array(count * pixels);
    for (let i = 0; i < count; i++) {
      const mask = masks.subarray(i * pixels, (i + 1) * pixels);
      riseMask(rng, h, w, cells, p, mask);
      const off = i * box.sampleSize;
      for (let px = 0; px < pixels; px++) {
        const m = mask[px];
        for (let c = 0; c < channels; c++) {
          const e = elementOffset(layout, px, c);
          buffer[off + e] = image[e] * m + baseline * (1 - m);
        }
      }
    }
    live.set(first, masks);
  }, (scores, first, count) => {
    const masks = live.get(first)!;
    live.delete(first);
    for (let i = 0; i < count; i++) {
      const s = scores[i * box.outputs + target];
      const mask = masks.subarray(i * pixels, (i + 1) * pixels);
      for (let px = 0; px < pixels; px++) map[px] += s * mask[px];
    }
  }, control);
  const scale = 1 / (n * p);
  for (let px = 0; px < pixels; px++) map[px] *= scale;
  return { map, height: h, width: w, prediction: fx, evaluations: n + (options.prediction === undefined ? 1 : 0) };
}
