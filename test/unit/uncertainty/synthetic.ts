/** Seeded synthetic classifiers for the uncertainty tests: logits, labels drawn from their softmax. */
import { createRng, type Rng } from '../../../src/core/metrics/rng';
import { softmaxRows } from '../../../src/core/metrics/probabilities';

export function uniform(rng: Rng): number {
  return (rng.nextUint32() + 0.5) / 4294967296;
}

export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(uniform(rng))) * Math.cos(2 * Math.PI * uniform(rng));
}

/** Draws a class from row `i` of n × k probabilities. */
export function drawClass(rng: Rng, p: Float64Array, i: number, k: number): number {
  let u = uniform(rng);
  for (let c = 0; c < k; c++) {
    u -= p[i * k + c];
    if (u <= 0) return c;
  }
  return k - 1;
}

export interface SyntheticClassifier {
  /** The true logits: labels are drawn from softmax(trueLogits). */
  trueLogits: Float64Array;
  probabilities: Float64Array;
  yTrue: Int32Array;
}

/** n samples of k classes, logits N(0, scale²) per class; labels follow softmax of the logits (a calibrated model). */
export function syntheticClassifier(seed: number, n: number, k: number, scale = 2): SyntheticClassifier {
  const rng = createRng(seed);
  const trueLogits = Float64Array.from({ length: n * k }, () => scale * normal(rng));
  const probabilities = softmaxRows(trueLogits, n, k);
  const yTrue = Int32Array.from({ length: n }, (_, i) => drawClass(rng, probabilities, i, k));
  return { trueLogits, probabilities, yTrue };
}
