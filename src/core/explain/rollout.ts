/**
 * Attention rollout (Abnar & Zuidema, "Quantifying Attention Flow in Transformers", 2020): each
 * layer's attention, averaged over heads, plus the identity for the residual connection
 * (0.5·A + 0.5·I, rows renormalised), multiplied from the first layer to the last. Row i of the
 * result says how much each input token flows into token i at the top. The maps are the Softmax
 * outputs over [batch, heads, query, key] that the Run tab's activations capture
 * (src/core/shapes/attention.ts finds them); only square (self-attention) maps of one size chain.
 */

export interface AttentionMap {
  name: string;
  /** [batch, heads, tokens, tokens] (batch 0 is used) or [heads, tokens, tokens]. */
  dims: number[];
  data: ArrayLike<number>;
}

export interface RolloutResult {
  tokens: number;
  /** tokens × tokens, row-major. */
  rollout: Float64Array;
  /** The maps used, in order (those of another size or not square are left out). */
  layers: string[];
  skipped: string[];
}

export type HeadFusion = 'mean' | 'max' | 'min';

function fuseHeads(map: AttentionMap, t: number, fusion: HeadFusion): Float64Array {
  const heads = map.dims[map.dims.length - 3] ?? 1;
  const out = new Float64Array(t * t).fill(fusion === 'mean' ? 0 : fusion === 'max' ? -Infinity : Infinity);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t * t; i++) {
      const v = Number(map.data[h * t * t + i]);
      out[i] = fusion === 'mean' ? out[i] + v / heads : fusion === 'max' ? Math.max(out[i], v) : Math.min(out[i], v);
    }
  }
  return out;
}

export function attentionRollout(maps: readonly AttentionMap[], fusion: HeadFusion = 'mean'): RolloutResult {
  const square = maps.filter((m) => m.dims.length >= 3 && m.dims[m.dims.length - 1] === m.dims[m.dims.length - 2]);
  const t = square[0]?.dims[square[0].dims.length - 1] ?? 0;
  const used = square.filter((m) => m.dims[m.dims.length - 1] === t);
  let rollout = new Float64Array(t * t);
  for (let i = 0; i < t; i++) rollout[i * t + i] = 1;
  for (const map of used) {
    const a = fuseHeads(map, t, fusion);
    for (let i = 0; i < t; i++) {
      let sum = 0;
      for (let j = 0; j < t; j++) {
        a[i * t + j] = 0.5 * a[i * t + j] + (i === j ? 0.5 : 0);
        sum += a[i * t + j];
      }
      for (let j = 0; j < t; j++) a[i * t + j] /= sum;
    }
    const next = new Float64Array(t * t);
    for (let i = 0; i < t; i++) {
      for (let k = 0; k < t; k++) {
        const aik = a[i * t + k];
        if (aik === 0) continue;
        for (let j = 0; j < t; j++) next[i * t + j] += aik * rollout[k * t + j];
      }
    }
    rollout = next;
  }
  return { tokens: t, rollout, layers: used.map((m) => m.name), skipped: maps.filter((m) => !used.includes(m)).map((m) => m.name) };
}
