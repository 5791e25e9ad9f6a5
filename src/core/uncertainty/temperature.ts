/**
 * Temperature scaling (Guo et al., 2017): one scalar T divides the logits, softmax(z / T), fitted
 * by minimising the negative log-likelihood on a calibration split. With β = 1/T the NLL is convex
 * (a log-sum-exp of lines in β minus a line), and its derivative, the mean of E_p[z] − z_y, is
 * increasing; so the minimum is the one root of the derivative, found by Newton steps kept inside
 * a shrinking bracket (bisection when a step would leave it). T > 1 softens an over-confident
 * model, T < 1 sharpens an under-confident one; predictions (the argmax) never change.
 *
 * Probabilities are turned into logits by their logarithm (softmax(log p) = p), and a single
 * column (binary: a probability or logit of class 1) into the two logits [0, z].
 */
import { calibrationSamples, reliability } from '../metrics/calibration';
import { argmaxRows, softmaxRows } from '../metrics/probabilities';
import type { TemperatureResult } from '../../shared/uncertaintyTypes';

/** Bounds of T: beyond them the fit says the model's ranking alone is left (T → 0) or nothing (T → ∞). */
export const MIN_TEMPERATURE = 1e-3;
export const MAX_TEMPERATURE = 1e3;
const LOG_FLOOR = Math.log(1e-300);

/** Logits of an n × k probability matrix: log p, with 0 floored so it stays finite. */
export function logitsFromProbabilities(probabilities: Float64Array): Float64Array {
  return probabilities.map((p) => (p > 0 ? Math.log(p) : LOG_FLOOR));
}

/** softmax(z / T) of each row. */
export function applyTemperature(logits: Float64Array, n: number, k: number, t: number): Float64Array {
  return softmaxRows(logits.map((z) => z / t), n, k);
}

/** NLL(β), dNLL/dβ and d²NLL/dβ² of the rows `rows` at inverse temperature β. */
function nllAndDerivatives(logits: Float64Array, k: number, y: Int32Array, rows: Int32Array, beta: number): [number, number, number] {
  let nll = 0;
  let g = 0;
  let h = 0;
  for (const i of rows) {
    const start = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, beta * logits[start + c]);
    let sum = 0;
    let mean = 0;
    let second = 0;
    for (let c = 0; c < k; c++) {
      const z = logits[start + c];
      const e = Math.exp(beta * z - max);
      sum += e;
      mean += e * z;
      second += e * z * z;
    }
    mean /= sum;
    second /= sum;
    nll += max + Math.log(sum) - beta * logits[start + y[i]];
    g += mean - logits[start + y[i]];
    h += second - mean * mean;
  }
  const n = rows.length;
  return [nll / n, g / n, h / n];
}

/** The T minimising the NLL of `rows` (all rows when omitted). */
export function fitTemperature(logits: Float64Array, k: number, yTrue: Int32Array, rows?: Int32Array): number {
  const use = rows ?? Int32Array.from({ length: yTrue.length }, (_, i) => i);
  if (use.length === 0) return 1;
  let lo = 1 / MAX_TEMPERATURE;
  let hi = 1 / MIN_TEMPERATURE;
  // The derivative is increasing in β: negative below the optimum, positive above.
  if (nllAndDerivatives(logits, k, yTrue, use, lo)[1] >= 0) return MAX_TEMPERATURE;
  if (nllAndDerivatives(logits, k, yTrue, use, hi)[1] <= 0) return MIN_TEMPERATURE;
  let beta = 1;
  for (let iter = 0; iter < 200; iter++) {
    const [, g, h] = nllAndDerivatives(logits, k, yTrue, use, beta);
    if (g > 0) hi = beta;
    else lo = beta;
    let next = h > 0 ? beta - g / h : NaN;
    if (!(next > lo && next < hi)) next = Math.sqrt(lo * hi);
    if (Math.abs(next - beta) <= 1e-12 * beta || hi / lo < 1 + 1e-14) {
      beta = next;
      break;
    }
    beta = next;
  }
  return 1 / beta;
}

function subset(values: Float64Array, k: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * k);
  rows.forEach((i, j) => out.set(values.subarray(i * k, (i + 1) * k), j * k));
  return out;
}

function nllOf(probabilities: Float64Array, k: number, y: Int32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s -= Math.log(Math.max(probabilities[i * k + y[i]], 1e-300));
  return s / y.length;
}

/** Fits T on the calibration rows and measures NLL and ECE before/after on the test rows. */
export function temperatureScaling(logits: Float64Array, k: number, yTrue: Int32Array, calibration: Int32Array, test: Int32Array, bins = 10): TemperatureResult {
  const T = fitTemperature(logits, k, yTrue, calibration);
  const z = subset(logits, k, test);
  const y = Int32Array.from(test, (i) => yTrue[i]);
  const before = softmaxRows(z, test.length, k);
  const after = applyTemperature(z, test.length, k, T);
  const yPred = argmaxRows(before, test.length, k);
  const relBefore = reliability(calibrationSamples(before, y, yPred, k, bins));
  const relAfter = reliability(calibrationSamples(after, y, yPred, k, bins));
  return {
    T, calibrationSize: calibration.length, testSize: test.length,
    nllBefore: nllOf(before, k, y), nllAfter: nllOf(after, k, y),
    eceBefore: relBefore.ece, eceAfter: relAfter.ece, reliabilityBefore: relBefore.bins, reliabilityAfter: relAfter.bins,
  };
}
