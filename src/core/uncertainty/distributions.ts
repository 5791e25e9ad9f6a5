/**
 * Per-sample uncertainty of a classifier, from its probabilities: confidence (the top
 * probability), margin (top minus runner-up) and predictive entropy (−Σ p ln p, in nats), each as
 * a histogram split by whether the prediction was right — a model worth trusting is confident
 * where it is right and unsure where it is wrong, and these show how far that holds.
 */
import type { UncertaintyDistributions, UncertaintyHistogram } from '../../shared/uncertaintyTypes';

export const DISTRIBUTION_BINS = 20;

export interface PerSampleUncertainty {
  confidence: Float64Array;
  margin: Float64Array;
  entropy: Float64Array;
  correct: Uint8Array;
}

export function perSampleUncertainty(probabilities: Float64Array, k: number, yTrue: Int32Array): PerSampleUncertainty {
  const n = yTrue.length;
  const confidence = new Float64Array(n);
  const margin = new Float64Array(n);
  const entropy = new Float64Array(n);
  const correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let first = -Infinity;
    let second = -Infinity;
    let h = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[i * k + c];
      if (p > first) {
        second = first;
        first = p;
        best = c;
      } else if (p > second) second = p;
      if (p > 0) h -= p * Math.log(p);
    }
    confidence[i] = first;
    margin[i] = k > 1 ? first - second : first;
    entropy[i] = h;
    correct[i] = best === yTrue[i] ? 1 : 0;
  }
  return { confidence, margin, entropy, correct };
}

function histogram(values: Float64Array, correct: Uint8Array, lo: number, hi: number, bins: number): UncertaintyHistogram {
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + ((hi - lo) * b) / bins);
  const right = new Array<number>(bins).fill(0);
  const wrong = new Array<number>(bins).fill(0);
  let sumRight = 0;
  let sumWrong = 0;
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] - lo) / (hi - lo)) * bins)));
    if (correct[i]) {
      right[b]++;
      sumRight += values[i];
    } else {
      wrong[b]++;
      sumWrong += values[i];
    }
  }
  const nRight = right.reduce((a, b) => a + b, 0);
  const nWrong = values.length - nRight;
  return { edges, correct: right, incorrect: wrong, meanCorrect: nRight ? sumRight / nRight : null, meanIncorrect: nWrong ? sumWrong / nWrong : null };
}

export function uncertaintyDistributions(s: PerSampleUncertainty, k: number, bins = DISTRIBUTION_BINS): UncertaintyDistributions {
  return {
    confidence: histogram(s.confidence, s.correct, 0, 1, bins),
    margin: histogram(s.margin, s.correct, 0, 1, bins),
    // Entropy tops out at ln k (uniform probabilities).
    entropy: histogram(s.entropy, s.correct, 0, Math.log(Math.max(2, k)), bins),
  };
}
