/**
 * Selective prediction: the model abstains on samples whose confidence (the top probability) is
 * below a threshold. Ranking samples by confidence, the risk–coverage curve gives, for each
 * coverage c = k/n (the k most confident answered), the error rate among them; AURC is its mean
 * over k = 1…n (Geifman & El-Yaniv 2017), and E-AURC subtracts the AURC of a perfect ranking with
 * the same errors (every error ranked last; Geifman et al. 2019 give its large-n limit
 * r + (1 − r)·ln(1 − r)), leaving what the confidence ranking itself costs.
 */
import { thinPositions } from '../metrics/numeric';
import type { SelectivePrediction } from '../../shared/uncertaintyTypes';

/** Points of the curve kept for display (AURC always uses every sample). */
export const MAX_CURVE_POINTS = 200;

export function selectivePrediction(confidence: Float64Array, correct: Uint8Array, maxPoints = MAX_CURVE_POINTS): SelectivePrediction {
  const n = confidence.length;
  if (n === 0) return { aurc: 0, eaurc: 0, risk: 0, curve: { coverage: [], risk: [], threshold: [] } };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => confidence[b] - confidence[a] || a - b);
  const riskAt = new Float64Array(n);
  let errors = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    if (!correct[order[k]]) errors++;
    riskAt[k] = errors / (k + 1);
    sum += riskAt[k];
  }
  const aurc = sum / n;
  const r = errors / n;
  let optimal = 0;
  for (let k = n - errors + 1; k <= n; k++) optimal += (k - (n - errors)) / k;
  optimal /= n;
  // A threshold answers every sample at or above it, so only the last of a run of equal confidences is a point.
  const ends: number[] = [];
  for (let k = 0; k < n; k++) if (k === n - 1 || confidence[order[k + 1]] !== confidence[order[k]]) ends.push(k);
  const keep = thinPositions(ends.length, maxPoints);
  const curve = { coverage: [] as number[], risk: [] as number[], threshold: [] as number[] };
  for (const j of keep) {
    const k = ends[j];
    curve.coverage.push((k + 1) / n);
    curve.risk.push(riskAt[k]);
    curve.threshold.push(confidence[order[k]]);
  }
  return { aurc, eaurc: aurc - optimal, risk: r, curve };
}
