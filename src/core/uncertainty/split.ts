/**
 * The calibration/test split of one labelled dataset, for temperature scaling and conformal
 * prediction: a seeded shuffle (the same seed, the same split on every machine), the first
 * ⌊fraction·n⌋ samples calibrate, the rest are where the result is measured.
 */
import { createRng } from '../metrics/rng';

export interface CalibrationSplit {
  /** Ascending sample indices. */
  calibration: Int32Array;
  test: Int32Array;
}

export function calibrationSplit(n: number, fraction: number, seed: number): CalibrationSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`the calibration fraction must be between 0 and 1, not ${fraction}`);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextIndex(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const cut = Math.floor(fraction * n);
  return { calibration: order.slice(0, cut).sort(), test: order.slice(cut).sort() };
}
