/**
 * Top-k accuracy: whether the true class is among the k most probable, for multiclass models
 * where near-misses matter (many similar classes).
 */

/**
 * `top_k_accuracy_score(y_true, p, k=t, labels=range(k))` for each t of `topKs`: the true class is
 * among the t highest probabilities. Ties are broken like scikit-learn, which takes the last t of a
 * stable ascending argsort: among equal probabilities the HIGHER class index ranks first. (So
 * top-1 can differ from `accuracy`, whose argmax picks the lower index, when the top is tied.)
 */
export function topKAccuracy(probabilities: Float64Array, yTrue: Int32Array, k: number, topKs: readonly number[]): number[] {
  const hits = new Float64Array(topKs.length);
  for (let i = 0; i < yTrue.length; i++) {
    const start = i * k;
    const t = yTrue[i];
    const pt = probabilities[start + t];
    let rank = 0;
    for (let c = 0; c < k; c++) {
      const pc = probabilities[start + c];
      if (pc > pt || (pc === pt && c > t)) rank++;
    }
    for (let j = 0; j < topKs.length; j++) if (rank < topKs[j]) hits[j]++;
  }
  return Array.from(hits, (h) => h / yTrue.length);
}
