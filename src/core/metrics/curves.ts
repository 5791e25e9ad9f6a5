/**
 * ROC and precision-recall curves, ROC AUC and average precision of one class against the rest,
 * as scikit-learn 1.2 computes them (`_binary_clf_curve`, `roc_curve`, `precision_recall_curve`,
 * `auc`, `average_precision_score`).
 *
 * A class is first *ranked*: its samples ordered by decreasing score once (`descendingOrder`),
 * with the positions where a run of tied scores ends. Ties matter: scikit-learn makes one curve
 * point per distinct score, so tied samples move the curve diagonally, never in a staircase.
 * The ranking is kept, so a bootstrap resample re-walks it with per-sample weights in O(n)
 * instead of sorting again.
 */
import { thinPositions } from './numeric';
import { descendingOrder } from './sort';
import type { PrCurve, RocCurve } from '../../shared/metricTypes';

/** Curves longer than this are thinned for display unless the caller asks otherwise. */
export const DEFAULT_MAX_CURVE_POINTS = 2000;

/** One class's samples in decreasing score order. */
export interface RankedClass {
  /** Sample indices, by decreasing score. */
  order: Int32Array;
  /** 1 where the sample at that sorted position belongs to the class. */
  positiveSorted: Uint8Array;
  /** 1 where the sorted position is the last of a run of equal scores. */
  groupEnd: Uint8Array;
  /** The score of each run, decreasing (the curve thresholds). */
  thresholds: Float64Array;
  positives: number;
  negatives: number;
}

export function rankClass(scores: Float64Array, positive: Uint8Array): RankedClass {
  const n = scores.length;
  const { order, sorted } = descendingOrder(scores);
  const positiveSorted = new Uint8Array(n);
  let positives = 0;
  for (let p = 0; p < n; p++) {
    const flag = positive[order[p]];
    positiveSorted[p] = flag;
    positives += flag;
  }
  const groupEnd = new Uint8Array(n);
  let groups = 0;
  for (let p = 0; p < n; p++) {
    if (p === n - 1 || sorted[p + 1] !== sorted[p]) {
      groupEnd[p] = 1;
      groups++;
    }
  }
  const thresholds = new Float64Array(groups);
  for (let p = 0, g = 0; p < n; p++) if (groupEnd[p]) thresholds[g++] = sorted[p];
  return { order, positiveSorted, groupEnd, thresholds, positives, negatives: n - positives };
}

/** `_binary_clf_curve`: cumulative false/true positives at each distinct threshold. */
function cumulativeCounts(r: RankedClass): { fps: Float64Array; tps: Float64Array } {
  const m = r.thresholds.length;
  const fps = new Float64Array(m);
  const tps = new Float64Array(m);
  let tp = 0;
  let fp = 0;
  for (let p = 0, g = 0; p < r.order.length; p++) {
    if (r.positiveSorted[p]) tp++;
    else fp++;
    if (r.groupEnd[p]) {
      fps[g] = fp;
      tps[g] = tp;
      g++;
    }
  }
  return { fps, tps };
}

export interface ClassCurves {
  roc: RocCurve;
  pr: PrCurve;
  /** NaN when undefined (the class is all or none of the samples). */
  auc: number;
  averagePrecision: number;
}

/** The ROC and PR curves, AUC and AP of one ranked class. `label` names the class in the output. */
export function classCurves(r: RankedClass, label: number, maxPoints: number, noun: 'class' | 'label' = 'class'): ClassCurves {
  const { fps, tps } = cumulativeCounts(r);
  const roc = rocCurve(fps, tps, r.thresholds, label, maxPoints, noun);
  const pr = prCurve(fps, tps, r.thresholds, label, maxPoints);
  return { roc: roc.curve, pr: pr.curve, auc: roc.auc, averagePrecision: pr.averagePrecision };
}

/** Values at the kept positions, as the number[] of the JSON result. */
function pickValues(pick: Int32Array, valueAt: (j: number) => number): number[] {
  const out = new Array<number>(pick.length);
  for (let q = 0; q < pick.length; q++) out[q] = valueAt(pick[q]);
  return out;
}

function rocCurve(fps: Float64Array, tps: Float64Array, thresholds: Float64Array, label: number, maxPoints: number, noun: string): { curve: RocCurve; auc: number } {
  const m = fps.length;
  const totalNeg = fps[m - 1];
  const totalPos = tps[m - 1];
  if (totalNeg === 0 || totalPos === 0) {
    const missing = totalPos === 0 ? 'no positive samples' : 'no negative samples';
    const reason = `${noun} ${label} has ${missing} in y_true: its ROC curve and AUC are undefined (scikit-learn raises)`;
    return { curve: { label, fpr: [], tpr: [], thresholds: [], auc: null, pointCount: 0, undefinedReason: reason }, auc: NaN };
  }
  // drop_intermediate=True: keep the ends and every point where the curve changes direction,
  // i.e. where the second difference of fps or tps is non-zero (collinear points go). Point 0
  // is the extra (0, 0) at threshold max + 1, as scikit-learn 1.2 adds it (1.3+ uses +inf).
  const kept = new Int32Array(m + 1);
  let len = 1;
  kept[0] = -1;
  for (let j = 0; j < m; j++) {
    const inner = j > 0 && j < m - 1;
    if (!inner || fps[j + 1] - 2 * fps[j] + fps[j - 1] !== 0 || tps[j + 1] - 2 * tps[j] + tps[j - 1] !== 0) kept[len++] = j;
  }
  const fprAt = (q: number) => (q === 0 ? 0 : fps[kept[q]] / totalNeg);
  const tprAt = (q: number) => (q === 0 ? 0 : tps[kept[q]] / totalPos);
  // `auc` = numpy.trapz(tpr, fpr) over the kept points, as scikit-learn integrates them.
  let area = 0;
  for (let q = 1; q < len; q++) area += ((fprAt(q) - fprAt(q - 1)) * (tprAt(q) + tprAt(q - 1))) / 2;
  const pick = thinPositions(len, maxPoints);
  const curve: RocCurve = {
    label,
    fpr: pickValues(pick, fprAt),
    tpr: pickValues(pick, tprAt),
    thresholds: pickValues(pick, (q) => (q === 0 ? thresholds[0] + 1 : thresholds[kept[q]])),
    auc: area,
    pointCount: len,
  };
  return { curve, auc: area };
}

function prCurve(fps: Float64Array, tps: Float64Array, thresholds: Float64Array, label: number, maxPoints: number): { curve: PrCurve; averagePrecision: number } {
  const m = fps.length;
  const totalPos = tps[m - 1];
  // scikit-learn's order: increasing threshold (decreasing recall), then the point (recall 0,
  // precision 1). With no positives it sets recall to 1 everywhere (and warns), so AP is 0.
  const precisionAt = (j: number) => (j === m ? 1 : tps[m - 1 - j] / (tps[m - 1 - j] + fps[m - 1 - j]));
  const recallAt = (j: number) => (j === m ? 0 : totalPos === 0 ? 1 : tps[m - 1 - j] / totalPos);
  // Non-interpolated AP: −Σ diff(recall) · precision[:-1] (a step function, not a trapezoid).
  let ap = 0;
  for (let j = 0; j < m; j++) ap += (recallAt(j + 1) - recallAt(j)) * precisionAt(j);
  const averagePrecision = ap === 0 ? 0 : -ap;
  const pick = thinPositions(m + 1, maxPoints);
  const curve: PrCurve = {
    label,
    precision: pickValues(pick, precisionAt),
    recall: pickValues(pick, recallAt),
    // One threshold per point but the last (which is always kept, so it is the last pick).
    thresholds: pickValues(pick.subarray(0, pick.length - 1), (j) => thresholds[m - 1 - j]),
    averagePrecision,
    pointCount: m + 1,
  };
  return { curve, averagePrecision };
}

/**
 * AUC and AP of a ranked class when sample i counts `weights[i]` times (a bootstrap resample),
 * in one O(n) walk. The area is summed per tied run like the trapezoid over all curve points;
 * dropping collinear points (drop_intermediate) does not change an area, only its rounding.
 */
export function weightedAucAp(r: RankedClass, weights: Int32Array): { auc: number; averagePrecision: number } {
  let tp = 0;
  let fp = 0;
  let tpPrev = 0;
  let fpPrev = 0;
  let area = 0;
  let ap = 0;
  const { order, positiveSorted, groupEnd } = r;
  for (let p = 0; p < order.length; p++) {
    const w = weights[order[p]];
    if (positiveSorted[p]) tp += w;
    else fp += w;
    if (groupEnd[p] && (tp !== tpPrev || fp !== fpPrev)) {
      area += (fp - fpPrev) * (tp + tpPrev);
      if (tp !== tpPrev) ap += (tp - tpPrev) * (tp / (tp + fp));
      tpPrev = tp;
      fpPrev = fp;
    }
  }
  const auc = tp === 0 || fp === 0 ? NaN : area / (2 * tp * fp);
  return { auc, averagePrecision: tp === 0 ? 0 : ap / tp };
}

/** Samples of class `c` as a 0/1 mask (one-vs-rest). */
export function oneVsRest(yTrue: Int32Array, c: number): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === c ? 1 : 0;
  return out;
}

/** Column `c` of an n × k row-major matrix. */
export function column(matrix: Float64Array, k: number, c: number): Float64Array {
  const n = matrix.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = matrix[i * k + c];
  return out;
}
