/** Number formatting for the Run panel: tensor values, shares, rates (times: ../format.ts). Pure. */

/** A tensor value in 4 significant digits; exponent form when very large or small. */
export function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e7) return String(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/** 0.4213 → "42.1 %"; tiny non-zero shares keep one significant digit ("0.04 %"). */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (!Number.isFinite(p)) return '–';
  if (p === 0 || p >= 10) return `${p.toFixed(p === 0 || p === 100 ? 0 : 1)} %`;
  return `${p >= 0.1 ? p.toFixed(1) : Number(p.toPrecision(1))} %`;
}

/** Samples per second: "9,361 /s", "68.9 k/s". */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond >= 1e5) return `${(perSecond / 1000).toFixed(0)} k/s`;
  if (perSecond >= 1e4) return `${(perSecond / 1000).toFixed(1)} k/s`;
  return `${perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1)} /s`;
}

