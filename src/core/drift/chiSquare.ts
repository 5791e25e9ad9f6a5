/**
 * Pearson's chi-square test of homogeneity for a categorical feature: the 2 × k table of category
 * counts in the reference and current data, as `scipy.stats.chi2_contingency(table,
 * correction=False)` (no Yates correction, so a 2 × 2 table is treated like any other).
 * Categories absent from both are not columns (their expected count would be 0).
 */
import { chiSquareSf } from './special';

export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pValue: number;
}

export function chiSquareHomogeneity(reference: readonly number[], current: readonly number[]): ChiSquareResult {
  const cols: [number, number][] = [];
  for (let i = 0; i < reference.length; i++) if (reference[i] + current[i] > 0) cols.push([reference[i], current[i]]);
  const r = cols.reduce((s, c) => s + c[0], 0);
  const c = cols.reduce((s, x) => s + x[1], 0);
  const total = r + c;
  if (cols.length < 2 || r === 0 || c === 0) return { statistic: 0, dof: Math.max(0, cols.length - 1), pValue: 1 };
  let statistic = 0;
  for (const [a, b] of cols) {
    const colTotal = a + b;
    const ea = (r * colTotal) / total;
    const eb = (c * colTotal) / total;
    statistic += ((a - ea) ** 2) / ea + ((b - eb) ** 2) / eb;
  }
  const dof = cols.length - 1;
  return { statistic, dof, pValue: chiSquareSf(statistic, dof) };
}
