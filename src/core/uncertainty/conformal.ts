/**
 * Split conformal prediction (Vovk et al.; Angelopoulos & Bates' "Gentle Introduction", 2021):
 * nonconformity scores of a calibration split give the threshold q̂, the ⌈(n+1)(1−α)⌉-th smallest
 * score, and a test sample's prediction set holds every label whose score is at most q̂. With
 * exchangeable data and continuous scores the coverage P(y ∈ set) lies in [1−α, 1−α + 1/(n+1)],
 * over the draw of the calibration set; the empirical coverage on the test split is reported with
 * a Wilson interval so the two can be compared.
 *
 * Scores: LAC (least ambiguous set-valued classifier, Sadinle et al. 2019) 1 − p_y, smallest sets;
 * APS (adaptive prediction sets, Romano et al. 2020) the probability mass of the labels ranked
 * above y plus U·p_y, with U uniform (seeded) — the randomised form, whose coverage is exact
 * rather than conservative, so sets may be empty. Regression: |y − ŷ|, intervals ŷ ± q̂.
 */
import { createRng } from '../metrics/rng';
import type { ClassificationConformal, ConformalScore, RegressionConformal } from '../../shared/uncertaintyTypes';

/** z of a two-sided 95% normal interval. */
const Z95 = 1.959963984540054;

/** Wilson's score interval for a binomial proportion (better than the normal one near 0 and 1). */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The conformal threshold: the ⌈(n+1)(1−α)⌉-th smallest score; +∞ when that exceeds n. */
export function conformalQuantile(scores: Float64Array, alpha: number): number {
  const n = scores.length;
  const rank = Math.ceil((n + 1) * (1 - alpha) - 1e-12);
  if (rank > n) return Infinity;
  if (rank < 1) return -Infinity;
  return Float64Array.from(scores).sort()[rank - 1];
}

/** The finite-sample guarantee of split conformal prediction with n calibration samples. */
export function coverageGuarantee(alpha: number, n: number): [number, number] {
  return [1 - alpha, Math.min(1, 1 - alpha + 1 / (n + 1))];
}

/** Labels ranked by probability, highest first (ties by label, so the order is reproducible). */
function ranked(p: Float64Array, start: number, k: number, order: Int32Array): void {
  for (let c = 0; c < k; c++) order[c] = c;
  order.sort((a, b) => p[start + b] - p[start + a] || a - b);
}

/** APS score of label `label` in a row: mass ranked above it plus u · its own probability. */
function apsScore(p: Float64Array, start: number, order: Int32Array, label: number, u: number): number {
  let above = 0;
  for (const c of order) {
    if (c === label) return above + u * p[start + c];
    above += p[start + c];
  }
  return above;
}

export interface ClassificationConformalInput {
  /** n × k probabilities, row-major. */
  probabilities: Float64Array;
  k: number;
  yTrue: Int32Array;
  calibration: Int32Array;
  test: Int32Array;
  alpha: number;
  score: ConformalScore;
  /** Seeds APS's uniform draws. */
  seed?: number;
}

export function conformalClassification(input: ClassificationConformalInput): ClassificationConformal {
  const { probabilities: p, k, yTrue, calibration, test, alpha, score } = input;
  const rng = createRng(input.seed ?? 0);
  const uniform = () => (rng.nextUint32() + 0.5) / 4294967296;
  const order = new Int32Array(k);
  const scores = new Float64Array(calibration.length);
  calibration.forEach((i, j) => {
    if (score === 'lac') scores[j] = 1 - p[i * k + yTrue[i]];
    else {
      ranked(p, i * k, k, order);
      scores[j] = apsScore(p, i * k, order, yTrue[i], uniform());
    }
  });
  const qHat = conformalQuantile(scores, alpha);
  const setSizes = new Array<number>(k + 1).fill(0);
  const perClass = Array.from({ length: k }, (_, label) => ({ label, count: 0, covered: 0 }));
  let covered = 0;
  let total = 0;
  for (const i of test) {
    const start = i * k;
    let size = 0;
    let hit = false;
    if (score === 'lac') {
      for (let c = 0; c < k; c++) {
        if (1 - p[start + c] <= qHat) {
          size++;
          if (c === yTrue[i]) hit = true;
        }
      }
    } else {
      ranked(p, start, k, order);
      const u = uniform();
      let above = 0;
      for (const c of order) {
        if (above + u * p[start + c] > qHat) break;
        size++;
        if (c === yTrue[i]) hit = true;
        above += p[start + c];
      }
    }
    setSizes[size]++;
    total += size;
    perClass[yTrue[i]].count++;
    if (hit) {
      covered++;
      perClass[yTrue[i]].covered++;
    }
  }
  const m = test.length;
  return {
    alpha, score, calibrationSize: calibration.length, testSize: m, qHat: Number.isFinite(qHat) ? qHat : null,
    coverage: m ? covered / m : 0, coverageCi95: wilsonInterval(covered, m), guarantee: coverageGuarantee(alpha, calibration.length),
    meanSetSize: m ? total / m : 0, setSizes, perClass: perClass.filter((c) => c.count > 0),
  };
}

export function conformalRegression(yTrue: Float64Array, yPred: Float64Array, calibration: Int32Array, test: Int32Array, alpha: number): RegressionConformal {
  const scores = Float64Array.from(calibration, (i) => Math.abs(yTrue[i] - yPred[i]));
  const qHat = conformalQuantile(scores, alpha);
  let covered = 0;
  for (const i of test) if (Math.abs(yTrue[i] - yPred[i]) <= qHat) covered++;
  const m = test.length;
  return {
    alpha, score: 'absolute-residual', calibrationSize: calibration.length, testSize: m, qHat: Number.isFinite(qHat) ? qHat : null,
    coverage: m ? covered / m : 0, coverageCi95: wilsonInterval(covered, m), guarantee: coverageGuarantee(alpha, calibration.length),
    intervalWidth: Number.isFinite(qHat) ? 2 * qHat : null,
  };
}
