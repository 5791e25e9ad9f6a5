/**
 * Per-sample arithmetic over the report's columnar drill-down: which kept samples fall in a
 * confusion-matrix cell (and in which order to show them), the largest regression errors, the
 * samples two models disagree on, and the score histograms. Pure, unit-tested.
 *
 * "Position" below means a row of the drill-down columns (`drilldown.index[position]` is the
 * sample's number in the dataset).
 */
import type { EvalBinaryScores, EvalDrilldown } from '../../src/shared/evalReport';

/** One kept sample, read from the columns. */
export interface SampleRow {
  position: number;
  /** 0-based sample number in the dataset. */
  index: number;
  source: number | string;
  yTrue: number;
  yPred: number;
  /** Probability of the predicted class (classification). */
  confidence: number | null;
  /** Classification: the most probable classes, best first (when the report kept probabilities). */
  top: { label: number; p: number }[] | null;
}

export function sampleRow(d: EvalDrilldown, position: number, topK = 3): SampleRow {
  const probs = d.probabilities?.[position];
  let top: SampleRow['top'] = null;
  if (probs) {
    top = probs.map((p, label) => ({ label, p })).sort((a, b) => b.p - a.p || a.label - b.label).slice(0, topK);
  }
  return {
    position, index: d.index[position], source: d.source[position], yTrue: d.yTrue[position], yPred: d.yPred[position],
    confidence: d.confidence?.[position] ?? null, top,
  };
}

/**
 * Positions of the kept samples of a confusion-matrix cell (true class `t`, predicted `p`). A
 * mistake cell lists the most confident mistakes first (the ones a threshold cannot fix); the
 * diagonal lists the least confident correct ones first (the ones closest to flipping). Equal
 * confidences keep dataset order.
 */
export function cellSamples(d: EvalDrilldown, t: number, p: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.count; i++) if (d.yTrue[i] === t && d.yPred[i] === p) out.push(i);
  const conf = d.confidence;
  if (conf) {
    const sign = t === p ? 1 : -1;
    out.sort((a, b) => sign * (conf[a] - conf[b]) || a - b);
  }
  return out;
}

/** Regression: positions by absolute error, largest first (equal errors in dataset order). */
export function largestErrors(d: EvalDrilldown, limit = Infinity): number[] {
  const order = Array.from({ length: d.count }, (_, i) => i);
  const err = (i: number) => Math.abs(d.yTrue[i] - d.yPred[i]);
  order.sort((a, b) => err(b) - err(a) || a - b);
  return order.slice(0, limit);
}

/**
 * Positions of samples given by dataset index (e.g. the comparison's disagreeing samples), and how
 * many of them the drill-down did not keep. `d.index` is ascending, so each is a binary search.
 */
export function positionsOf(d: EvalDrilldown, indices: readonly number[]): { positions: number[]; missing: number } {
  const positions: number[] = [];
  let missing = 0;
  for (const target of indices) {
    let lo = 0;
    let hi = d.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = d.index[mid];
      if (v === target) {
        found = mid;
        break;
      }
      if (v < target) lo = mid + 1;
      else hi = mid - 1;
    }
    if (found < 0) missing++;
    else positions.push(found);
  }
  return { positions, missing };
}

/** Each row of a confusion matrix divided by its total (the true class's support); rows of 0 stay 0. */
export function rowNormalised(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** The largest off-diagonal cells, most samples first: the pairs the model confuses most. */
export function topConfusions(matrix: readonly (readonly number[])[], limit: number): { t: number; p: number; count: number }[] {
  const cells: { t: number; p: number; count: number }[] = [];
  matrix.forEach((row, t) => row.forEach((count, p) => {
    if (t !== p && count > 0) cells.push({ t, p, count });
  }));
  return cells.sort((a, b) => b.count - a.count || a.t - b.t || a.p - b.p).slice(0, limit);
}

export interface TwoHistograms {
  /** bins + 1 edges over [0, 1]. */
  edges: number[];
  a: number[];
  b: number[];
  totalA: number;
  totalB: number;
}

/** Bin of a value in [0, 1] among `bins` equal bins; 1 goes in the last bin. */
function binOf(v: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
}

function edges(bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => i / bins);
}

/** Confidence (probability of the predicted class) of the kept samples: a = correct, b = wrong. */
export function confidenceHistograms(d: EvalDrilldown, bins = 20): TwoHistograms | null {
  if (!d.confidence) return null;
  const a = new Array<number>(bins).fill(0);
  const b = new Array<number>(bins).fill(0);
  for (let i = 0; i < d.count; i++) {
    const k = binOf(d.confidence[i], bins);
    if (d.yTrue[i] === d.yPred[i]) a[k]++;
    else b[k]++;
  }
  return { edges: edges(bins), a, b, totalA: a.reduce((x, y) => x + y, 0), totalB: b.reduce((x, y) => x + y, 0) };
}

/** Binary: the positive-class score of every sample: a = truly positive, b = truly negative. */
export function scoreHistograms(binary: Pick<EvalBinaryScores, 'score' | 'truth'>, bins = 20): TwoHistograms {
  const a = new Array<number>(bins).fill(0);
  const b = new Array<number>(bins).fill(0);
  for (let i = 0; i < binary.score.length; i++) {
    const k = binOf(binary.score[i], bins);
    if (binary.truth[i] === 1) a[k]++;
    else b[k]++;
  }
  return { edges: edges(bins), a, b, totalA: a.reduce((x, y) => x + y, 0), totalB: b.reduce((x, y) => x + y, 0) };
}

/** Where a sample came from, as people say it: "line 12", "img/cat/3.png", "#4". */
export function sourceLabel(kind: EvalDrilldown['sourceKind'], source: number | string): string {
  if (kind === 'line') return `line ${source}`;
  if (kind === 'path') return String(source);
  return `#${source}`;
}

/** Every kept mistake of true class `t` (all its off-diagonal cells), most confident first. */
export function classMistakes(d: EvalDrilldown, t: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.count; i++) if (d.yTrue[i] === t && d.yPred[i] !== t) out.push(i);
  const conf = d.confidence;
  if (conf) out.sort((a, b) => conf[b] - conf[a] || a - b);
  return out;
}
