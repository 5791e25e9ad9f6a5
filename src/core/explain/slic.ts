/**
 * SLIC superpixels (Achanta et al., "SLIC Superpixels Compared to State-of-the-art Superpixel
 * Methods", TPAMI 2012): k-means in (L, a, b, x, y) where each centre only looks at a 2S × 2S
 * window, centres started on a grid and nudged off edges, then connectivity enforced (orphan
 * fragments join a neighbour). Written here because npm has no maintained SLIC: the packages that
 * exist wrap OpenCV (a native build) or ship none; sharp decodes and resizes the pixels
 * (src/core/data/image.ts) and this module only clusters them. Deterministic: no randomness.
 */

export interface SlicOptions {
  /** Superpixels wanted (roughly: the grid decides); default 50. */
  segments?: number;
  /** Colour against space: higher gives squarer superpixels; default 10 (CIELAB units). */
  compactness?: number;
  iterations?: number;
}

export interface Superpixels {
  /** One label per pixel (row-major H × W), 0..count−1. */
  labels: Int32Array;
  count: number;
}

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Interleaved RGB (or gray) in [0, 1] → CIELAB (D65), three values per pixel. */
export function toLab(pixels: ArrayLike<number>, count: number, channels: number): Float64Array {
  const lab = new Float64Array(count * 3);
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  for (let p = 0; p < count; p++) {
    const r = srgbToLinear(pixels[p * channels]);
    const g = channels === 3 ? srgbToLinear(pixels[p * channels + 1]) : r;
    const b = channels === 3 ? srgbToLinear(pixels[p * channels + 2]) : r;
    const fx = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
    const fy = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
    const fz = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
    lab[p * 3] = 116 * fy - 16;
    lab[p * 3 + 1] = 500 * (fx - fy);
    lab[p * 3 + 2] = 200 * (fy - fz);
  }
  return lab;
}

function gradientAt(lab: Float64Array, w: number, h: number, x: number, y: number): number {
  const at = (xx: number, yy: number) => (Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))) * 3;
  let g = 0;
  for (let k = 0; k < 3; k++) g += (lab[at(x + 1, y) + k] - lab[at(x - 1, y) + k]) ** 2 + (lab[at(x, y + 1) + k] - lab[at(x, y - 1) + k]) ** 2;
  return g;
}

/** Superpixels of an H × W image given as interleaved RGB or gray values in [0, 1]. */
export function slic(pixels: ArrayLike<number>, width: number, height: number, channels: 1 | 3, options: SlicOptions = {}): Superpixels {
  const n = width * height;
  const lab = toLab(pixels, n, channels);
  const wanted = Math.max(1, Math.min(n, options.segments ?? 50));
  const step = Math.max(1, Math.round(Math.sqrt(n / wanted)));
  const m = options.compactness ?? 10;
  const centres: number[][] = [];
  for (let y = Math.floor(step / 2); y < height; y += step) {
    for (let x = Math.floor(step / 2); x < width; x += step) {
      let best = [x, y];
      let bestG = Infinity;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const g = gradientAt(lab, width, height, xx, yy);
          if (g < bestG) [best, bestG] = [[xx, yy], g];
        }
      }
      const p = (best[1] * width + best[0]) * 3;
      centres.push([lab[p], lab[p + 1], lab[p + 2], best[0], best[1]]);
    }
  }
  const k = centres.length;
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  const spatial = (m / step) ** 2;
  for (let it = 0; it < (options.iterations ?? 10); it++) {
    dist.fill(Infinity);
    for (let c = 0; c < k; c++) {
      const [l, a, b, cx, cy] = centres[c];
      const x0 = Math.max(0, Math.floor(cx - step));
      const x1 = Math.min(width - 1, Math.ceil(cx + step));
      const y0 = Math.max(0, Math.floor(cy - step));
      const y1 = Math.min(height - 1, Math.ceil(cy + step));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const p = y * width + x;
          const d = (lab[p * 3] - l) ** 2 + (lab[p * 3 + 1] - a) ** 2 + (lab[p * 3 + 2] - b) ** 2 + ((x - cx) ** 2 + (y - cy) ** 2) * spatial;
          if (d < dist[p]) {
            dist[p] = d;
            labels[p] = c;
          }
        }
      }
    }
    const sums = Array.from({ length: k }, () => [0, 0, 0, 0, 0, 0]);
    for (let p = 0; p < n; p++) {
      const s = sums[labels[p]];
      s[0] += lab[p * 3];
      s[1] += lab[p * 3 + 1];
      s[2] += lab[p * 3 + 2];
      s[3] += p % width;
      s[4] += Math.floor(p / width);
      s[5]++;
    }
    for (let c = 0; c < k; c++) if (sums[c][5] > 0) centres[c] = sums[c].slice(0, 5).map((v) => v / sums[c][5]);
  }
  return connect(labels, width, height, Math.max(1, Math.floor((step * step) / 4)));
}

/**
 * Connected components of the labelling, numbered in scan order; a component smaller than
 * `minSize` joins the component met just before it (the original SLIC's rule).
 */
function connect(labels: Int32Array, width: number, height: number, minSize: number): Superpixels {
  const n = width * height;
  const out = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const members = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (out[start] >= 0) continue;
    // The label of an already numbered neighbour, for a fragment too small to stand alone.
    let adjacent = -1;
    const sx = start % width;
    const sy = Math.floor(start / width);
    for (const [dx, dy] of [[-1, 0], [0, -1], [1, 0], [0, 1]]) {
      const x = sx + dx;
      const y = sy + dy;
      if (x >= 0 && y >= 0 && x < width && y < height && out[y * width + x] >= 0) adjacent = out[y * width + x];
    }
    let top = 0;
    let size = 0;
    stack[top++] = start;
    out[start] = count;
    while (top > 0) {
      const p = stack[--top];
      members[size++] = p;
      const x = p % width;
      const y = Math.floor(p / width);
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1]) {
        if (q >= 0 && out[q] < 0 && labels[q] === labels[start]) {
          out[q] = count;
          stack[top++] = q;
        }
      }
    }
    if (size < minSize && adjacent >= 0) for (let i = 0; i < size; i++) out[members[i]] = adjacent;
    else count++;
  }
  return { labels: out, count };
}
