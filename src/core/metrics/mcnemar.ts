/**
 * McNemar's exact test for two classifiers on the same samples: of the n samples exactly one of
 * them got right, how surprising is a split this uneven if both were equally good (each side
 * Binomial(n, ½))? Two-sided p = min(1, 2·P[X ≤ min(b, c)]), summed in log space so thousands
 * of discordant pairs do not underflow. (McNemar 1947; the exact form as statsmodels'
 * `mcnemar(exact=True)`.)
 */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

export function mcnemarExact(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  if (n === 0) return 1;
  const k = Math.min(onlyA, onlyB);
  const half = n * Math.log(0.5);
  let tail = 0;
  let term = logChoose(n, 0);
  for (let i = 0; i <= k; i++) {
    if (i > 0) term += Math.log((n - i + 1) / i);
    tail += Math.exp(term + half);
  }
  return Math.min(1, 2 * tail);
}
