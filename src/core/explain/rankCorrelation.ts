/**
 * Spearman's rank correlation (ties get their average rank, as scipy.stats.spearmanr does): the
 * figure of Adebayo et al.'s sanity check ("Sanity Checks for Saliency Maps", 2018), which compares
 * a map with the map of the same model after its last layer's weights were randomised. A map that
 * barely changes (correlation near 1) does not depend on what the model learned.
 */

export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cannot correlate ${a.length} values with ${b.length}`);
  return pearson(averageRanks(a), averageRanks(b));
}

export interface SanityFigures {
  /** Spearman of the two maps. */
  rankCorrelation: number | null;
  /** Spearman of their absolute values (Adebayo et al. report both). */
  rankCorrelationAbs: number | null;
}

export function sanityFigures(original: ArrayLike<number>, randomized: ArrayLike<number>): SanityFigures {
  const abs = (v: ArrayLike<number>) => Float64Array.from(v as ArrayLike<number>, Math.abs);
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return { rankCorrelation: finite(spearman(original, randomized)), rankCorrelationAbs: finite(spearman(abs(original), abs(randomized))) };
}
