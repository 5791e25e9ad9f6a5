/**
 * Seeded test inputs for the metrics core: realistic scores (logits with signal, probability
 * rows) and the edge cases scikit-learn treats specially (ties, a class never predicted or absent,
 * a single class, perfect and worst models). All built by code, all deterministic.
 */
import { mulberry32 } from '../../fixtures/bigModels';

export interface ClassificationScenario {
  /** Completes "computes X like scikit-learn …", e.g. "when a class is never predicted". */
  when: string;
  yTrue: Int32Array;
  scores: Float64Array;
  /** Score columns (1 = single-output binary model). */
  k: number;
  positiveClass?: number;
  bins?: number;
}

export interface RegressionScenario {
  when: string;
  yTrue: Float64Array;
  yPred: Float64Array;
  bins?: number;
}

export interface MultilabelScenario {
  when: string;
  yTrue: Uint8Array;
  scores: Float64Array;
  k: number;
  threshold?: number;
}

export class Gen {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  uniform(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

/** Labels 0..K−1 uniformly, optionally from a restricted set. */
export function labels(g: Gen, n: number, classes: number[]): Int32Array {
  return Int32Array.from({ length: n }, () => classes[g.int(classes.length)]);
}

/** Logits with the true class boosted by `signal`: a model that is right most of the time. */
export function logits(g: Gen, y: Int32Array, K: number, signal = 1.5): Float64Array {
  const out = new Float64Array(y.length * K);
  for (let i = 0; i < y.length; i++) for (let c = 0; c < K; c++) out[i * K + c] = g.normal() + (c === y[i] ? signal : 0);
  return out;
}

/**
 * Probability rows drawn from a small palette of quantised vectors (steps of 0.05), so every
 * column is full of tied scores. A row follows the true class with probability `follow`.
 */
export function palette(g: Gen, y: Int32Array, K: number, size: number, follow = 0.7): Float64Array {
  const vectors: number[][] = [];
  for (let v = 0; v < size; v++) {
    const raw = Array.from({ length: K }, () => 1 + g.int(6));
    const total = raw.reduce((a, b) => a + b, 0);
    const q = raw.map((x) => Math.round((x / total) * 20) / 20);
    q[K - 1] = Math.max(0, 1 - q.slice(0, K - 1).reduce((a, b) => a + b, 0));
    vectors.push(q);
  }
  const out = new Float64Array(y.length * K);
  for (let i = 0; i < y.length; i++) {
    // Prefer a palette vector whose top class is the true class.
    const candidates = vectors.filter((v) => v.indexOf(Math.max(...v)) === y[i]);
    const pick = candidates.length > 0 && g.uniform() < follow ? candidates[g.int(candidates.length)] : vectors[g.int(size)];
    out.set(pick, i * K);
  }
  return out;
}

function oneHot(classes: Int32Array, K: number): Float64Array {
  const out = new Float64Array(classes.length * K);
  classes.forEach((c, i) => {
    out[i * K + c] = 1;
  });
  return out;
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

export function classificationScenarios(): ClassificationScenario[] {
  const g = new Gen(20240611);
  const out: ClassificationScenario[] = [];
  const all = (K: number) => Array.from({ length: K }, (_, c) => c);

  let y = labels(g, 200, [0, 1, 1, 0, 0]);
  out.push({ when: 'for a binary model with one logit output', yTrue: y, scores: Float64Array.from(y, (v) => 1.5 * g.normal() + (v ? 1 : -1)), k: 1 });

  y = labels(g, 300, all(2));
  const twoCol = new Float64Array(600);
  y.forEach((v, i) => {
    const p = sig(1.2 * g.normal() + (v ? 0.8 : -0.8));
    twoCol[2 * i] = 1 - p;
    twoCol[2 * i + 1] = p;
  });
  out.push({ when: 'for a binary model with two probability columns', yTrue: y, scores: twoCol, k: 2 });
  out.push({ when: 'for a binary model with class 0 as the positive class', yTrue: y, scores: twoCol, k: 2, positiveClass: 0 });

  y = labels(g, 150, all(2));
  out.push({ when: 'for a binary model with tied probabilities', yTrue: y, scores: Float64Array.from(y, (v) => Math.round(Math.min(1, Math.max(0, 0.5 + 0.3 * g.normal() + (v ? 0.15 : -0.15))) * 10) / 10), k: 1 });

  y = labels(g, 300, all(3));
  out.push({ when: 'for a 3-class model with logits', yTrue: y, scores: logits(g, y, 3), k: 3 });
  out.push({ when: 'with 5 calibration bins', yTrue: y, scores: logits(g, y, 3, 0.8), k: 3, bins: 5 });

  y = labels(g, 1000, all(10));
  out.push({ when: 'for a 10-class model with logits', yTrue: y, scores: logits(g, y, 10, 2), k: 10 });

  y = labels(g, 240, all(3));
  out.push({ when: 'when probabilities are tied', yTrue: y, scores: palette(g, y, 3, 5), k: 3 });

  y = labels(g, 200, all(4));
  const never = logits(g, y, 4);
  for (let i = 0; i < 200; i++) never[i * 4 + 3] = -8;
  out.push({ when: 'when a class is never predicted', yTrue: y, scores: never, k: 4 });

  y = labels(g, 200, [0, 1, 3]);
  out.push({ when: 'when a class is absent from y_true', yTrue: y, scores: logits(g, y, 4), k: 4 });

  y = new Int32Array(80);
  out.push({ when: 'when y_true holds a single class', yTrue: y, scores: logits(g, labels(g, 80, all(3)), 3), k: 3 });

  y = labels(g, 120, all(3));
  out.push({ when: 'for a perfect 3-class model', yTrue: y, scores: oneHot(y, 3), k: 3 });
  out.push({ when: 'for the worst 3-class model', yTrue: y, scores: oneHot(y.map((v) => (v + 1) % 3), 3), k: 3 });

  y = labels(g, 100, all(2));
  out.push({ when: 'for a perfect binary model', yTrue: y, scores: Float64Array.from(y), k: 1 });
  out.push({ when: 'for the worst binary model', yTrue: y, scores: Float64Array.from(y, (v) => 1 - v), k: 1 });

  y = labels(g, 150, all(3));
  const drift = palette(g, y, 3, 6).map((p, i) => p * (Math.floor(i / 3) % 2 === 0 ? 1 + 5e-4 : 1));
  out.push({ when: 'when probability rows sum to 1 only within 1e-3', yTrue: y, scores: drift, k: 3 });

  y = labels(g, 300, all(6));
  out.push({ when: 'when the top probabilities are tied (top-k)', yTrue: y, scores: palette(g, y, 6, 8, 0.5), k: 6 });

  y = labels(g, 3000, all(5));
  out.push({ when: 'for 3000 samples with tied probabilities (radix-sorted ranking)', yTrue: y, scores: palette(g, y, 5, 12), k: 5 });
  y = labels(g, 2600, all(4));
  out.push({ when: 'for 2600 samples with logits (radix-sorted ranking)', yTrue: y, scores: logits(g, y, 4, 1), k: 4 });

  y = new Int32Array(50);
  out.push({ when: 'when every sample is class 0 and predicted class 0', yTrue: y, scores: Float64Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 0.8 : 0.2)), k: 2 });
  y = new Int32Array(60).fill(1);
  out.push({ when: 'when every sample is positive', yTrue: y, scores: Float64Array.from(y, () => g.normal()), k: 1 });
  return out;
}

export function regressionScenarios(): RegressionScenario[] {
  const g = new Gen(7);
  const out: RegressionScenario[] = [];
  let y = Float64Array.from({ length: 500 }, () => 3 + 2 * g.normal());
  out.push({ when: 'for noisy predictions', yTrue: y, yPred: y.map((v) => v + 0.5 * g.normal()) });
  out.push({ when: 'with 7 histogram bins', yTrue: y, yPred: y.map((v) => v * 0.9 + 0.2 * g.normal()), bins: 7 });
  y = Float64Array.from({ length: 300 }, () => g.int(5));
  out.push({ when: 'when y_true has zeros (MAPE epsilon)', yTrue: y, yPred: y.map((v) => v + 0.3 * g.normal()) });
  y = new Float64Array(40).fill(2);
  out.push({ when: 'when y_true is constant and predictions are not', yTrue: y, yPred: y.map((v) => v + g.normal()) });
  y = new Float64Array(40).fill(2.5);
  out.push({ when: 'when y_true is constant and predicted exactly', yTrue: y, yPred: Float64Array.from(y) });
  out.push({ when: 'with a single sample', yTrue: Float64Array.of(1.5), yPred: Float64Array.of(2) });
  y = Float64Array.from({ length: 20000 }, () => 100 + 10 * g.normal());
  out.push({ when: 'for 20000 samples', yTrue: y, yPred: y.map((v) => v + g.normal()) });
  return out;
}

export function multilabelScenarios(): MultilabelScenario[] {
  const g = new Gen(99);
  const out: MultilabelScenario[] = [];
  const make = (n: number, k: number, rate: number) => Uint8Array.from({ length: n * k }, () => (g.uniform() < rate ? 1 : 0));
  let y = make(300, 5, 0.3);
  out.push({ when: 'for a multilabel model with logits', yTrue: y, scores: Float64Array.from(y, (t) => g.normal() + (t ? 1.2 : -1.2)), k: 5 });
  y = make(200, 4, 0.4);
  const tied = Float64Array.from(y, (t) => Math.round(Math.min(1, Math.max(0, 0.5 + 0.25 * g.normal() + (t ? 0.15 : -0.15))) * 10) / 10);
  out.push({ when: 'for multilabel probabilities with ties', yTrue: y, scores: tied, k: 4 });
  out.push({ when: 'with a decision threshold of 0.3', yTrue: y, scores: tied, k: 4, threshold: 0.3 });
  y = make(100, 3, 0.5);
  for (let i = 0; i < 100; i++) {
    y[i * 3] = 0;
    y[i * 3 + 1] = 1;
  }
  out.push({ when: 'when one label is never and one always present', yTrue: y, scores: Float64Array.from(y, () => g.normal()), k: 3 });
  out.push({ when: 'when no label is ever present', yTrue: new Uint8Array(60 * 3), scores: Float64Array.from({ length: 180 }, () => g.normal()), k: 3 });
  return out;
}
