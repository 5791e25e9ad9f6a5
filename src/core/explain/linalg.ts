/**
 * The little dense linear algebra the explainers need: KernelSHAP's constrained least squares and
 * LIME's weighted ridge solve systems of at most a few hundred unknowns (features or superpixels),
 * so Gaussian elimination with partial pivoting in float64 is exact enough and faster than pulling
 * in a matrix library for one solve.
 */

/** Solves A·x = b for a square n × n row-major A (copied, not changed). Singular pivots get a tiny ridge. */
export function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(m[i * n + i]));
  const tiny = Math.max(scale, 1) * 1e-12;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c], m[col * n + c]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    // A feature no coalition ever distinguished (a constant column): its coefficient is 0, not NaN.
    if (Math.abs(m[col * n + col]) < tiny) m[col * n + col] = tiny;
    const d = m[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c] -= f * m[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= m[r * n + c] * x[c];
    x[r] = s / m[r * n + r];
  }
  return x;
}

export interface RidgeFit {
  coef: Float64Array;
  intercept: number;
  /** Weighted R² of the fit on its own samples (`Ridge.score(X, y, sample_weight)`). */
  score: number;
}

/**
 * `sklearn.linear_model.Ridge(alpha).fit(X, y, sample_weight=w)`: the intercept is not penalised,
 * which is the same as centring X and y by their weighted means and solving
 * (XcᵀWXc + αI)·β = XcᵀWyc. X is n × p row-major.
 */
export function weightedRidge(x: Float64Array, y: Float64Array, w: Float64Array, n: number, p: number, alpha: number): RidgeFit {
  let wSum = 0;
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    wSum += w[i];
    yMean += w[i] * y[i];
    for (let j = 0; j < p; j++) xMean[j] += w[i] * x[i * p + j];
  }
  yMean /= wSum;
  for (let j = 0; j < p; j++) xMean[j] /= wSum;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    for (let j = 0; j < p; j++) row[j] = x[i * p + j] - xMean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      const rj = wi * row[j];
      if (rj === 0) continue;
      b[j] += rj * yc;
      for (let k = j; k < p; k++) a[j * p + k] += rj * row[k];
    }
  }
  for (let j = 0; j < p; j++) {
    a[j * p + j] += alpha;
    for (let k = 0; k < j; k++) a[j * p + k] = a[k * p + j];
  }
  const coef = solve(a, b, p);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= coef[j] * xMean[j];
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    let pred = intercept;
    for (let j = 0; j < p; j++) pred += coef[j] * x[i * p + j];
    ssRes += w[i] * (y[i] - pred) ** 2;
    ssTot += w[i] * (y[i] - yMean) ** 2;
  }
  return { coef, intercept, score: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot };
}
