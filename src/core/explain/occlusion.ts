/**
 * Occlusion saliency (Zeiler & Fergus 2014, as captum's `Occlusion` computes it): a window of the
 * baseline value slides over the image with a stride; each pixel's attribution is the mean, over
 * the windows covering it, of f(x) − f(x with the window occluded). All channels are occluded
 * together, so the map is H × W. Positions run 0, stride, 2·stride… and one more window flush with
 * the far edge when the stride does not reach it (captum leaves that strip at zero).
 */
import { runBatched, type BlackBox, type ExplainControl } from './blackBox';
import { elementOffset, type ImageLayout } from './maskers';

export interface OcclusionOptions {
  window?: number;
  stride?: number;
  baseline?: number;
  /** The score of the unmasked image when the caller has it already (saves a run). */
  prediction?: number;
}

export interface SaliencyResult {
  /** H × W, row-major. */
  map: Float64Array;
  height: number;
  width: number;
  /** The model's score for the explained class on the image as given. */
  prediction: number;
  evaluations: number;
}

export function windowStarts(size: number, window: number, stride: number): number[] {
  const w = Math.min(window, size);
  const starts: number[] = [];
  for (let s = 0; s + w <= size; s += stride) starts.push(s);
  if (starts[starts.length - 1] !== size - w) starts.push(size - w);
  return starts;
}

export async function occlusion(
  box: BlackBox, image: Float32Array, layout: ImageLayout, target: number, options: OcclusionOptions = {}, control: ExplainControl = {},
): Promise<SaliencyResult> {
  const { height: h, width: w, channels } = layout;
  const win = Math.max(1, Math.min(options.window ?? Math.max(4, Math.round(Math.min(h, w) / 14)), h, w));
  const stride = Math.max(1, options.stride ?? Math.max(1, Math.floor(win / 2)));
  const baseline = options.baseline ?? 0;
  const ys = windowStarts(h, win, stride);
  const xs = windowStarts(w, win, stride);
  const windows = ys.length * xs.length;
  const fx = options.prediction ?? (await box.run(image, 1))[target];
  const sum = new Float64Array(h * w);
  const count = new Float64Array(h * w);
  const at = (i: number) => ({ y0: ys[Math.floor(i / xs.length)], x0: xs[i % xs.length] });
  await runBatched(box, windows, (buffer, first, n) => {
    for (let i = 0; i < n; i++) {
      const off = i * box.sampleSize;
      buffer.set(image, off);
      const { y0, x0 } = at(first + i);
      for (let y = y0; y < y0 + Math.min(win, h); y++) {
        for (let x = x0; x < x0 + Math.min(win, w); x++) {
          for (let c = 0; c < channels; c++) buffer[off + elementOffset(layout, y * w + x, c)] = baseline;
        }
      }
    }
  }, (scores, first, n) => {
    for (let i = 0; i < n; i++) {
      const drop = fx - scores[i * box.outputs + target];
      const { y0, x0 } = at(first + i);
      for (let y = y0; y < y0 + Math.min(win, h); y++) {
        for (let x = x0; x < x0 + Math.min(win, w); x++) {
          sum[y * w + x] += drop;
          count[y * w + x]++;
        }
      }
    }
  }, control);
  return { map: sum.map((s, p) => (count[p] ? s / count[p] : 0)), height: h, width: w, prediction: fx, evaluations: windows + (options.prediction === undefined ? 1 : 0) };
}
