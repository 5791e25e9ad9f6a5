/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n, as
 * `scipy.stats.kstwo.sf(x, n)` computes it — the asymptotic p-value of the two-sample test
 * (ks.ts) uses it with n = round(n₁n₂/(n₁+n₂)), as scipy does for samples above 10 000.
 *
 * Following Simard & L'Ecuyer (2011), each region of (n, x) gets the method that is accurate there:
 * Ruben–Gambino's closed forms at the ends, Durbin's matrix (Marsaglia–Tsang–Wang) and Pomeranz's
 * recursion for small n·x², Pelz–Good's expansion for large n, and twice the one-sided Smirnov
 * tail (Birnbaum–Tingey's sum) where the tail is small. The region boundaries are scipy's
 * (scipy/stats/_ksstats.py), so the two agree to rounding; test/unit/drift/ checks a grid.
 */
import { logBinomial, logFactorial } from './special';

const SCALE_EXP = 128;
const BIG = 2 ** SCALE_EXP;
const SMALL = 2 ** -SCALE_EXP;

const clip01 = (p: number) => (p < 0 ? 0 : p > 1 ? 1 : p);

/** P(D⁺_n ≥ x), the one-sided Smirnov tail, by Birnbaum and Tingey's sum in logarithms. */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x));
  let sum = 0;
  let scale = -Infinity;
  const logs = new Float64Array(last + 1);
  for (let v = 0; v <= last; v++) {
    const a = x + v / n;
    const b = 1 - a;
    // (1 − a)^(n − v) is 0 when a reaches 1 (v < n there, as x > 0).
    logs[v] = b > 0 ? logBinomial(n, v) + (v - 1) * Math.log(a) + (n - v) * Math.log(b) : -Infinity;
    if (logs[v] > scale) scale = logs[v];
  }
  if (scale === -Infinity) return 0;
  for (let v = 0; v <= last; v++) sum += Math.exp(logs[v] - scale);
  return clip01(x * sum * Math.exp(scale));
}

/** m × m matrix product into a new array. */
function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/**
 * P(D_n < d) by Durbin's matrix: with d = (k − h)/n, the (k, k) entry of Hⁿ times n!/nⁿ, where
 * H (2k−1 square) holds 1/(i−j+1)! with corrected first column and last row. Powers are rescaled
 * by 2^±128 with the exponent kept aside, so nothing overflows.
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const fact = new Float64Array(m + 1);
  fact[0] = 1;
  for (let j = 1; j <= m; j++) fact[j] = fact[j - 1] / j; // 1/j!
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i - j + 1 >= 0) H[i * m + j] = fact[i - j + 1];
  for (let i = 0; i < m; i++) {
    const v = (1 - h ** (i + 1)) * fact[i + 1];
    H[i * m] = v;
    H[(m - 1) * m + (m - 1 - i)] = v;
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(2 * h - 1, 0) ** m) * fact[m];

  let power: Float64Array | null = null;
  let powerExp = 0;
  let hExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = power ? matmul(power, H, m) : Float64Array.from(H);
      powerExp += hExp;
    }
    H = matmul(H, H, m);
    hExp *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > BIG) {
      for (let i = 0; i < H.length; i++) H[i] *= SMALL;
      hExp += SCALE_EXP;
    }
  }
  let p = power![(k - 1) * m + (k - 1)];
  let exp = powerExp;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exp -= SCALE_EXP;
    }
  }
  return clip01(p * 2 ** exp);
}

/** Pomeranz's recursion: the interval of non-zero entries of row i. */
function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(D_n ≤ x) by Pomeranz (1974): 2n + 1 convolutions of a short row with Poisson-like weights
 * (g/n)^m/m!, (2g/n)^m/m! or ((1 − 2g)/n)^m/m!, rescaled against underflow; the answer is n! times
 * the last row's entry n.
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const weights = [g / n, (2 * g) / n, (1 - 2 * g) / n].map((base) => {
    const w = new Float64Array(size);
    w[0] = 1;
    for (let m = 1; m < size; m++) w[m] = (w[m - 1] * base) / m;
    return w;
  });
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let s0 = 0;
  let s1 = 0;
  let exp = 0;
  let [j1] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [s0, s1] = [s1, s0];
    v1.fill(0);
    const [a, b] = pomeranzBounds(i, n, ll, ceilf, roundf);
    j1 = a;
    const w = i === 1 || i === 2 * n + 1 ? weights[0] : i % 2 === 1 ? weights[1] : weights[2];
    const len = b - k1 + 1;
    if (len <= 0) continue;
    // Entries j1..b of the convolution of v0[k1 − s0 …] with w: index c of the full convolution is
    // Σ_q v0[k1 − s0 + q] · w[c − q].
    const base = k1 - s0;
    let max = 0;
    for (let c = j1 - k1, out = 0; c <= b - k1; c++, out++) {
      let s = 0;
      for (let q = Math.max(0, c - (len - 1)); q <= c && q < len; q++) {
        const at = base + q;
        if (at >= 0 && at < size && c - q < size) s += v0[at] * w[c - q];
      }
      v1[out] = s;
      if (s > max) max = s;
    }
    if (max > 0 && max < SMALL) {
      for (let q = 0; q < size; q++) v1[q] *= BIG;
      exp -= SCALE_EXP;
    }
    s1 = s0 + j1 - k1;
  }
  let answer = v1[n - s1];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exp += SCALE_EXP;
    }
    answer *= m;
  }
  return clip01(answer * 2 ** exp);
}

const PI2 = Math.PI ** 2;
const PI4 = PI2 * PI2;
const PI6 = PI4 * PI2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** P(D_n ≤ x) by Pelz and Good's (1976) expansion K₀ + K₁/√n + K₂/n + K₃/n^1.5 in z = x√n. */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  const q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z2 ** 4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Σ over odd m = 2k − 1 of cᵢ(m) q^(m²), Horner-like in q^(8k).
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + c[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT_2PI) / div[i];
  // The sums over all integers k of K₂ and K₃.
  const q2 = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qp = q2 ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT_2PI) / (-36 * z2 * z);
  K[3] += (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / n ** 1.5;
}

/** ln(n!/nⁿ) by Stirling's series, for the Ruben–Gambino closed form at large n. */
function logFactorialOverPower(n: number): number {
  return logFactorial(n) - n * Math.log(n);
}

/** P(D_n ≥ x): `scipy.stats.kstwo.sf(x, n)`. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = n <= 140 ? productCdf(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - durbinCdf(n, x));
    if (nx2 <= 4) return clip01(1 - pomeranzCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}

/** n!/nⁿ · (2t − 1)ⁿ as a running product (n ≤ 140). */
function productCdf(n: number, t: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= (i / n) * (2 * t - 1);
  return p;
}
