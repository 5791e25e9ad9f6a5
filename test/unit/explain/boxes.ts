/** Black boxes for the explainer tests: plain functions of one sample, run batch by batch. */
import type { BlackBox } from '../../../src/core/explain/blackBox';

export interface CountingBox extends BlackBox {
  calls: number;
  samples: number;
}

/** A box from `f(sample) → scores` (one score per output); counts its calls and samples. */
export function functionBox(f: (x: Float32Array) => number[], sampleSize: number, outputs: number, batchSize = 64): CountingBox {
  const box: CountingBox = {
    sampleSize, outputs, batchSize, calls: 0, samples: 0,
    async run(batch, count) {
      if (count > batchSize) throw new Error(`a call of ${count} samples, more than the batch of ${batchSize}`);
      if (batch.length !== count * sampleSize) throw new Error(`${batch.length} values for ${count} samples of ${sampleSize}`);
      box.calls++;
      box.samples += count;
      const out = new Float64Array(count * outputs);
      for (let i = 0; i < count; i++) out.set(f(batch.subarray(i * sampleSize, (i + 1) * sampleSize)), i * outputs);
      // Let the caller's next batch be filled while "the model runs", as with onnxruntime.
      await new Promise((resolve) => setImmediate(resolve));
      return out;
    },
  };
  return box;
}

/** A seeded stream of uniform numbers in [0, 1) for test data (not the code under test's PRNG). */
export function testRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Shapley values by their definition: Σ over coalitions S ∌ i of |S|!(M−|S|−1)!/M! · (v(S ∪ i) − v(S)). */
export function bruteForceShapley(m: number, value: (mask: number) => number): Float64Array {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const v = Float64Array.from({ length: 2 ** m }, (_, mask) => value(mask));
  const phi = new Float64Array(m);
  for (let mask = 0; mask < 2 ** m; mask++) {
    let size = 0;
    for (let j = 0; j < m; j++) size += (mask >> j) & 1;
    const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
    for (let i = 0; i < m; i++) if (!((mask >> i) & 1)) phi[i] += weight * (v[mask | (1 << i)] - v[mask]);
  }
  return phi;
}
