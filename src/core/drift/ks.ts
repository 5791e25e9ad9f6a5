/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as `scipy.stats.ks_2samp(a, b)` (method
 * 'auto'): the statistic is the largest gap between the two empirical CDFs; the p-value is exact
 * while both samples have at most 10 000 values, and asymptotic above (the Kolmogorov distribution
 * of n = round(n₁n₂/(n₁+n₂)), kolmogorov.ts). Cross-checked against scipy in test/unit/drift/.
 */
import { kolmogorovSf } from './kolmogorov';

/** scipy's limit for the exact p-value under method 'auto'. */
export const KS_EXACT_MAX_N = 10_000;

export interface KsResult {
  /** sup |F₁ − F₂|. */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** sup |F₁(v) − F₂(v)| over every value v of either sample (both sorted ascending). */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const v = Math.min(a[i], b[j]);
    while (i < n1 && a[i] <= v) i++;
    while (j < n2 && b[j] <= v) j++;
    const gap = Math.abs(i / n1 - j / n2);
    if (gap > d) d = gap;
  }
  return d;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * P(D ≥ h/n) for two samples of n each: 2 Σ_k (−1)^(k+1) C(2n, n − kh)/C(2n, n), evaluated from
 * the innermost term outwards (each ratio a product of h factors) so nothing cancels.
 */
function equalSizesSf(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D ≥ h/lcm) for sizes m ≥ n: the share of monotone lattice paths from (0, 0) to (m, n) that
 * touch |x·n − y·m| ≥ h·g somewhere. Q(x, y), the share of the paths to (x, y) that touched it,
 * is 1 outside the band and (x·Q(x−1, y) + y·Q(x, y−1))/(x + y) inside (Hodges 1958, in the
 * complementary form of Viehmann 2021, which keeps small p-values accurate); one column is kept.
 */
function unequalSizesSf(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  const col = new Float64Array(n + 1).fill(1);
  // Column x = 0: inside while y·mg < h.
  let lo = 0;
  let hi = Math.min(n, Math.ceil(h / mg) - 1);
  for (let y = 0; y <= hi; y++) col[y] = 0;
  for (let x = 1; x <= m; x++) {
    const nextLo = Math.max(0, Math.floor((x * ng - h) / mg) + 1);
    const nextHi = Math.min(n, Math.ceil((x * ng + h) / mg) - 1);
    if (nextLo > nextHi) return 1;
    for (let y = lo; y < nextLo && y <= n; y++) col[y] = 1;
    lo = nextLo;
    hi = nextHi;
    for (let y = lo; y <= hi; y++) col[y] = y === 0 ? col[0] : (x * col[y] + y * col[y - 1]) / (x + y);
  }
  return col[n];
}

/** Two-sided two-sample KS test of samples `a` and `b` (NaN-free; they are copied and sorted). */
export function ks2Samp(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('the KS test needs two non-empty samples');
  let d = ksStatistic(x, y);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? equalSizesSf(n1, h) : unequalSizesSf(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymptotic' };
}
