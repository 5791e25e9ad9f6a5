/**
 * The special functions the drift tests need: log-gamma, the regularised upper incomplete gamma
 * (so the chi-square survival function) and log binomial coefficients. Written here because no
 * well-kept npm package offers them at float64 accuracy without pulling in a numerics framework;
 * each is checked against Debian's scipy in test/unit/drift/.
 */

/** Lanczos coefficients (g = 7, n = 9): |error| < 2e-15 relative for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln n! for integers, exact sums below 256 (where Lanczos' relative error would show in differences). */
const LOG_FACTORIAL = (() => {
  const out = new Float64Array(256);
  for (let i = 2; i < 256; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
})();

export function logFactorial(n: number): number {
  return n < 256 ? LOG_FACTORIAL[n] : logGamma(n + 1);
}

/** ln C(n, k). */
export function logBinomial(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const EPS = 1e-16;
const TINY = 1e-300;

/**
 * Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma function: the series for
 * P(a, x) below x < a + 1, Lentz's continued fraction for Q above (where each converges fast).
 */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefix) * h;
}

/** P(χ²_dof ≥ x): scipy.stats.chi2.sf(x, dof). */
export function chiSquareSf(x: number, dof: number): number {
  return gammaQ(dof / 2, x / 2);
}
