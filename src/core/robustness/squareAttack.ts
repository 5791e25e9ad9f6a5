/**
 * Square Attack (Andriushchenko et al., ECCV 2020), L∞, score-based black box: starting from
 * vertical stripes of ±ε, each step sets one random square window to x + (±ε per channel) and
 * keeps the change when the margin loss p_y − max_{j≠y} p_j falls; the side of the window
 * shrinks on the paper's schedule (p halves at 10, 50, 200, 500, 1k, 2k, 4k, 6k, 8k of 10k
 * iterations, rescaled to the budget). An attack succeeds when the margin turns negative — the
 * prediction changed inside the ε-ball and the value range. Vectors of features are 1-pixel-high
 * images, so windows become runs of neighbouring features.
 *
 * Every sample of a batch steps at once and is queried in one model call (`query`), and a seeded
 * generator per sample makes the result independent of batching. ε = 0 can change nothing, so it
 * never succeeds.
 */
import { createRng, type Rng } from '../metrics/rng';
import { layoutSize, pixelIndex, type SampleLayout } from './layout';

/**
 * The model's class probabilities for some candidate inputs (each a flat Float32Array), row-major
 * k per candidate; `owners[j]` is the index (in the attacked list) of the sample candidate j stands for.
 */
export type QueryFn = (candidates: Float32Array[], owners: number[]) => Promise<Float64Array>;

export interface SquareAttackOptions {
  /** ε in the input's own units. */
  eps: number;
  /** Query budget per sample (the first, at the stripes, included). */
  queries: number;
  lo: number;
  hi: number;
  layout: SampleLayout;
  k: number;
  /** Seeds of each sample (see perturbations.sampleSeed). */
  seeds: number[];
  /** Share of the pixels the first windows cover; the paper's 0.05 for L∞. */
  pInit?: number;
  signal?: AbortSignal;
}

export interface AttackOutcome {
  success: boolean;
  /** Queries spent (≥ 1). */
  queries: number;
  /** The last accepted input: adversarial when `success`. */
  adversarial: Float32Array;
  /** Final margin p_y − max_{j≠y} p_j (negative: misclassified). */
  margin: number;
  /** The class predicted at the end. */
  predicted: number;
  confidence: number;
}

function margin(p: Float64Array, offset: number, k: number, y: number): { margin: number; predicted: number; confidence: number } {
  let best = -Infinity;
  let predicted = 0;
  let top = -Infinity;
  for (let c = 0; c < k; c++) {
    const v = p[offset + c];
    if (v > top) {
      top = v;
      predicted = c;
    }
    if (c !== y && v > best) best = v;
  }
  return { margin: p[offset + y] - best, predicted, confidence: top };
}

/** The paper's schedule of p, the share of pixels a window covers, at iteration `it` of `total`. */
export function windowShare(pInit: number, it: number, total: number): number {
  const t = Math.floor((it / Math.max(1, total)) * 10_000);
  const cuts = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  let p = pInit;
  for (const c of cuts) if (t > c) p /= 2;
  return p;
}

const sign = (rng: Rng) => (rng.nextUint32() & 1 ? 1 : -1);

interface State {
  index: number;
  x: Float32Array;
  best: Float32Array;
  margin: number;
  predicted: number;
  confidence: number;
  queries: number;
  done: boolean;
  rng: Rng;
}

/** Attacks every sample (all correctly classified as `labels` say) within the budget. */
export async function squareAttack(samples: Float32Array[], labels: readonly number[], query: QueryFn, o: SquareAttackOptions): Promise<AttackOutcome[]> {
  const size = layoutSize(o.layout);
  const img = o.layout.kind === 'image' ? o.layout : { kind: 'image' as const, channels: 1, height: 1, width: size, channelsFirst: true };
  const { channels, height, width } = img;
  const clip = (v: number) => (v < o.lo ? o.lo : v > o.hi ? o.hi : v);
  const states: State[] = samples.map((x, i) => ({ index: i, x, best: new Float32Array(size), margin: Infinity, predicted: -1, confidence: 0, queries: 0, done: false, rng: createRng(o.seeds[i]) }));
  // Vertical stripes: one sign per (channel, column), all rows alike.
  for (const s of states) {
    for (let c = 0; c < channels; c++) {
      for (let x = 0; x < width; x++) {
        const d = sign(s.rng) * o.eps;
        for (let y = 0; y < height; y++) {
          const i = pixelIndex(img, c, y, x);
          s.best[i] = clip(s.x[i] + d);
        }
      }
    }
  }
  const score = async (active: State[], candidates: Float32Array[]) => {
    const p = await query(candidates, active.map((s) => s.index));
    return active.map((s, j) => margin(p, j * o.k, o.k, labels[s.index]));
  };
  // The first query: the stripes.
  const first = await score(states, states.map((s) => s.best));
  states.forEach((s, j) => {
    Object.assign(s, first[j], { queries: 1 });
    s.done = s.margin < 0;
  });
  const iterations = o.queries - 1;
  for (let it = 0; it < iterations; it++) {
    if (o.signal?.aborted) break;
    const active = states.filter((s) => !s.done);
    if (active.length === 0) break;
    const p = windowShare(o.pInit ?? 0.05, it, iterations);
    const candidates = active.map((s) => {
      const side = Math.max(1, Math.min(height === 1 ? width : Math.min(height, width), Math.round(height === 1 ? p * width : Math.sqrt(p * height * width))));
      const sideY = height === 1 ? 1 : side;
      const y0 = s.rng.nextIndex(height - sideY + 1);
      const x0 = s.rng.nextIndex(width - side + 1);
      const next = Float32Array.from(s.best);
      for (let c = 0; c < channels; c++) {
        const d = sign(s.rng) * o.eps;
        for (let y = y0; y < y0 + sideY; y++) for (let x = x0; x < x0 + side; x++) {
          const i = pixelIndex(img, c, y, x);
          next[i] = clip(s.x[i] + d);
        }
      }
      return next;
    });
    const scored = await score(active, candidates);
    active.forEach((s, j) => {
      s.queries++;
      if (scored[j].margin < s.margin) {
        s.best = candidates[j];
        Object.assign(s, scored[j]);
      }
      if (s.margin < 0 || s.queries >= o.queries) s.done = true;
    });
  }
  return states.map((s) => ({ success: s.margin < 0, queries: s.queries, adversarial: s.best, margin: s.margin, predicted: s.predicted, confidence: s.confidence }));
}
