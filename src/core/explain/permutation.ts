/**
 * Permutation feature importance as `sklearn.inspection.permutation_importance` defines it: the
 * baseline score on the data as given, then for each feature (or group of columns — a whole input)
 * and each of `repeats` shuffles of its rows, the score with that column permuted; the importance
 * is baseline − permuted score, reported as mean and standard deviation (ddof 0) over the repeats.
 * Shuffles are seeded (one stream per feature, as scikit-learn derives one seed per column), so a
 * seed repeats the result exactly — not numpy's exact shuffles, which is why the cross-check with
 * scikit-learn compares within the repeats' spread.
 */
import { createRng } from '../metrics/rng';
import { runBatched, type BlackBox, type ExplainControl } from './blackBox';
import type { Scorer } from './scoring';

export interface FeatureGroup {
  name: string;
  columns: number[];
}

export interface PermutationOptions {
  repeats?: number;
  seed?: number;
}

export interface Importance {
  feature: string;
  mean: number;
  std: number;
  /** Every repeat's drop. */
  drops: number[];
}

export interface PermutationResult {
  baseline: number;
  importances: Importance[];
  repeats: number;
  evaluations: number;
}

/** X: n × d (float32, the model's input rows); y: what the scorer compares with. */
export async function permutationImportance(
  box: BlackBox, data: Float32Array, n: number, y: Float64Array, score: Scorer, groups: readonly FeatureGroup[],
  options: PermutationOptions = {}, control: ExplainControl = {},
): Promise<PermutationResult> {
  const d = box.sampleSize;
  const k = box.outputs;
  const repeats = Math.max(1, options.repeats ?? 5);
  const total = n * (1 + groups.length * repeats);
  const scoresOf = async (permute: ((row: Float32Array, i: number) => void) | null, done: number): Promise<Float64Array> => {
    const out = new Float64Array(n * k);
    await runBatched(box, n, (buffer, first, count) => {
      buffer.set(data.subarray(first * d, (first + count) * d));
      if (permute) for (let i = 0; i < count; i++) permute(buffer.subarray(i * d, (i + 1) * d), first + i);
    }, (scores, first, count) => out.set(scores.subarray(0, count * k), first * k), control, done, total);
    return out;
  };
  const baseline = score(y, await scoresOf(null, 0), n, k);
  const importances: Importance[] = [];
  let done = n;
  const seeds = createRng(options.seed ?? 0);
  for (const group of groups) {
    const rng = createRng(seeds.nextUint32());
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextIndex(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const scores = await scoresOf((row, i) => {
        for (const c of group.columns) row[c] = data[order[i] * d + c];
      }, done);
      done += n;
      drops.push(baseline - score(y, scores, n, k));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    importances.push({ feature: group.name, mean, std, drops });
  }
  return { baseline, importances, repeats, evaluations: total };
}
